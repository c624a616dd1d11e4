// Training an attention encoder-decoder from a config: token-count batches with length bucketing, Adam,
// lr schedules, gradient clipping, validation every N updates (dev loss/perplexity, greedy decoding, BLEU,
// chrF), early stopping, the best K checkpoints, exact resume from checkpoints/last, train.log and validations.tsv.
//
// Model directory layout (cfg.modelDir):
//   manifest.json, weights.bin   the best model so far (weights stored as cfg.exportDtype)
//   tokenizer.json               the tokenizer trained at the start (reused on resume)
//   checkpoints/last/            weights, Adam moments and trainer state after the latest validation
//   checkpoints/best-<step>/     the best K models (float32 model directories)
//   train.log, validations.tsv   the run's log and one row per validation
import { cpus } from 'node:os';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { batchTensors, makeBatches, writeFileAtomic, type Example, type Tokenizer } from '@parley/text';
import {
  Adam,
  assignWeights,
  claimRunDir,
  clipByGlobalNorm,
  DataFileError,
  hasCheckpoint,
  loadCheckpoint,
  nextTurn,
  doneEvent,
  STOP_REASONS,
  stopBeforeUpdate,
  StepWindow,
  trainLog,
  validationCheckpoint,
  type JsonValue,
  type ProgressSinks,
} from '../common/index';
import { resolveWorkers } from '../common/data-parallel';
import { portableConfig, type Seq2seqConfig } from './config';
import { checkDataFiles, loadData, type Seq2seqData } from './data';
import { loadSeq2seq, saveSeq2seq, type LoadedSeq2seq } from './io';
import { Seq2seqModel } from './model';
import { resolveModelConfig } from './model-config';
import { Seq2seqGradients, toBatch } from './parallel';
import { loadPretrained } from './pretrained';
import { LrSchedule, type ScheduleState } from './schedule';
import { corpusScores } from './scoring';
import { restoreTokenizer, storeTokenizer, trainTokenizer, type StoredTokenizer } from './tokenizers';
import { Translator } from './translator';

/**
 * How a run is driven: `onEvent` receives its progress as the ProgressEvent union every trainer emits (validations
 * carry example translations; the Train screen draws them), `log` every train.log line, time-stamped.
 */
export interface TrainOptions extends ProgressSinks {
  /** Continue from checkpoints/last when it exists. Default true. */
  resume?: boolean;
  /** Overrides training.maxUpdates (tests, benchmarks). */
  maxUpdates?: number;
  /** Use these pairs instead of reading cfg.data. */
  data?: Seq2seqData;
  /**
   * Stops training before the next update, after one more validation that writes checkpoints/last (and the exported
   * model when that validation is the best), so a stopped run resumes where it stopped. The Train screen aborts it
   * when asked to stop.
   */
  signal?: AbortSignal;
  /**
   * Write into modelDir even when it holds another model or files Parley did not write (default false: that
   * is an error, see common/run-dir.ts). A taken-over directory starts fresh.
   */
  overwrite?: boolean;
}

/** One row of validations.tsv. */
export interface Validation {
  step: number;
  loss: number;
  ppl: number;
  bleu: number;
  chrf: number;
  lr: number;
  best: boolean;
}

export interface TrainResult {
  /** Updates done in total (including those before a resume). */
  steps: number;
  /** Training loss of each update run in this call, as [step, loss]. */
  losses: [number, number][];
  validations: Validation[];
  best: Validation | undefined;
  /** Why training stopped. */
  stopReason: string;
  /** Training tokens (source + target, no padding) per second in this call. */
  tokensPerSecond: number;
}

interface TrainerState {
  step: number;
  epoch: number;
  batchInEpoch: number;
  elapsedSeconds: number;
  /** Validations without a new best. */
  bad: number;
  /** The best K checkpoints: step and score (higher is better). */
  bestK: { step: number; score: number }[];
  validations: Validation[];
  schedule: ScheduleState;
  /** Shards per update (data-parallel workers); absent in checkpoints of earlier versions, which used 1. */
  workers?: number;
}

const VALIDATIONS_HEADER = 'step\tloss\tppl\tbleu\tchrf\tlr\tbest\n';

/** One line of validations.tsv. */
function validationRow(v: Validation): string {
  return `${v.step}\t${v.loss.toFixed(4)}\t${v.ppl.toFixed(2)}\t${v.bleu.toFixed(2)}\t${v.chrf.toFixed(2)}\t${v.lr.toExponential(3)}\t${v.best ? '*' : ''}\n`;
}

