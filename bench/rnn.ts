// `npm run bench -- rnn [--json] [--backends wasm,cpu] [--runs N] [--cases lstm-train,...] [--reference torch [--torch-threads N]]`
// The char-LM training step of issue #2 (vocab 80, embedding 64, LSTM/GRU 256, batch 64 × 64 steps, Adam,
// softmax cross-entropy) with Parley's ops against stock tf.layers in the same process, on each backend;
// forward-only throughput; single-step decode latency at batch 1. Medians over several runs. With `--reference torch`,
// PyTorch on the same shapes (bench/torch-reference.ts) runs alternately too, for the train and forward cases.
import * as tf from '@tensorflow/tfjs';
import {
  createGruWeights,
  createLstmWeights,
  embeddingLookup,
  gru,
  lstm,
  lstmStep,
  setKernelFixes,
  useBackend,
} from '@parley/engine';
import { median, runsOption, suiteArgs, suiteSpec, type Measurement } from './lib';
import { torchRun, torchVersion, unavailable } from './torch-reference';

/** The char-LM shapes of the issue. */
export const SHAPE = { vocab: 80, emb: 64, units: 256, batch: 64, time: 64 };
type Cell = 'lstm' | 'gru';
type Model = { step(): void; forward(): void; dispose(): void };

function data(seed: number) {
  const { vocab, batch, time } = SHAPE;
  const ids = tf.randomUniform([batch, time], 0, vocab, 'int32', seed) as tf.Tensor2D;
  const targets = tf.oneHot(tf.randomUniform([batch * time], 0, vocab, 'int32', seed + 1) as tf.Tensor1D, vocab);
  return { ids, targets };
}

/** The benchmark of a model's logits: an Adam step on the softmax cross-entropy, a forward pass, disposal. */
function trainable(logits: () => tf.Tensor, targets: tf.Tensor, opt: tf.Optimizer, free: () => void): Model {
  return {
    step: () => {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(targets, logits()) as tf.Scalar, true)!;
      loss.dataSync();
      loss.dispose();
    },
    forward: () => tf.tidy(() => void logits().dataSync()),
    dispose: () => {
      free();
      opt.dispose();
    },
  };
}

/** Parley: embeddingLookup → lstm/gru (hand-written backward) → dense → softmax cross-entropy, Adam. */
export function parleyModel(cell: Cell, seed = 1): Model {
  const { vocab, emb, units, batch, time } = SHAPE;
  const { ids, targets } = data(seed);
  const table = tf.variable(tf.randomUniform([vocab, emb], -0.1, 0.1, 'float32', seed));
  const w = cell === 'lstm' ? createLstmWeights(emb, units, { seed }) : createGruWeights(emb, units, { seed });
  const dense = tf.variable(tf.randomUniform([units, vocab], -0.1, 0.1, 'float32', seed + 2));
  const bias = tf.variable(tf.zeros([vocab]));
  const opt = tf.train.adam(1e-3);
  const logits = () => {
    const x = embeddingLookup(table, ids) as tf.Tensor3D;
    const h = cell === 'lstm' ? lstm(x, w).outputs : gru(x, w).outputs;
    return tf.add(tf.matMul(h.reshape([batch * time, units]), dense), bias);
  };
  return trainable(logits, targets, opt, () => {
    for (const t of [ids, targets, table, w.kernel, w.recurrentKernel, w.bias, dense, bias]) t.dispose();
  });
}

/** Stock tfjs: tf.layers embedding → lstm/gru (sigmoid gates, as Parley) → dense, same loss and optimizer. */
export function layersModel(cell: Cell, seed = 1): Model {
  const { vocab, emb, units, batch, time } = SHAPE;
  const { ids, targets } = data(seed);
  // Glorot recurrent init: tfjs' default orthogonal init is slow to build and does not change the speed.
  const rnn = {
    units,
    returnSequences: true,
    recurrentActivation: 'sigmoid' as const,
    recurrentInitializer: 'glorotUniform' as const,
  };
  const model = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: vocab, outputDim: emb, inputLength: time, batchInputShape: [batch, time] }),
      cell === 'lstm' ? tf.layers.lstm(rnn) : tf.layers.gru(rnn),
      tf.layers.dense({ units: vocab }),
    ],
  });
  const opt = tf.train.adam(1e-3);
  const logits = () => (model.apply(ids) as tf.Tensor).reshape([batch * time, vocab]);
  return trainable(logits, targets, opt, () => {
    model.dispose();
    ids.dispose();
    targets.dispose();
  });
}

