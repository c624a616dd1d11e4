// `parley train <config.yaml>`: trains the model a config describes. The config's top-level `kind:` picks
// the trainer (charlm, seq2seq, classifier or embeddings). Every trainer reports the same progress events: their
// train.log lines go to stderr (not with --quiet), a summary to stdout. Checkpointed runs resume from their
// `last` checkpoint unless --fresh, and stop cleanly (a checkpoint, then the model) on Ctrl-C, SIGTERM or SIGHUP,
// print the command that resumes, and exit 130/143/129.
import { describeBackend, initBackend } from '@parley/engine';
import {
  loadTrainingConfig,
  trainCharLm,
  trainEmbeddings,
  trainSeq2seq,
  type CharLmConfig,
  type EmbeddingsConfig,
  type Seq2seqConfig,
} from '@parley/core';
import { defineCommand, UsageError } from '../command';
import { inputErrors, inputErrorsAsync, trainClassifierRun } from '../classifier-cli';
import { sharedDir } from '../paths';
import { onStop, SIGNAL_EXIT_CODE, stopSignal } from '../process-guard';

export const command = defineCommand(
  {
    name: 'train',
    summary: 'train a model from a YAML config (kind: charlm, seq2seq, classifier or embeddings)',
    positionals: [{ name: 'config', help: 'the YAML config (apps/parley/configs/*.yaml)', required: true }],
    options: {
      fresh: { type: 'boolean', help: 'ignore an existing checkpoint and start over' },
      overwrite: {
        type: 'boolean',
        help: 'train into output directories that hold another model or files Parley did not write',
      },
      maxUpdates: {
        type: 'int',
        min: 0,
        help: "stop after N updates (overrides the config's training.maxUpdates / maxSteps)",
      },
      quiet: { type: 'boolean', help: 'no progress lines on stderr (they still go to train.log)' },
      folds: {
        type: 'int',
        min: 2,
        arg: 'K',
        help: 'classifier: k-fold cross-validation (K models, each tested on one fold; prints the mean)',
      },
      fold: {
        type: 'list',
        arg: 'I',
        check: (v: string[]) =>
          v.find((f) => !/^[1-9]\d*$/.test(f)) === undefined
            ? undefined
            : 'must be fold numbers 1, 2, … (comma-separated)',
        help: 'with --folds: run only these folds (1-based; the same folds as a full run), e.g. to spread a slow cross-validation over several runs',
      },
      ensemble: {
        type: 'list',
        arg: 'CONFIG',
        help: 'with --folds: also train these classifier configs on each fold and score the average of all the probabilities',
      },
    },
  },
  async ({ opts, args }) => {
    const config = inputErrors(() => loadTrainingConfig(args.config, sharedDir()));
    const controller = new AbortController();
    const removeStop = onStop((signal) => {
      process.stderr.write(
        `\nstopping (${signal}): writing a checkpoint and exporting the model (Ctrl-C again to quit at once)\n`,
      );
      controller.abort();
      return 'graceful';
    });
    try {
      if (opts.folds !== undefined && config.kind !== 'classifier')
        throw new UsageError('--folds is for kind: classifier configs');
      if (opts.fold.length && opts.folds === undefined) throw new UsageError('--fold goes with --folds K');
      const tooBig = opts.fold.find((f) => Number(f) > opts.folds!);
      if (tooBig !== undefined) throw new UsageError(`--fold ${tooBig}: there are only ${opts.folds} folds`);
      if (opts.ensemble?.length && opts.folds === undefined)
        throw new UsageError('--ensemble goes with --folds (it cross-validates an ensemble)');
      const ensemble = (opts.ensemble ?? []).map((file) => {
        const c = inputErrors(() => loadTrainingConfig(file, sharedDir()));
        if (c.kind !== 'classifier') throw new UsageError(`${file}: --ensemble takes kind: classifier configs`);
        return c;
      });
      // A data file that is missing, empty or malformed, an output directory holding another model, or an
      // ensemble member crossValidate refuses (another data file): exit 2, before any training.
      await inputErrorsAsync(async () => {
        if (config.kind === 'charlm') await trainCharLmRun(config, opts, controller.signal);
        else if (config.kind === 'classifier')
          await trainClassifierRun(
            config,
            { ...opts, ensemble, ...(opts.fold.length ? { only: opts.fold.map(Number) } : {}) },
            controller.signal,
          );
        else if (config.kind === 'embeddings') await trainEmbeddingsRun(config, opts, controller.signal);
        else await trainSeq2seqRun(config, opts, controller.signal);
      });
    } finally {
      removeStop();
    }
    const signal = stopSignal();
    if (!signal) return 0;
    if (config.kind === 'embeddings') {
      process.stderr.write(
        `stopped by ${signal}; the vectors trained so far are in ${config.output.dir} (embeddings runs do not resume: train again for the full run)\n`,
      );
      return SIGNAL_EXIT_CODE[signal];
    }
    if (opts.folds !== undefined) {
      process.stderr.write(
        `stopped by ${signal}; a cross-validation does not resume: run the folds still to do (above) with --fold\n`,
      );
      return SIGNAL_EXIT_CODE[signal];
    }
    const where = config.kind === 'charlm' ? config.output.workDir : config.modelDir;
    process.stderr.write(
      `stopped by ${signal}; the checkpoint is in ${where}/checkpoints/last\nresume with: parley train ${args.config}\n`,
    );
    return SIGNAL_EXIT_CODE[signal];
  },
);

