// Char-LM training: truncated BPTT over a continuous stream with the state carried across batches,
// Adam, clipping by global norm, learning-rate decay on plateau, periodic validation in nats/char,
// `last` and `best` checkpoints written atomically, and exact resume (weights, optimizer moments,
// carried state, step, learning rate and scheduler are all checkpointed; data order and dropout masks
// are functions of the seed and the step). Progress is reported as TrainEvents.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CharTokenizer } from '@parley/text';
import {
  Adam,
  PlateauScheduler,
  assignWeights,
  claimRunDir,
  clipByGlobalNorm,
  hasCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  type JsonValue,
  type NamedTensors,
  type PlateauState,
} from '../common/index';
import type { CharLmConfig } from './config';
import { readDialogueDocs, readTextDocs, splitDocs, StreamBatcher, type TextSplit } from './data';
import { evaluateIds, type TextLoss } from './evaluate';
import { resolveWorkers } from '../common/data-parallel';
import { CharLmNet, disposeState, type CharLmState } from './model';
import { CharLmGradients } from './parallel';
import { TOKENIZER_FILE, loadCharLm, saveCharLm } from './model-dir';

/** Progress of a training run, for the terminal dashboard and log lines. */
export type TrainEvent =
  | {
      type: 'start';
      name: string;
      parameters: number;
      vocabSize: number;
      trainChars: number;
      validationChars: number;
      testChars: number;
      totalSteps: number;
      stepsPerEpoch: number;
      /** Step the run resumed from (0 for a fresh run). */
      resumedFrom: number;
      /** Threads each step's batch is split over (data-parallel on wasm; absent or 1 = single-threaded). */
      workers?: number;
    }
  | {
      type: 'step';
      step: number;
      totalSteps: number;
      /** Fractional epoch, e.g. 1.25. */
      epoch: number;
      /** Mean training loss (nats/char) since the previous step event. */
      loss: number;
      lr: number;
      gradNorm: number;
      tokensPerSec: number;
      elapsedSec: number;
      /** Estimated seconds left in this run. */
      etaSec: number;
    }
  | { type: 'validation'; step: number; epoch: number; loss: TextLoss; best: boolean; lr: number }
  | { type: 'checkpoint'; step: number; slot: 'last' | 'best'; dir: string }
  | {
      type: 'done';
      step: number;
      reason: 'epochs' | 'maxSteps' | 'maxMinutes' | 'aborted';
      validation: TextLoss;
      test: TextLoss;
      quantizedValidation: TextLoss;
      modelDir: string;
    };

export interface CharLmTrainOptions {
  /** Continue from the `last` checkpoint in the work directory when there is one. Default true. */
  resume?: boolean;
  /** Receives progress events. */
  onEvent?: (event: TrainEvent) => void;
  /** Stops training at the next step (a checkpoint is written, then the model is exported). */
  signal?: AbortSignal;
  /**
   * Write into output.dir / output.workDir even when they hold another model or files Parley did not write
   * (default false: that is an error, see common/run-dir.ts). A taken-over directory starts fresh.
   */
  overwrite?: boolean;
}

export interface CharLmTrainResult {
  steps: number;
  validation: TextLoss;
  test: TextLoss;
  quantizedValidation: TextLoss;
  modelDir: string;
}

/** The corpus split into texts (dialogue turns or plain text), as training sees it. */
export async function loadCorpus(config: CharLmConfig): Promise<TextSplit> {
  const { corpus, format, validation, test, splitSeed } = config.data;
  if (!existsSync(corpus))
    throw new Error(`data.corpus: ${corpus} not found (set PARLEY_SHARED to the shared data directory)`);
  const docs = format === 'dialogue' ? await readDialogueDocs(corpus) : readTextDocs(corpus);
  return splitDocs(docs, validation, test, splitSeed);
}

const encode = (tok: CharTokenizer, text: string) => Int32Array.from(tok.encode(text));

