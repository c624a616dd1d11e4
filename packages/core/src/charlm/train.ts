// Char-LM training: truncated BPTT over a continuous stream with the state carried across batches,
// Adam, clipping by global norm, learning-rate decay on plateau, periodic validation in nats/char,
// `last` and `best` checkpoints written atomically, and exact resume (weights, optimizer moments,
// carried state, step, learning rate and scheduler are all checkpointed; data order and dropout masks
// are functions of the seed and the step). Progress goes out as the one ProgressEvent union (common/events.ts), and
// train.log in the work directory is those events formatted.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CharTokenizer } from '@parley/text';
import {
  Adam,
  PlateauScheduler,
  assignWeights,
  checkDataFile,
  claimRunDir,
  DataFileError,
  clipByGlobalNorm,
  doneEvent,
  hasCheckpoint,
  loadCheckpoint,
  nextTurn,
  saveCheckpoint,
  STOP_REASONS,
  stopBeforeUpdate,
  StepWindow,
  trainLog,
  type JsonValue,
  type NamedTensors,
  type PlateauState,
  type ProgressSinks,
} from '../common/index';
import type { CharLmConfig } from './config';
import { readDialogueDocs, readTextDocs, splitDocs, StreamBatcher, type TextSplit } from './data';
import { evaluateIds, type TextLoss } from './evaluate';
import { resolveWorkers } from '../common/data-parallel';
import { CharLmNet, disposeState, type CharLmState } from './model';
import { CharLmGradients } from './parallel';
import { TOKENIZER_FILE, loadCharLm, saveCharLm } from './model-dir';

export interface CharLmTrainOptions extends ProgressSinks {
  /** Continue from the `last` checkpoint in the work directory when there is one. Default true. */
  resume?: boolean;
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
  /** Why training stopped (a STOP_REASONS text, as in the done event). */
  stopReason: string;
  validation: TextLoss;
  test: TextLoss;
  quantizedValidation: TextLoss;
  modelDir: string;
}

/** The corpus split into texts (dialogue turns or plain text), as training sees it. */
export async function loadCorpus(config: CharLmConfig): Promise<TextSplit> {
  const { corpus, format, validation, test, splitSeed } = config.data;
  checkDataFile('data.corpus', corpus);
  const docs = format === 'dialogue' ? await readDialogueDocs(corpus) : readTextDocs(corpus);
  // Too few episodes (or blocks) to hold out validation and test and still train: say so, naming the file.
  let split: TextSplit | undefined;
  try {
    split = splitDocs(docs, validation, test, splitSeed);
  } catch {
    // splitDataset: validation + test exceed the episodes
  }
  if (!split || split.train.trim() === '') {
    const n = docs.length;
    const units = `${n} ${format === 'dialogue' ? 'episode' : 'block'}${n === 1 ? '' : 's'}${format === 'dialogue' ? '' : ' of 1000 lines'}`;
    throw new DataFileError(
      'data.corpus',
      corpus,
      `has ${units}: too few to hold out data.validation (${validation}) and data.test (${test}) and train on the rest`,
    );
  }
  return split;
}

const encode = (tok: CharTokenizer, text: string) => Int32Array.from(tok.encode(text));