/** Single-step decode at batch 1: embedding → one LSTM step → dense → softmax, state carried over. */
function decodeSteppers(seed = 1) {
  const { vocab, emb, units } = SHAPE;
  const table = tf.variable(tf.randomUniform([vocab, emb], -0.1, 0.1, 'float32', seed));
  const w = createLstmWeights(emb, units, { seed });
  const dense = tf.variable(tf.randomUniform([units, vocab], -0.1, 0.1, 'float32', seed + 2));
  const id = tf.tensor1d([3], 'int32');
  let state = { h: tf.zeros([1, units]) as tf.Tensor2D, c: tf.zeros([1, units]) as tf.Tensor2D };
  const parley = () => {
    const next = lstmStep(
      tf.tidy(() => embeddingLookup(table, id) as tf.Tensor2D),
      state,
      w,
    );
    tf.tidy(() => void tf.softmax(tf.matMul(next.h, dense)).dataSync());
    tf.dispose([state.h, state.c]);
    state = next;
  };
  const cell = tf.layers.lstm({
    units,
    returnState: true,
    recurrentActivation: 'sigmoid',
    recurrentInitializer: 'glorotUniform',
  });
  const embL = tf.layers.embedding({ inputDim: vocab, outputDim: emb });
  const denseL = tf.layers.dense({ units: vocab, activation: 'softmax' });
  let lstate: tf.Tensor[] = [tf.zeros([1, units]), tf.zeros([1, units])];
  const stock = () => {
    const next = tf.tidy(() => {
      const [o, h, c] = cell.apply(embL.apply(id.reshape([1, 1])) as tf.Tensor, {
        initialState: lstate,
      }) as tf.Tensor[];
      void (denseL.apply(o!) as tf.Tensor).dataSync();
      return [h!, c!];
    });
    tf.dispose(lstate);
    lstate = next;
  };
  return { parley, stock };
}

const CASES = ['lstm-train', 'gru-train', 'lstm-forward', 'lstm-step'] as const;

/** The suite's command line (`npm run bench -- rnn --help`). */
export const RNN_ARGS = suiteSpec(
  'rnn',
  "The char-LM's LSTM/GRU training step, forward and single-step decode: Parley against stock tf.layers.",
  {
    backends: {
      type: 'list',
      choices: ['wasm', 'cpu', 'node'],
      default: ['wasm', 'cpu'],
      help: 'backends to run on, in this order (node once tfjs-node is installed)',
    },
    runs: runsOption(5, 'timed runs per case, medians reported (at most 2 on cpu)'),
    cases: {
      type: 'list',
      choices: CASES,
      default: CASES,
      help: 'cases to run',
    },
    noBaseline: { type: 'boolean', help: 'skip the stock tf.layers baseline' },
    reference: {
      type: 'string',
      choices: ['torch'],
      help: 'also time PyTorch on the same shapes (bench/torch-reference.ts), alternating with Parley',
    },
    torchThreads: { type: 'int', min: 1, default: 1, help: "PyTorch's thread count (with --reference torch)" },
  },
);

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

