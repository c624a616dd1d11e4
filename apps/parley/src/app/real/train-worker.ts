// Runs one training run in its own process for the Train screen, so the app stays responsive:
// `tsx train-worker.ts <config.yaml> [--resume | --folds K]` writes one JSON ProgressEvent per line on stdout: the events
// the trainer emits, as they are (train.log is the same events formatted), plus the char-LM's samples of each
// validated checkpoint, drawn by the library's sampler (chatReply / generateChars, the settings `parley chat` and
// `parley generate` use) between the trainer's steps. Stopping (SIGINT, or the file PARLEY_STOP_FILE appearing) aborts the trainer's signal:
// every trainer stops before its next update; the char-LM writes a checkpoint and exports the model, the seq2seq
// and classifier trainers validate once more and write checkpoints/last, the embeddings write the vectors so far.
import { errorMessage } from '@parley/engine/errors';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend, describeBackend } from '@parley/engine';
import {
  CharLmNet,
  assignWeights,
  crossValidate,
  chatReply,
  generateChars,
  loadTrainingConfig,
  loadCheckpoint,
  trainCharLm,
  trainEmbeddings,
  trainSeq2seq,
  type CharLmConfig,
  trainClassifier,
} from '@parley/core';
import { CharTokenizer, collect } from '@parley/text';
import { sharedDir } from '../../paths';
import type { TrainEvent } from '../services';

const emit = (e: TrainEvent) => process.stdout.write(JSON.stringify(e) + '\n');
const stopRequested = () => !!process.env.PARLEY_STOP_FILE && existsSync(process.env.PARLEY_STOP_FILE);

/** Lines the char-LM is asked to answer at each validation (for dialogue corpora). */
export const SAMPLE_PROMPTS: [speaker: string, text: string][] = [
  ['Leonard', 'Sheldon, what are you doing?'],
  ['Penny', 'Do you want to get some dinner?'],
];

/** The dashboard's samples: the library's sampling settings, at most this many characters, seeds 1, 2, … */
export const SAMPLE_CHARS = 100;

/**
 * Samples from a char-LM checkpoint: the dashboard's "samples at each validation". The char-LM trainer
 * does not hand out its network, so this reads the checkpoint it just wrote (at once, before a later one
 * replaces it) and loads it into a second network. The samples are drawn by @parley/decode's sampler through
 * chatReply / generateChars, one call after another, while the trainer goes on.
 */
export function charLmSampler(cfg: CharLmConfig): (slot: 'last' | 'best') => Promise<string[]> {
  let lm: { net: CharLmNet; tokenizer: CharTokenizer } | undefined;
  let previous: Promise<unknown> = Promise.resolve();
  return (slot) => {
    const ck = loadCheckpoint(cfg.output.workDir, slot);
    for (const t of Object.values(ck.optimizer)) t.dispose();
    const run = async (): Promise<string[]> => {
      if (!lm) {
        const tokenizer = CharTokenizer.load(join(cfg.output.workDir, 'tokenizer.json'));
        lm = { net: new CharLmNet(cfg.model, tokenizer.vocabSize), tokenizer };
      }
      const net = lm;
      assignWeights(net.net.variables(), ck.weights, `${cfg.output.workDir}/checkpoints/${slot}`);
      const joined = async (chars: AsyncIterable<string>) => (await collect(chars)).join('');
      if (cfg.data.format !== 'dialogue') {
        const line = generateChars(net, '\n', { maxNewTokens: SAMPLE_CHARS, seed: 1, stopStrings: ['\n'] });
        return [(await joined(line)).replace(/\n$/, '')];
      }
      const samples: string[] = [];
      for (const [i, [speaker, text]] of SAMPLE_PROMPTS.entries()) {
        const reply = await joined(
          chatReply(net, [{ speaker, text }], { as: 'Sheldon', maxNewTokens: SAMPLE_CHARS, seed: i + 1 }),
        );
        samples.push(`${speaker}: ${text} → Sheldon: ${reply}`);
      }
      return samples;
    };
    const result = previous.then(run, run);
    previous = result.catch(() => undefined);
    return result;
  };
}

async function main(argv: string[]): Promise<number> {
  const [config, ...rest] = argv;
  if (!config) throw new Error('usage: train-worker <config.yaml> [--resume | --folds K]');
  const resume = rest.includes('--resume');
  const foldsAt = rest.indexOf('--folds');
  const folds = foldsAt >= 0 ? Number(rest[foldsAt + 1]) : undefined;
  if (folds !== undefined && !(Number.isInteger(folds) && folds >= 2))
    throw new Error(`--folds must be a whole number ≥ 2, got ${rest[foldsAt + 1]}`);
  const loaded = loadTrainingConfig(config, sharedDir());
  if (folds !== undefined && loaded.kind !== 'classifier')
    throw new Error(`${config}: cross-validation is for kind: classifier configs (this one is kind: ${loaded.kind})`);
  // Every trainer emits the dashboard's events itself and stops before its next update once the signal is
  // aborted: by SIGINT, or the stop file (looked for on a timer and at every event).
  const controller = new AbortController();
  const stop = () => stopRequested() && controller.abort();
  process.on('SIGINT', () => controller.abort());
  const poll = setInterval(stop, 200);
  emit({ type: 'log', line: describeBackend(await initBackend()) });
  const opts = { resume, signal: controller.signal };
  try {
    if (loaded.kind === 'charlm') {
      // Samples of the validated weights: the first checkpoint written at a validation's step holds them.
      const sample = charLmSampler(loaded);
      const pending: Promise<unknown>[] = [];
      let done: TrainEvent | undefined;
      let validatedAt = -1;
      await trainCharLm(loaded, {
        ...opts,
        onEvent: (e) => {
          if (e.type === 'done')
            done = e; // emitted last, after the samples still being drawn
          else emit(e);
          if (e.type === 'validation') validatedAt = e.step;
          if (e.type === 'checkpoint' && e.step === validatedAt) {
            validatedAt = -1;
            const failed = (err: unknown) => emit({ type: 'log', line: `samples failed: ${errorMessage(err)}` });
            try {
              const step = e.step;
              pending.push(
                sample(e.best ? 'best' : 'last').then((samples) => emit({ type: 'samples', step, samples }), failed),
              );
            } catch (err) {
              failed(err);
            }
          }
          stop();
        },
      });
      await Promise.all(pending);
      if (done) emit(done);
    } else {
      const onEvent = (e: TrainEvent) => (emit(e), stop());
      if (loaded.kind === 'classifier' && folds !== undefined)
        await crossValidate(loaded, folds, { signal: controller.signal, onEvent });
      else if (loaded.kind === 'classifier') await trainClassifier(loaded, { ...opts, onEvent });
      else if (loaded.kind === 'embeddings') await trainEmbeddings(loaded, { signal: controller.signal, onEvent });
      else await trainSeq2seq(loaded, { ...opts, onEvent });
    }
  } finally {
    clearInterval(poll);
  }
  return 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