/** Trains a char-LM as `config` says, resuming from the work directory's `last` checkpoint if any. */
export async function trainCharLm(config: CharLmConfig, opts: CharLmTrainOptions = {}): Promise<CharLmTrainResult> {
  const t = config.training;
  const workDir = config.output.workDir;
  const run = { kind: 'charlm', name: config.name };
  const split = await loadCorpus(config); // a missing, empty or too small corpus: refused before any directory is made
  const tookOver = [
    claimRunDir(workDir, run, opts.overwrite),
    claimRunDir(config.output.dir, run, opts.overwrite, false),
  ].some(Boolean);
  const emit = trainLog(workDir, opts);
  const log = (line: string) => emit({ type: 'log', line });

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
  // Wall-clock seconds of training over every run of this work directory: `maxMinutes` counts this, across
  // resumes, as the seq2seq and classifier trainers do. Checkpoints written before it was kept resume from
  // their `trainSeconds` (the update time alone, the nearest figure they have).
  let elapsedBefore = 0;
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
    elapsedBefore = (s.elapsedSeconds as number | undefined) ?? trainSeconds;
    resumedWorkers = (s.workers as number | undefined) ?? 1;
  }

  const workers = resolveWorkers(t.workers, resumedWorkers);
  const gradients = await CharLmGradients.create(net, workers.count);
  const n = (x: number) => x.toLocaleString('en');
  log(
    `data: ${n(trainIds.length)} train / ${n(validIds.length)} validation / ${n(testIds.length)} test chars; vocabulary ${tokenizer.vocabSize}`,
  );
  log(`model: ${n(net.paramCount())} parameters`);
  log(`workers: ${gradients.shards} (${workers.source}; backend ${tf.getBackend()})`);
  if (step > 0) log(`resume: from checkpoints/last at update ${step}`);
  emit({
    type: 'start',
    kind: `char-LM ${config.name} (${n(net.paramCount())} parameters)`,
    dir: config.output.dir,
    totalEpochs: t.epochs,
    stepsPerEpoch: perEpoch,
    totalSteps,
    startStep: step,
    metric: 'bits/char',
    higherIsBetter: false,
  });

  const runStart = performance.now();
  const elapsed = () => elapsedBefore + (performance.now() - runStart) / 1000;
  const checkpoint = async (slot: 'last' | 'best') => {
    const state: { [key: string]: JsonValue } = {
      step,
      adamStep: adam.step,
      lr: adam.lr,
      plateau: { best: Number.isFinite(plateau.state.best) ? plateau.state.best : null, bad: plateau.state.bad },
      bestValid: Number.isFinite(bestValid) ? bestValid : null,
      trainSeconds,
      elapsedSeconds: elapsed(),
      seed: t.seed,
      workers: gradients.shards,
    };
    await saveCheckpoint(workDir, slot, {
      weights: vars,
      optimizer: { ...adam.stateTensors(), ...carryTensors() },
      state,
    });
    emit({ type: 'checkpoint', step, path: join(workDir, 'checkpoints', slot), best: slot === 'best' });
  };

  const progress = new StepWindow();
  let lastNorm = 0;
  let stopReason =
    t.maxSteps > 0 && t.maxSteps < t.epochs * perEpoch
      ? STOP_REASONS.updates(t.maxSteps)
      : STOP_REASONS.epochs(t.epochs);
  let savedAt = -1;
  while (step < totalSteps) {
    await nextTurn(); // let signals and stop requests in
    const stop = stopBeforeUpdate({
      maxMinutes: t.maxMinutes,
      elapsedSec: elapsed(),
      stopRequested: !!opts.signal?.aborted,
    });
    if (stop) {
      stopReason = stop;
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
    progress.add(r.loss, t.batchSize * t.seqLen);
    step += 1;
    trainSeconds += (performance.now() - stepStart) / 1000;

    if (step % t.logEvery === 0 || step === totalSteps) {
      const e = progress.close(
        {
          step,
          epoch: Math.floor((step - 1) / perEpoch),
          epochStep: ((step - 1) % perEpoch) + 1,
          unit: 'chars',
          learningRate: adam.lr,
          gradNorm: lastNorm,
        },
        totalSteps - step,
      );
      const left = t.maxMinutes * 60 - elapsed();
      if (t.maxMinutes > 0) e.etaSec = Math.min(e.etaSec!, Math.max(0, left));
      emit(e);
    }
    if (step % t.validEvery === 0) {
      const loss = await evaluateIds(net, validIds, { maxChars: t.validChars });
      const best = loss.natsPerChar < bestValid;
      const lr = adam.lr;
      adam.lr = plateau.observe(loss.natsPerChar, adam.lr);
      emit({
        type: 'validation',
        step,
        loss: loss.natsPerChar,
        metric: loss.bitsPerChar,
        best,
        samples: [],
        scores: { 'nats/char': loss.natsPerChar, 'bits/char': loss.bitsPerChar },
      });
      if (adam.lr !== lr)
        log(
          `lr: ${lr.toExponential(3)} → ${adam.lr.toExponential(3)} (plateau: no improvement in more than ${t.lrPatience} validations)`,
        );
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
  const f = (l: TextLoss) => `${l.natsPerChar.toFixed(4)} nats/char`;
  log(
    `model: validation ${f(validation)}, test ${f(test)}; stored as ${config.output.dtype}: validation ${f(quantizedValidation)} → ${config.output.dir}`,
  );
  emit(doneEvent(stopReason, step));
  adam.dispose();
  net.dispose();
  return { steps: step, stopReason, validation, test, quantizedValidation, modelDir: config.output.dir };
}

/** Reads a checkpoint's step count (for tools that want to show progress of a run). */
export function checkpointStep(workDir: string): number | undefined {
  const p = join(workDir, 'checkpoints/last/state.json');
  if (!existsSync(p)) return undefined;
  return (JSON.parse(readFileSync(p, 'utf8')) as { step: number }).step;
}
