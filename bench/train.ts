// `npm run bench -- train [--json] [--runs N] [--steps N] [--workers N] [--cases lstm-train,sheldon,pt-en-base] [--backends wasm,node]`
// Training throughput with data-parallel workers. `lstm-train`: the rnn suite's char-LM shapes on random text.
// End-to-end, the two trainers on their real configs and data: the char-LM of
// apps/parley/configs/sheldon.yaml and the seq2seq model of apps/parley/configs/pt-en-base.yaml (with the bundled
// pt-en model's tokenizer, which that config's first stage trains). A run is `--steps` training steps as the trainer
// does them (gradients with one shard per worker, clipping, Adam) on consecutive batches of the real data;
// tokensPerSecond is the median over runs (char-LM: characters; seq2seq: source + target tokens, as train.log
// counts). On wasm, 1 worker and N workers (default: the core count) run alternately in one process, so load from
// other jobs hits both alike; node (one process-wide thread pool, no workers) runs after them when installed.
import { errorMessage } from '@parley/engine/errors';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '@parley/engine';
import { CharTokenizer, makeBatches, type Example } from '@parley/text';
import {
  Adam,
  charLmTrainingSchema,
  objectContext,
  CharLmGradients,
  CharLmNet,
  Seq2seqGradients,
  Seq2seqModel,
  clipByGlobalNorm,
  disposeState,
  loadCharLmConfig,
  loadConfig,
  loadCorpus,
  loadData,
  loadSeq2seq,
  resolveModelConfig,
  StreamBatcher,
  type CharLmModelConfig,
  type CharLmTrainingConfig,
} from '@parley/core';
import { median, runsOption, suiteArgs, suiteSpec, type Measurement } from './lib';
import { SHAPE } from './rnn';
import { cpus } from 'node:os';

/** A trainer reduced to its step: returns the tokens the step trained on. */
interface Stepper {
  step(): Promise<number>;
  close(): Promise<void>;
}
type StepperFactory = (workers: number) => Promise<Stepper>;

const shared = process.env.PARLEY_SHARED ?? '../shared';

/** A char-LM trained on `ids` as the trainer does it, batches in its order from the start of epoch 1. */
function charLm(model: CharLmModelConfig, t: CharLmTrainingConfig, ids: Int32Array, vocabSize: number): StepperFactory {
  const batcher = new StreamBatcher(ids, t.batchSize, t.seqLen);
  return async (workers) => {
    const net = new CharLmNet(model, vocabSize, t.seed);
    const adam = new Adam(net.variables(), { lr: t.lr });
    const grads = await CharLmGradients.create(net, workers);
    let carry = net.zeroState(t.batchSize);
    let i = 0;
    return {
      async step() {
        const { inputs, targets } = batcher.batch(0, i++ % batcher.batchesPerEpoch, t.seed);
        const seed = t.seed * 100003 + i * 16;
        const r = await grads.compute(
          { inputs, targets, rows: t.batchSize, seqLen: t.seqLen, dropout: model.dropout, seed },
          carry,
        );
        const clipped = clipByGlobalNorm(r.grads, t.clipNorm);
        adam.apply(clipped.grads);
        tf.dispose([Object.values(r.grads), Object.values(clipped.grads)]);
        disposeState(carry);
        carry = r.carry;
        return t.batchSize * t.seqLen;
      },
      async close() {
        await grads.close();
        disposeState(carry);
        adam.dispose();
        net.dispose();
      },
    };
  };
}

/** sheldon.yaml's char-LM on its corpus. */
async function sheldon(): Promise<StepperFactory> {
  const cfg = loadCharLmConfig('apps/parley/configs/sheldon.yaml');
  if (!existsSync(cfg.data.corpus)) throw new Error(`${cfg.data.corpus} not found (set PARLEY_SHARED)`);
  const split = await loadCorpus(cfg);
  const tok = CharTokenizer.train([split.train], { minCount: cfg.data.minCharCount });
  return charLm(cfg.model, cfg.training, Int32Array.from(tok.encode(split.train)), tok.vocabSize);
}

/** The rnn suite's lstm-train shapes (vocab 80, embedding 64, one LSTM 256, batch 64 × 64) on random text. */
async function lstmTrain(): Promise<StepperFactory> {
  const { vocab, emb, units, batch, time } = SHAPE;
  let x = 1;
  const ids = Int32Array.from({ length: batch * time * 20 }, () => (x = (x * 1103515245 + 12345) % 2147483648) % vocab);
  const model: CharLmModelConfig = { cell: 'lstm', layers: 1, hidden: units, embedding: emb, dropout: 0 };
  return charLm(
    model,
    charLmTrainingSchema.parse(
      { batchSize: batch, seqLen: time, seed: 1 },
      ['training'],
      objectContext('lstm-train', '.'),
    ),
    ids,
    vocab,
  );
}