export async function run(args: string[]): Promise<Measurement[]> {
  const { opts } = suiteArgs(RNN_ARGS, args);
  const tokens = SHAPE.batch * SHAPE.time;
  const out: Measurement[] = [];
  const why = opts.reference ? unavailable() : undefined;
  if (why) log(`reference torch: skipped (${why})`);
  const torch =
    opts.reference && !why
      ? { name: `pytorch ${torchVersion()} (${opts.torchThreads} thread${opts.torchThreads > 1 ? 's' : ''})` }
      : undefined;
  for (const backend of opts.backends) {
    await useBackend(backend);
    // cpu is ~50x slower: fewer runs there.
    const runs = backend === 'cpu' ? Math.min(opts.runs, 2) : opts.runs;
    // Parley and the baseline run alternately, so load from other processes hits both alike.
    const measure = async (
      caseName: string,
      make: (impl: 'parley' | 'layers') => { fn: () => void; dispose?: () => void },
      units: number,
      baseRuns = runs,
      reference?: () => number,
    ) => {
      const once = (impl: 'parley' | 'layers', fn: () => void) => {
        // The stock baseline runs on tfjs' own kernels (plus UnsortedSegmentSum, which wasm lacks).
        setKernelFixes(impl === 'parley');
        try {
          const t0 = performance.now();
          fn();
          return (performance.now() - t0) / 1000;
        } finally {
          setKernelFixes(true);
        }
      };
      const ours = make('parley');
      const base = opts.noBaseline ? undefined : make('layers');
      const tOurs: number[] = [];
      const tBase: number[] = [];
      const tRef: number[] = [];
      once('parley', ours.fn);
      // On cpu a stock training step takes minutes: no warm-up run for it there.
      if (base && backend !== 'cpu') once('layers', base.fn);
      for (let i = 0; i < Math.max(runs, baseRuns); i++) {
        if (i < runs) tOurs.push(once('parley', ours.fn));
        if (base && i < baseRuns) tBase.push(once('layers', base.fn));
        if (reference && i < baseRuns) tRef.push(reference());
        log(`${caseName} ${backend}: run ${i + 1}`);
      }
      ours.dispose?.();
      base?.dispose?.();
      const m: Measurement = {
        suite: 'rnn',
        case: caseName,
        backend,
        tokensPerSecond: Math.round(units / median(tOurs)),
      };
      if (base) {
        const b = units / median(tBase);
        m.baseline = { name: 'tfjs-layers', tokensPerSecond: Math.round(b) };
        m.ratio = Number((units / median(tOurs) / b).toFixed(2));
      }
      if (tRef.length) {
        m.reference = { name: torch!.name, tokensPerSecond: Math.round(median(tRef)) };
        m.referenceRatio = Number((units / median(tOurs) / median(tRef)).toFixed(2));
      }
      log(JSON.stringify(m));
      out.push(m);
    };
    for (const c of opts.cases) {
      if (c === 'lstm-train' || c === 'gru-train') {
        const cell = c === 'lstm-train' ? 'lstm' : 'gru';
        await measure(
          c,
          (impl) => {
            const m = impl === 'parley' ? parleyModel(cell) : layersModel(cell);
            return { fn: m.step, dispose: m.dispose };
          },
          tokens,
          backend === 'cpu' ? 1 : Math.min(runs, 3),
          torch && (() => torchRun(cell, opts.torchThreads).train),
        );
      } else if (c === 'lstm-forward') {
        await measure(
          c,
          (impl) => {
            const m = impl === 'parley' ? parleyModel('lstm') : layersModel('lstm');
            return { fn: m.forward, dispose: m.dispose };
          },
          tokens,
          runs,
          torch && (() => torchRun('lstm', opts.torchThreads).forward),
        );
      } else if (c === 'lstm-step') {
        // Single-step decode at batch 1: tokensPerSecond = steps per second (1000 / ms per step).
        const steps = 50;
        await measure(
          c,
          (impl) => {
            const s = decodeSteppers();
            const f = impl === 'parley' ? s.parley : s.stock;
            return {
              fn: () => {
                for (let i = 0; i < steps; i++) f();
              },
            };
          },
          steps,
        );
      } else {
        throw new Error(`unknown rnn bench case ${c} (lstm-train, gru-train, lstm-forward, lstm-step)`);
      }
    }
  }
  return out;
}
