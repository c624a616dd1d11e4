// Runs one training run in its own process for the Train screen, so the app stays responsive:
// `tsx train-worker.ts <config.yaml> [--resume]` writes one JSON TrainEvent per line on stdout.
// Stopping (SIGINT, or the file PARLEY_STOP_FILE appearing, checked at each progress report because a
// busy training loop may not let Node handle signals): the char-LM trainer writes a checkpoint and
// exports the model first; the seq2seq and classifier trainers, whose AbortSignal is looked at before
// every update, validate once more and write checkpoints/last.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, describeBackend } from '@parley/engine';
import {
  CharLmNet,
  assignWeights,
  chatPrompt,
  loadTrainingConfig,
  loadCheckpoint,
  trainCharLm,
  trainEmbeddings,
  type EmbeddingsTrainEvent,
  trainSeq2seq,
  type CharLmConfig,
  type TrainEvent as CharLmEvent,
  trainClassifier,
} from '@parley/core';
import { CharTokenizer } from '@parley/text';
import { sampleLine } from './charlm-samples';
import { sharedDir } from '../../paths';
import type { TrainEvent } from '../services';

const emit = (e: TrainEvent) => process.stdout.write(JSON.stringify(e) + '\n');
const stopRequested = () => !!process.env.PARLEY_STOP_FILE && existsSync(process.env.PARLEY_STOP_FILE);

/** Maps the char-LM trainer's events onto the dashboard's. */
export function fromCharLm(e: CharLmEvent, meta: { dir: string; epochs: number; stepsPerEpoch?: number }): TrainEvent {
  switch (e.type) {
    case 'start':
      meta.stepsPerEpoch = e.stepsPerEpoch;
      return {
        type: 'start',
        kind: `char-LM ${e.name} (${e.parameters.toLocaleString('en')} parameters)`,
        dir: meta.dir,
        totalEpochs: meta.epochs,
        stepsPerEpoch: e.stepsPerEpoch,
        totalSteps: e.totalSteps,
        startStep: e.resumedFrom,
        metric: 'bits/char',
        higherIsBetter: false,
      };
    case 'step': {
      const epoch = Math.floor(e.epoch);
      const epochStep = meta.stepsPerEpoch ? Math.round((e.epoch - epoch) * meta.stepsPerEpoch) : undefined;
      return {
        type: 'step',
        step: e.step,
        epoch,
        epochStep,
        loss: e.loss,
        tokensPerSec: e.tokensPerSec,
        etaSec: e.etaSec,
        learningRate: e.lr,
      };
    }
    case 'validation':
      return {
        type: 'validation',
        step: e.step,
        loss: e.loss.natsPerChar,
        metric: e.loss.bitsPerChar,
        best: e.best,
        samples: [],
      };
    case 'checkpoint':
      return { type: 'checkpoint', step: e.step, path: e.dir, best: e.slot === 'best' };
    case 'done':
      return { type: 'done', reason: e.reason === 'aborted' ? 'stopped' : 'finished', step: e.step };
  }
}

/** Maps the embeddings trainer's events onto the dashboard's (a step is one word processed; no validation). */
export function fromEmbeddings(
  e: EmbeddingsTrainEvent,
  meta: { dir: string; epochs: number; wordsPerEpoch?: number },
): TrainEvent {
  switch (e.type) {
    case 'start':
      meta.wordsPerEpoch = e.trainWords;
      return {
        type: 'start',
        kind: `embeddings ${e.name} (${e.vocabSize.toLocaleString('en')} words)`,
        dir: meta.dir,
        totalEpochs: meta.epochs,
        stepsPerEpoch: e.trainWords,
        totalSteps: e.trainWords * meta.epochs,
        startStep: 0,
        metric: 'loss',
        higherIsBetter: false,
      };
    case 'step': {
      const epoch = Math.floor(e.epoch);
      return {
        type: 'step',
        step: e.step,
        epoch,
        epochStep: meta.wordsPerEpoch ? Math.round((e.epoch - epoch) * meta.wordsPerEpoch) : undefined,
        loss: e.loss,
        tokensPerSec: e.tokensPerSec,
        etaSec: e.etaSec,
        learningRate: e.lr,
      };
    }
    case 'done':
      return { type: 'done', reason: e.reason === 'aborted' ? 'stopped' : 'finished', step: e.words };
  }
}