/** One line of text for a progress event (used off a terminal). */
export function formatTrainEvent(e: TrainEvent): string {
  const f = (x: number, d = 3) => x.toFixed(d);
  const time = (s: number) =>
    s >= 3600
      ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
      : `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  switch (e.type) {
    case 'start':
      return `train ${e.name}: ${e.parameters.toLocaleString('en')} parameters, vocab ${e.vocabSize}, ${e.trainChars.toLocaleString('en')} train / ${e.validationChars.toLocaleString('en')} validation / ${e.testChars.toLocaleString('en')} test chars, ${e.totalSteps} steps (${e.stepsPerEpoch}/epoch)${(e.workers ?? 1) > 1 ? `, ${e.workers} workers` : ''}${e.resumedFrom ? `, resumed at step ${e.resumedFrom}` : ''}`;
    case 'step':
      return `step ${e.step}/${e.totalSteps} epoch ${f(e.epoch, 2)} loss ${f(e.loss)} lr ${e.lr.toPrecision(3)} |g| ${f(e.gradNorm, 2)} ${Math.round(e.tokensPerSec)} chars/s elapsed ${time(e.elapsedSec)} eta ${time(e.etaSec)}`;
    case 'validation':
      return `validation step ${e.step}: ${f(e.loss.natsPerChar, 4)} nats/char, ${f(e.loss.bitsPerChar, 4)} bits/char${e.best ? ' (best)' : ''} lr ${e.lr.toPrecision(3)}`;
    case 'checkpoint':
      return `checkpoint ${e.slot} at step ${e.step} → ${e.dir}`;
    case 'done':
      return `done (${e.reason}) at step ${e.step}: validation ${f(e.validation.natsPerChar, 4)} nats/char, test ${f(e.test.natsPerChar, 4)} nats/char, stored weights ${f(e.quantizedValidation.natsPerChar, 4)} nats/char on validation → ${e.modelDir}`;
  }
}

/** Trains a char-LM as `config` says, resuming from the work directory's `last` checkpoint if any. */
export async function trainCharLm(config: CharLmConfig, opts: CharLmTrainOptions = {}): Promise<CharLmTrainResult> {
  const emit = opts.onEvent ?? (() => {});
  const t = config.training;
  const workDir = config.output.workDir;
  const run = { kind: 'charlm', name: config.name };
  const tookOver = [
    claimRunDir(workDir, run, opts.overwrite),
    claimRunDir(config.output.dir, run, opts.overwrite, false),
  ].some(Boolean);
  const split = await loadCorpus(config);

  // The tokenizer is built from the training text once and kept in the work directory, so a resumed
  // run uses exactly the same ids.
  const tokPath = join(workDir, TOKENIZER_FILE);
  const resume = !tookOver && (opts.resume ?? true) && hasCheckpoint(workDir, 'last') && existsSync(tokPath);
  const tokenizer = resume
    ? CharTokenizer.load(tokPath)
    : CharTokenizer.train([split.train], { minCount: config.data.minCharCount });
  if (!resume) {
    mkdirSync(workDir, { recursive: true });
    tokenizer.save(tokPath);
  }
  const trainIds = encode(tokenizer, split.train);
  const validIds = encode(tokenizer, split.validation);
  const testIds = encode(tokenizer, split.test);

  const net = new CharLmNet(config.model, tokenizer.vocabSize, t.seed);
  const vars = net.variables();
  const adam = new Adam(vars, { lr: t.lr });
  const plateau = new PlateauScheduler({ factor: t.lrDecay, patience: t.lrPatience, minLr: t.minLr });
  const batcher = new StreamBatcher(trainIds, t.batchSize, t.seqLen);
  const perEpoch = batcher.batchesPerEpoch;
  const totalSteps = t.maxSteps > 0 ? Math.min(t.maxSteps, t.epochs * perEpoch) : t.epochs * perEpoch;

  let step = 0;
  let resumedWorkers: number | undefined;
  let bestValid = Infinity;
  let trainSeconds = 0;
  let carry: CharLmState = net.zeroState(t.batchSize);
  const carryTensors = (): NamedTensors => {
    const out: NamedTensors = {};
    carry.h.forEach((h, k) => (out[`carry/h${k}`] = h));
    carry.c.forEach((c, k) => (out[`carry/c${k}`] = c));
    return out;
  };
  if (resume) {
    const ck = loadCheckpoint(workDir, 'last');
    const s = ck.state;
    assignWeights(vars, ck.weights, join(workDir, 'checkpoints/last/weights.bin'));
    disposeState(carry);
    carry = {
      h: net.layers.map((_, k) => ck.optimizer[`carry/h${k}`] as tf.Tensor2D),
      c: config.model.cell === 'lstm' ? net.layers.map((_, k) => ck.optimizer[`carry/c${k}`] as tf.Tensor2D) : [],
    };
    const moments: NamedTensors = {};
    for (const [k, v] of Object.entries(ck.optimizer)) if (!k.startsWith('carry/')) moments[k] = v;
    adam.loadState(moments, s.adamStep as number);
    adam.lr = s.lr as number;
    plateau.state = s.plateau as unknown as PlateauState;
    if (plateau.state.best === null) plateau.state.best = Infinity;
    step = s.step as number;
    bestValid = (s.bestValid as number | null) ?? Infinity;
    trainSeconds = s.trainSeconds as number;
    resumedWorkers = (s.workers as number | undefined) ?? 1;
  }

  const workers = resolveWorkers(t.workers, resumedWorkers);
  const gradients = await CharLmGradients.create(net, workers.count);
  emit({
    type: 'start',
    name: config.name,
    parameters: net.paramCount(),
    vocabSize: tokenizer.vocabSize,
    trainChars: trainIds.length,
    validationChars: validIds.length,
    testChars: testIds.length,
    totalSteps,
    stepsPerEpoch: perEpoch,
    resumedFrom: step,
    workers: gradients.shards,
  });

  const checkpoint = async (slot: 'last' | 'best') => {
    const state: { [key: string]: JsonValue } = {
      step,
      adamStep: adam.step,
      lr: adam.lr,
      plateau: { best: Number.isFinite(plateau.state.best) ? plateau.state.best : null, bad: plateau.state.bad },
      bestValid: Number.isFinite(bestValid) ? bestValid : null,
      trainSeconds,
      seed: t.seed,
      workers: gradients.shards,
    };
    await saveCheckpoint(workDir, slot, {
      weights: vars,
      optimizer: { ...adam.stateTensors(), ...carryTensors() },
      state,
    });
    emit({ type: 'checkpoint', step, slot, dir: join(workDir, 'checkpoints', slot) });
  };

  const runStart = performance.now();
  let windowStart = performance.now();
  let windowLoss = 0;
  let windowSteps = 0;
  let lastNorm = 0;
  let reason: 'epochs' | 'maxSteps' | 'maxMinutes' | 'aborted' =
    t.maxSteps > 0 && t.maxSteps < t.epochs * perEpoch ? 'maxSteps' : 'epochs';
  let savedAt = -1;
  while (step < totalSteps) {
    await new Promise((resolve) => setImmediate(resolve)); // let signals and stop requests in (tfjs awaits are microtasks)
    if (opts.signal?.aborted) {
      reason = 'aborted';
      break;
    }
    if (t.maxMinutes > 0 && (performance.now() - runStart) / 60000 >= t.maxMinutes) {
      reason = 'maxMinutes';
      break;
    }
    const epoch = Math.floor(step / perEpoch);
    const i = step % perEpoch;
    if (i === 0 && step > 0) {
      disposeState(carry);
      carry = net.zeroState(t.batchSize);
    }
    const { inputs, targets } = batcher.batch(epoch, i, t.seed);
    const stepStart = performance.now();
    const seed = t.seed * 100003 + step * 16;
    const r = await gradients.compute(
      { inputs, targets, rows: t.batchSize, seqLen: t.seqLen, dropout: config.model.dropout, seed },
      carry,
    );
    const clipped = clipByGlobalNorm(r.grads, t.clipNorm);
    lastNorm = clipped.norm;
    adam.apply(clipped.grads);
    tf.dispose([Object.values(r.grads), Object.values(clipped.grads)]);
    disposeState(carry);
    carry = r.carry;
    windowLoss += r.loss;
    windowSteps += 1;
    step += 1;
    trainSeconds += (performance.now() - stepStart) / 1000;

    if (step % t.logEvery === 0 || step === totalSteps) {
      const now = performance.now();
      const secs = (now - windowStart) / 1000;
      const elapsedSec = (now - runStart) / 1000;
      const perStep = secs / windowSteps;
      let eta = (totalSteps - step) * perStep;
      if (t.maxMinutes > 0) eta = Math.min(eta, Math.max(0, t.maxMinutes * 60 - elapsedSec));
      emit({
        type: 'step',
        step,
        totalSteps,
        epoch: step / perEpoch,
        loss: windowLoss / windowSteps,
        lr: adam.lr,
        gradNorm: lastNorm,
        tokensPerSec: (windowSteps * t.batchSize * t.seqLen) / secs,
        elapsedSec,
        etaSec: eta,
      });
      windowStart = now;
      windowLoss = 0;
      windowSteps = 0;
    }
    if (step % t.validEvery === 0) {
      const loss = await evaluateIds(net, validIds, { maxChars: t.validChars });
      const best = loss.natsPerChar < bestValid;
      adam.lr = plateau.observe(loss.natsPerChar, adam.lr);
      emit({ type: 'validation', step, epoch: step / perEpoch, loss, best, lr: adam.lr });
      if (best) {
        bestValid = loss.natsPerChar;
        await checkpoint('best');
      }
    }
    if (step % t.checkpointEvery === 0) {
      await checkpoint('last');
      savedAt = step;
    }
  }
  if (savedAt !== step) await checkpoint('last');
  disposeState(carry);
  await gradients.close();

  // Export: the best checkpoint (or the last weights if validation never ran), evaluated at full
  // precision and as stored.
  if (hasCheckpoint(workDir, 'best')) {
    const best = loadCheckpoint(workDir, 'best');
    for (const x of Object.values(best.optimizer)) x.dispose();
    assignWeights(vars, best.weights);
  }
  const validation = await evaluateIds(net, validIds);
  const test = await evaluateIds(net, testIds);
  const training: { [key: string]: JsonValue } = {
    config: JSON.parse(
      JSON.stringify({ ...config, data: { ...config.data, corpus: basename(config.data.corpus) } }),
    ) as JsonValue,
    steps: step,
    epochs: Number((step / perEpoch).toFixed(3)),
    trainSeconds: Math.round(trainSeconds),
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, tfjs backend ${tf.getBackend()}`,
    workers: gradients.shards,
    trainChars: trainIds.length,
    validationChars: validIds.length,
    testChars: testIds.length,
    validationEpisodes: split.validationDocs,
    testEpisodes: split.testDocs,
    finished: new Date().toISOString(),
  };
  const fullMetrics = { validation: { ...validation }, test: { ...test } };
  saveCharLm(join(workDir, 'model'), net, tokenizer, {
    name: config.name,
    dtype: 'float32',
    training,
    metrics: fullMetrics,
  });
  // Quantize by round-tripping the weights through the stored dtype, then measure.
  saveCharLm(config.output.dir, net, tokenizer, {
    name: config.name,
    dtype: config.output.dtype,
    training,
    metrics: fullMetrics,
  });
  const stored = loadCharLm(config.output.dir);
  const quantizedValidation = await evaluateIds(stored.net, validIds);
  const quantizedTest = await evaluateIds(stored.net, testIds);
  stored.net.dispose();
  saveCharLm(config.output.dir, net, tokenizer, {
    name: config.name,
    dtype: config.output.dtype,
    training,
    metrics: {
      validation: { ...quantizedValidation },
      test: { ...quantizedTest },
      float32: fullMetrics,
      storedMinusFloat32NatsPerChar: Number((quantizedValidation.natsPerChar - validation.natsPerChar).toFixed(5)),
    },
  });
  emit({ type: 'done', step, reason, validation, test, quantizedValidation, modelDir: config.output.dir });
  adam.dispose();
  net.dispose();
  return { steps: step, validation, test, quantizedValidation, modelDir: config.output.dir };
}

/** Reads a checkpoint's step count (for tools that want to show progress of a run). */
export function checkpointStep(workDir: string): number | undefined {
  const p = join(workDir, 'checkpoints/last/state.json');
  if (!existsSync(p)) return undefined;
  return (JSON.parse(readFileSync(p, 'utf8')) as { step: number }).step;
}