interface RunOptions {
  fresh: boolean;
  overwrite: boolean;
  maxUpdates: number | undefined;
  quiet: boolean;
}

/** Where progress goes: train.log's lines on stderr, unless --quiet (then train.log only). */
const progressLog = (quiet: boolean) => (quiet ? undefined : (l: string) => process.stderr.write(l + '\n'));

async function trainCharLmRun(config: CharLmConfig, opts: RunOptions, signal: AbortSignal): Promise<void> {
  const backend = await initBackend();
  if (!opts.quiet)
    process.stderr.write(
      `${describeBackend(backend).split('\n')[0]}\nwork directory: ${config.output.workDir} (train.log, checkpoints)\n`,
    );
  if (opts.maxUpdates !== undefined)
    config = { ...config, training: { ...config.training, maxSteps: opts.maxUpdates } };
  const r = await trainCharLm(config, {
    resume: !opts.fresh,
    overwrite: opts.overwrite,
    signal,
    log: progressLog(opts.quiet),
  });
  const f = (x: number) => x.toFixed(4);
  process.stdout.write(
    `${r.stopReason}; ${r.steps} updates; validation ${f(r.validation.natsPerChar)} nats/char, test ${f(r.test.natsPerChar)} nats/char (stored ${config.output.dtype}: validation ${f(r.quantizedValidation.natsPerChar)})\nmodel: ${r.modelDir}\n`,
  );
}

async function trainSeq2seqRun(cfg: Seq2seqConfig, opts: RunOptions, signal: AbortSignal): Promise<void> {
  const backend = await initBackend();
  if (!opts.quiet)
    process.stderr.write(
      `${describeBackend(backend)}\nmodel directory: ${cfg.modelDir} (train.log, validations.tsv)\n`,
    );
  const r = await trainSeq2seq(cfg, {
    resume: !opts.fresh,
    overwrite: opts.overwrite,
    maxUpdates: opts.maxUpdates,
    signal,
    log: progressLog(opts.quiet),
  });
  const b = r.best;
  process.stdout.write(
    `${r.stopReason}; ${r.steps} updates, ${Math.round(r.tokensPerSecond)} tokens/s` +
      (b ? `; best dev BLEU ${b.bleu.toFixed(2)} chrF ${b.chrf.toFixed(2)} at update ${b.step} (greedy)` : '') +
      `\nmodel: ${cfg.modelDir}\n`,
  );
}

/** Trains an embeddings config (`parley embeddings train` runs this command). */
async function trainEmbeddingsRun(config: EmbeddingsConfig, opts: RunOptions, signal: AbortSignal): Promise<void> {
  const r = await trainEmbeddings(config, { overwrite: opts.overwrite, signal, log: progressLog(opts.quiet) });
  process.stdout.write(
    `${r.stopReason}; ${r.words.toLocaleString('en')} words in ${r.seconds.toFixed(1)} s; ${r.vectors.size.toLocaleString('en')} vectors of ${r.vectors.dim}\nmodel: ${r.modelDir}\n`,
  );
}