/** Lines the char-LM is asked to answer at each validation (for dialogue corpora). */
export const SAMPLE_PROMPTS: [speaker: string, text: string][] = [
  ['Leonard', 'Sheldon, what are you doing?'],
  ['Penny', 'Do you want to get some dinner?'],
];

/**
 * Samples from a char-LM checkpoint: the dashboard's "samples at each validation". The char-LM trainer
 * does not hand out its network, so this loads the checkpoint it just wrote into a second network.
 */
export function charLmSampler(cfg: CharLmConfig): (slot: 'last' | 'best') => string[] {
  let lm: { net: CharLmNet; tokenizer: CharTokenizer } | undefined;
  return (slot) => {
    if (!lm) {
      const tokenizer = CharTokenizer.load(join(cfg.output.workDir, 'tokenizer.json'));
      lm = { net: new CharLmNet(cfg.model, tokenizer.vocabSize), tokenizer };
    }
    const ck = loadCheckpoint(cfg.output.workDir, slot);
    for (const t of Object.values(ck.optimizer)) t.dispose();
    assignWeights(lm.net.variables(), ck.weights, `${cfg.output.workDir}/checkpoints/${slot}`);
    if (cfg.data.format !== 'dialogue') return [sampleLine(lm.net, lm.tokenizer, '\n')];
    return SAMPLE_PROMPTS.map(
      ([speaker, text], i) =>
        `${speaker}: ${text} → Sheldon: ${sampleLine(lm!.net, lm!.tokenizer, chatPrompt([{ speaker, text }], 'Sheldon'), 100, 0.7, i + 1)}`,
    );
  };
}

async function main(argv: string[]): Promise<number> {
  const [config, ...rest] = argv;
  if (!config) throw new Error('usage: train-worker <config.yaml> [--resume]');
  const resume = rest.includes('--resume');
  const loaded = loadTrainingConfig(config, sharedDir());
  const controller = new AbortController();
  if (loaded.kind === 'charlm') {
    const cfg = loaded;
    process.on('SIGINT', () => controller.abort());
    emit({ type: 'log', line: describeBackend(await initBackend()) });
    const meta = { dir: cfg.output.dir, epochs: cfg.training.epochs };
    const sample = charLmSampler(cfg);
    let validatedAt = -1;
    await trainCharLm(cfg, {
      resume,
      signal: controller.signal,
      onEvent: (e) => {
        emit(fromCharLm(e, meta));
        if (e.type === 'validation') validatedAt = e.step;
        // The first checkpoint written at a validation's step holds the weights that were validated.
        if (e.type === 'checkpoint' && e.step === validatedAt) {
          validatedAt = -1;
          try {
            emit({ type: 'samples', step: e.step, samples: sample(e.slot) });
          } catch (err) {
            emit({ type: 'log', line: `samples failed: ${err instanceof Error ? err.message : String(err)}` });
          }
        }
        if (stopRequested() && !controller.signal.aborted) controller.abort();
      },
    });
    return 0;
  }
  if (loaded.kind === 'classifier') {
    // The classifier trainer emits the dashboard's events itself; a stop request is polled between updates.
    process.on('SIGINT', () => controller.abort());
    const poll = setInterval(() => stopRequested() && controller.abort(), 200);
    emit({ type: 'log', line: describeBackend(await initBackend()) });
    try {
      await trainClassifier(loaded, { resume, signal: controller.signal, onEvent: emit });
    } finally {
      clearInterval(poll);
    }
    return 0;
  }
  if (loaded.kind === 'embeddings') {
    process.on('SIGINT', () => controller.abort());
    const meta = { dir: loaded.output.dir, epochs: loaded.training.epochs };
    await trainEmbeddings(loaded, {
      signal: controller.signal,
      onEvent: (e) => {
        emit(fromEmbeddings(e, meta));
        if (stopRequested() && !controller.signal.aborted) controller.abort();
      },
    });
    return 0;
  }
  {
    // SIGINT may only be seen between updates; either way the trainer stops before its next update.
    process.on('SIGINT', () => controller.abort());
    const poll = setInterval(() => stopRequested() && controller.abort(), 250);
    emit({ type: 'log', line: describeBackend(await initBackend()) });
    try {
      // The trainer emits the dashboard's events itself (start, progress, validations with example
      // translations, checkpoints, log lines, done); train.log is the same events formatted.
      await trainSeq2seq(loaded, { resume, signal: controller.signal, onEvent: emit });
    } finally {
      clearInterval(poll);
    }
    return 0;
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