/** Builds (or restores, or takes from the initFrom model) the tokenizer and encodes the pairs into length-filtered examples. */
async function prepare(
  cfg: Seq2seqConfig,
  data: Seq2seqData,
  resume: boolean,
  init: LoadedSeq2seq | undefined,
): Promise<{ tokenizer: Tokenizer; examples: Example[] }> {
  const tokFile = join(cfg.modelDir, 'tokenizer.json');
  let tokenizer: Tokenizer;
  if (resume && existsSync(tokFile))
    tokenizer = await restoreTokenizer(
      JSON.parse(readFileSync(tokFile, 'utf8')) as StoredTokenizer,
      cfg.modelDir,
      tokFile,
    );
  else {
    tokenizer =
      init?.tokenizer ??
      (await trainTokenizer(
        cfg.tokenizer,
        data.train.flatMap((p) => [p.source, p.target]),
        cfg.modelDir,
      ));
    writeFileAtomic(tokFile, JSON.stringify(storeTokenizer(tokenizer, cfg.modelDir)) + '\n');
  }
  const max = cfg.data.maxLength;
  const examples = data.train
    .map((p) => ({ source: tokenizer.encode(p.source), target: tokenizer.encode(p.target) }))
    .filter((e) => e.source.length >= 1 && e.target.length >= 1 && e.source.length <= max && e.target.length <= max);
  return { tokenizer, examples };
}