/** pt-en-base.yaml's seq2seq model, batches of its first epoch in the trainer's order. */
async function ptEnBase(): Promise<StepperFactory> {
  const cfg = loadConfig('apps/parley/configs/pt-en-base.yaml', shared);
  const t = cfg.training;
  const data = await loadData(cfg.data);
  const bundled = await loadSeq2seq('apps/parley/models/pt-en');
  bundled.model.dispose();
  const tok = bundled.tokenizer;
  const max = cfg.data.maxLength;
  const examples: Example[] = data.train
    .map((p) => ({ source: tok.encode(p.source), target: tok.encode(p.target) }))
    .filter((e) => e.source.length >= 1 && e.target.length >= 1 && e.source.length <= max && e.target.length <= max);
  const batches = makeBatches(examples, { maxTokens: t.batchTokens, batchSize: t.batchSize, seed: t.seed * 1000 });
  return async (workers) => {
    const model = new Seq2seqModel(resolveModelConfig({ ...cfg.model, vocabSize: tok.vocabSize }), t.seed);
    model.wordDropout = t.wordDropout;
    const adam = new Adam(model.vars, { lr: t.lr, beta1: t.betas[0], beta2: t.betas[1] });
    const grads = await Seq2seqGradients.create(model, workers);
    let i = 0;
    return {
      async step() {
        const idx = batches[i++ % batches.length]!;
        const r = await grads.compute(examples, idx, t.labelSmoothing, t.seed * 1_000_003 + i);
        const clipped = clipByGlobalNorm(r.grads, t.clipNorm);
        adam.apply(clipped.grads);
        tf.dispose([r.grads, clipped.grads]);
        return idx.reduce((a, k) => a + examples[k]!.source.length + examples[k]!.target!.length, 0);
      },
      async close() {
        await grads.close();
        adam.dispose();
        model.dispose();
      },
    };
  };
}

const CASES = {
  'lstm-train': lstmTrain,
  sheldon,
  'pt-en-base': ptEnBase,
} satisfies Record<string, () => Promise<StepperFactory>>;
const CASE_NAMES = Object.keys(CASES) as (keyof typeof CASES)[];

/** The suite's command line (`npm run bench -- train --help`). */
export const TRAIN_ARGS = suiteSpec(
  'train',
  'Training throughput of 1 worker against N data-parallel workers, and of node, end to end.',
  {
    runs: runsOption(5, 'timed runs per trainer (medians are reported)'),
    steps: { type: 'int', min: 1, default: 5, help: 'training steps per run' },
    workers: {
      type: 'int',
      min: 1,
      default: Math.max(2, cpus().length),
      defaultText: 'the core count, at least 2',
      help: "the N-worker trainer's worker count",
    },
    cases: {
      type: 'list',
      choices: CASE_NAMES,
      default: CASE_NAMES,
      help: 'cases to run',
    },
    backends: { type: 'list', choices: ['wasm', 'node'], default: ['wasm', 'node'], help: 'backends to run on' },
  },
);

const log = (msg: string) => process.stderr.write(`${msg}\n`);

/** Tokens per wall-clock second and per CPU second (all threads of this process) of one run of `steps` steps. */
async function timeRun(s: Stepper, steps: number): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let tokens = 0;
  for (let k = 0; k < steps; k++) tokens += await s.step();
  const c = process.cpuUsage(c0);
  return { wall: tokens / ((performance.now() - t0) / 1000), cpu: tokens / ((c.user + c.system) / 1e6) };
}

export async function run(args: string[]): Promise<Measurement[]> {
  const { opts } = suiteArgs(TRAIN_ARGS, args);
  const out: Measurement[] = [];
  for (const name of opts.cases) {
    const make = CASES[name];
    await useBackend('wasm');
    let factory: StepperFactory;
    try {
      factory = await make();
    } catch (err) {
      log(`${name}: skipped: ${errorMessage(err)}`);
      continue;
    }
    let single: number | undefined;
    if (opts.backends.includes('wasm')) {
      const one = await factory(1);
      const many = await factory(opts.workers);
      await one.step();
      await many.step();
      const [a, b, ca, cb]: [number[], number[], number[], number[]] = [[], [], [], []];
      for (let r = 0; r < opts.runs; r++) {
        const x = await timeRun(one, opts.steps);
        const y = await timeRun(many, opts.steps);
        a.push(x.wall);
        b.push(y.wall);
        ca.push(x.cpu);
        cb.push(y.cpu);
        log(
          `${name} wasm run ${r + 1}: 1 worker ${Math.round(x.wall)}, ${opts.workers} workers ${Math.round(y.wall)} tokens/s; per CPU second ${Math.round(x.cpu)} and ${Math.round(y.cpu)}`,
        );
      }
      await one.close();
      await many.close();
      single = median(a);
      out.push({
        suite: 'train',
        case: name,
        backend: 'wasm-1',
        tokensPerSecond: Math.round(single),
        tokensPerCpuSecond: Math.round(median(ca)),
        runs: a.map(Math.round),
      });
      const m = median(b);
      out.push({
        suite: 'train',
        case: name,
        backend: `wasm-${opts.workers}`,
        tokensPerSecond: Math.round(m),
        tokensPerCpuSecond: Math.round(median(cb)),
        runs: b.map(Math.round),
        baseline: { name: 'wasm-1', tokensPerSecond: Math.round(single) },
        ratio: Number((m / single).toFixed(2)),
        // Share of the single-threaded CPU work left after splitting: with idle cores, ratio → workers × this.
        cpuEfficiency: Number((median(cb) / median(ca)).toFixed(2)),
      });
    }
    if (opts.backends.includes('node')) {
      try {
        await useBackend('node');
      } catch (err) {
        log(`${name} node: skipped (${errorMessage(err).split('\n')[0]})`);
        continue;
      }
      const s = await factory(1);
      await s.step();
      const a: number[] = [];
      for (let r = 0; r < opts.runs; r++) a.push((await timeRun(s, opts.steps)).wall);
      await s.close();
      const m: Measurement = {
        suite: 'train',
        case: name,
        backend: 'node',
        tokensPerSecond: Math.round(median(a)),
        runs: a.map(Math.round),
      };
      if (single)
        Object.assign(m, {
          baseline: { name: 'wasm-1', tokensPerSecond: Math.round(single) },
          ratio: Number((median(a) / single).toFixed(2)),
        });
      out.push(m);
    }
  }
  return out;
}