/** Trains the model of `cfg`; see the file comment for what it writes. */
export async function trainSeq2seq(cfg: Seq2seqConfig, opts: TrainOptions = {}): Promise<TrainResult> {
  const t = cfg.training;
  const dir = cfg.modelDir;
  if (!opts.data) checkDataFiles(cfg.data); // a missing or empty file: refused before the directory is touched
  const tookOver = claimRunDir(dir, { kind: 'seq2seq', name: cfg.name }, opts.overwrite);
  const emit = trainLog(dir, opts);
  const log = (line: string) => emit({ type: 'log', line });
  const resume = !tookOver && (opts.resume ?? true) && hasCheckpoint(dir, 'last');
  const data = opts.data ?? (await loadData(cfg.data));
  data.notes.forEach((n) => log(`data ${n}`));
  // Fine-tuning: weights and tokenizer from another model directory (only when not resuming this run).
  const init = !resume && t.initFrom ? await loadSeq2seq(t.initFrom) : undefined;
  const { tokenizer, examples } = await prepare(cfg, data, resume, init);
  log(
    `data: ${examples.length} training examples after length filter (1..${cfg.data.maxLength} tokens); vocabulary ${tokenizer.vocabSize}`,
  );
  if (examples.length === 0)
    throw new DataFileError(
      'data.train',
      cfg.data.train.map((f) => f.path).join(', '),
      `left no training pairs after removing dev/test sentences and pairs longer than data.maxLength (${cfg.data.maxLength} tokens); see ${dir}/train.log`,
    );

  const modelCfg = resolveModelConfig({ ...cfg.model, vocabSize: tokenizer.vocabSize });
  const model = new Seq2seqModel(modelCfg, t.seed);
  model.wordDropout = t.wordDropout;
  const adam = new Adam(model.vars, { lr: t.lr, beta1: t.betas[0], beta2: t.betas[1] });
  const schedule = new LrSchedule(t);
  let st: TrainerState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    elapsedSeconds: 0,
    bad: 0,
    bestK: [],
    validations: [],
    schedule: schedule.state,
  };
  if (init) {
    assignWeights(
      model.vars,
      Object.fromEntries(Object.entries(init.model.vars).map(([k, v]) => [k, tf.clone(v)])),
      join(t.initFrom, init.manifest.weights.file),
    );
    init.model.dispose();
    log(`init: weights and tokenizer from ${t.initFrom}`);
  }
  if (resume) {
    const ck = loadCheckpoint(dir, 'last');
    assignWeights(model.vars, ck.weights, 'checkpoints/last/weights.bin');
    st = ck.state.trainer as unknown as TrainerState;
    st.schedule.plateau.best ??= Infinity;
    adam.loadState(ck.optimizer, st.step);
    schedule.state = st.schedule;
    log(`resume: from checkpoints/last at update ${st.step} (epoch ${st.epoch + 1}, batch ${st.batchInEpoch})`);
  }
  const pre = cfg.model.pretrained;
  for (const side of ['source', 'target'] as const) {
    const file = pre?.[side];
    if (!file) continue;
    const key = side === 'target' || cfg.model.shareEmbeddings ? 'tgt/embedding' : 'src/embedding';
    if (!resume)
      log(`pretrained: ${await loadPretrained(file, model.vars[key]!, tokenizer)} ${side} embedding rows from ${file}`);
    if (pre.freeze) model.frozen.add(key);
  }
  // validations.tsv is rewritten from the checkpoint's validations, so rows a killed run appended after its
  // last checkpoint do not appear twice when the resumed run validates those steps again.
  writeFileAtomic(join(dir, 'validations.tsv'), VALIDATIONS_HEADER + st.validations.map(validationRow).join(''));
  if (!resume) {
    const nParams = Object.values(model.vars).reduce((a, v) => a + v.size, 0);
    log(`model: ${JSON.stringify(modelCfg)}; ${nParams} parameters`);
    log(`config: ${JSON.stringify(cfg.training)}`);
  }

  const workers = resolveWorkers(t.workers, resume ? (st.workers ?? 1) : undefined);
  const gradients = await Seq2seqGradients.create(model, workers.count);
  st.workers = gradients.shards;
  log(`workers: ${workers.count} (${workers.source}; backend ${tf.getBackend()})`);
  const maxUpdates = opts.maxUpdates ?? t.maxUpdates;
  emit({
    type: 'start',
    kind: `seq2seq ${cfg.name}`,
    dir,
    totalEpochs: t.maxEpochs,
    totalSteps: maxUpdates,
    startStep: st.step,
    metric: t.metric === 'loss' ? 'loss' : t.metric === 'chrf' ? 'chrF' : 'BLEU',
    higherIsBetter: t.metric !== 'loss',
  });
  const losses: [number, number][] = [];
  let stopReason = '';
  let tokens = 0;
  const progress = new StepWindow();
  const callStart = performance.now();
  const firstStep = st.step;
  const startElapsed = st.elapsedSeconds;
  const elapsed = () => startElapsed + (performance.now() - callStart) / 1000;

  const validate = async (): Promise<boolean> => {
    const { examples, ...v } = await validation(model, tokenizer, data, cfg, schedule.lr, st.step);
    const score = t.metric === 'bleu' ? v.bleu : t.metric === 'chrf' ? v.chrf : -v.loss;
    const isBest = st.bestK.length === 0 || score > Math.max(...st.bestK.map((b) => b.score));
    v.best = isBest;
    st.validations.push(v);
    appendFileSync(join(dir, 'validations.tsv'), validationRow(v));
    const training = {
      config: portableConfig(cfg) as JsonValue,
      step: st.step,
      epoch: st.epoch,
      elapsedSeconds: Math.round(elapsed()),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, tfjs backend ${tf.getBackend()}`,
      workers: gradients.shards,
    } as { [k: string]: JsonValue };
    const metrics = { dev: { bleu: v.bleu, chrf: v.chrf, loss: v.loss, ppl: v.ppl, step: v.step, decoding: 'greedy' } };
    // Best K: keep the K highest-scoring validations as float32 model directories.
    st.bestK.push({ step: st.step, score });
    st.bestK.sort((a, b) => b.score - a.score);
    if (st.bestK.slice(0, t.keepBest).some((b) => b.step === st.step))
      saveSeq2seq(join(dir, 'checkpoints', `best-${st.step}`), model, tokenizer, { name: cfg.name, training, metrics });
    for (const drop of st.bestK.slice(t.keepBest))
      rmSync(join(dir, 'checkpoints', `best-${drop.step}`), { recursive: true, force: true });
    st.bestK = st.bestK.slice(0, t.keepBest);
    if (isBest) {
      saveSeq2seq(dir, model, tokenizer, { name: cfg.name, dtype: cfg.exportDtype, training, metrics });
      st.bad = 0;
    } else st.bad++;
    schedule.validated(-score);
    st.schedule = schedule.state;
    st.elapsedSeconds = elapsed();
    return validationCheckpoint(
      emit,
      dir,
      { weights: model.vars, optimizer: adam.stateTensors(), trainer: st },
      {
        step: v.step,
        loss: v.loss,
        metric: t.metric === 'bleu' ? v.bleu : t.metric === 'chrf' ? v.chrf : v.loss,
        best: isBest,
        samples: examples,
        scores: { loss: v.loss, ppl: v.ppl, bleu: v.bleu, chrf: v.chrf },
        patience: { bad: st.bad, limit: t.earlyStopping },
      },
    );
  };

  training: while (st.epoch < t.maxEpochs) {
    const batches = makeBatches(examples, {
      maxTokens: t.batchTokens,
      batchSize: t.batchSize,
      seed: t.seed * 1000 + st.epoch,
    });
    for (; st.batchInEpoch < batches.length;) {
      await nextTurn(); // let signals and stop requests in
      stopReason =
        stopBeforeUpdate({
          step: st.step,
          maxUpdates,
          maxMinutes: t.maxMinutes,
          elapsedSec: elapsed(),
          stopRequested: !!opts.signal?.aborted,
        }) ?? '';
      if (stopReason) break training;
      const idx = batches[st.batchInEpoch]!;
      st.batchInEpoch++;
      st.step++;
      adam.lr = schedule.atStep(st.step);
      const r = await gradients.compute(examples, idx, t.labelSmoothing, t.seed * 1_000_003 + st.step);
      const clipped = clipByGlobalNorm(r.grads, t.clipNorm);
      adam.apply(clipped.grads);
      tf.dispose([r.grads, clipped.grads]);
      const n = idx.reduce((a, i) => a + examples[i]!.source.length + examples[i]!.target!.length, 0);
      tokens += n;
      progress.add(r.loss, n);
      losses.push([st.step, r.loss]);
      if (st.step % t.logEvery === 0) {
        emit(
          progress.close({
            step: st.step,
            epoch: st.epoch,
            epochStep: st.batchInEpoch,
            learningRate: adam.lr,
            etaSec:
              ((maxUpdates - st.step) * (performance.now() - callStart)) / 1000 / Math.max(1, st.step - firstStep),
          }),
        );
      }
      if (st.step % t.validEvery === 0 && (await validate())) {
        stopReason = STOP_REASONS.earlyStopping(t.earlyStopping);
        break training;
      }
    }
    st.epoch++;
    st.batchInEpoch = 0;
  }
  if (!stopReason) stopReason = STOP_REASONS.epochs(t.maxEpochs);
  if (st.validations.at(-1)?.step !== st.step && st.step > 0 && !stopReason.startsWith('early')) await validate();
  const best = [...st.validations]
    .sort((a, b) => (a.best === b.best ? 0 : a.best ? -1 : 1))
    .filter((v) => v.best)
    .at(-1);
  log(
    `best: ${best ? `update ${best.step} bleu ${best.bleu.toFixed(2)} chrf ${best.chrf.toFixed(2)}` : 'none'}; ${Math.round(elapsed())} s of training`,
  );
  emit(doneEvent(stopReason, st.step));
  const tokensPerSecond = tokens / ((performance.now() - callStart) / 1000);
  await gradients.close();
  adam.dispose();
  model.dispose();
  return { steps: st.step, losses, validations: st.validations, best, stopReason, tokensPerSecond };
}

/** Dev loss/perplexity, then greedy decoding of dev with BLEU and chrF; a few examples as `source → translation`. */
async function validation(
  model: Seq2seqModel,
  tokenizer: Tokenizer,
  data: Seq2seqData,
  cfg: Seq2seqConfig,
  lr: number,
  step: number,
): Promise<Validation & { examples: string[] }> {
  const dev = data.dev
    .map((p) => ({ source: tokenizer.encode(p.source), target: tokenizer.encode(p.target) }))
    .filter((e) => e.source.length > 0);
  let nll = 0;
  let tokens = 0;
  let loss = 0;
  for (const idx of makeBatches(dev, { maxTokens: cfg.training.batchTokens, shuffle: false })) {
    const bt = batchTensors(dev, idx);
    const r = model.evaluate(toBatch(bt), 0);
    tf.dispose(Object.values(bt) as tf.Tensor[]);
    nll += r.nll;
    tokens += r.tokens;
  }
  loss = nll / Math.max(1, tokens);
  const translator = new Translator(model, tokenizer, cfg.testing);
  const out = await translator.translateBatch(
    data.dev.map((p) => p.source),
    { beamSize: 1, returnAttention: false },
  );
  const hyps = out.map((r) => r.hypotheses[0]?.text ?? '');
  const s = corpusScores(
    hyps,
    data.dev.map((p) => p.target),
  );
  return {
    step,
    loss,
    ppl: Math.exp(loss),
    bleu: s.bleu,
    chrf: s.chrf,
    lr,
    best: false,
    examples: data.dev.slice(0, cfg.training.logExamples).map((p, i) => `${p.source} → ${hyps[i] ?? ''}`),
  };
}

/** Lists the best-K checkpoint directories of a model directory, best first is not guaranteed. */
export function bestCheckpointDirs(modelDir: string): string[] {
  const d = join(modelDir, 'checkpoints');
  return existsSync(d)
    ? readdirSync(d)
        .filter((n) => n.startsWith('best-'))
        .map((n) => join(d, n))
    : [];
}
