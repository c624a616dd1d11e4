// The classifier side of `parley train` and `parley test` (kind: classifier configs):
//   train: trains (or resumes) the model; --folds K runs stratified k-fold cross-validation instead and prints
//          each fold and the mean (--ensemble: of the average of several configs' probabilities)
//   test:  every metric with a per-class table and the confusion matrix, for the dev and test sets
// Bad configs and data files are usage errors (exit 2) with `file:line: problem` (see inputErrorsAsync).
import { describeBackend, initBackend } from '@parley/engine';
import {
  ConfigError,
  crossValidate,
  formatScores,
  headline,
  loadClassifier,
  loadClassifierConfig,
  loadClassifierData,
  metricsJson,
  readManifest,
  scoreClassifier,
  trainClassifier,
  writeManifest,
  type ClassifierConfig,
  type JsonValue,
  type SetScores,
} from '@parley/core';
import { errorMessage } from '@parley/engine/errors';
import { RefusalError, UsageError } from './command';
import { sharedDir } from './paths';

/** Runs `f`; an error about an input file (`file: …` or `file:line: …`) becomes a UsageError (exit 2). */
export function inputErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw /^[^\s:]+(:\d+)?: /.test(errorMessage(err)) ? new UsageError(errorMessage(err)) : err;
  }
}

/** Errors that name a data file or an output directory the work refused before it began (see RefusalError). */
const REFUSALS = new Set(['CorpusError', 'DataFileError', 'NotOurDirectoryError']);

/**
 * Runs training or data loading; a data file that is missing, empty or has a bad line (`file:line: …`), or an
 * output directory holding another model, becomes a RefusalError (exit 2) for every kind of run; a config the
 * library refuses once it sees it with the others (a ConfigError, `file: problem`, e.g. an ensemble member of
 * another data file) a UsageError (exit 2), as inputErrors makes a config that does not load.
 */
export async function inputErrorsAsync<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err instanceof Error && REFUSALS.has(err.name) ? new RefusalError(err.message) : err;
  }
}

/** The options of `parley train` a classifier run uses. */
export interface ClassifierRunOptions {
  fresh: boolean;
  overwrite: boolean;
  quiet: boolean;
  folds?: number;
  /** With `folds`: more classifier configs trained on each fold, scored as one ensemble. */
  ensemble?: ClassifierConfig[];
  /** With `folds`: run only these folds (1-based). */
  only?: number[];
}

/** `parley train` for a classifier config: one run, or k-fold cross-validation with --folds. */
export async function trainClassifierRun(
  cfg: ClassifierConfig,
  opts: ClassifierRunOptions,
  signal: AbortSignal,
): Promise<void> {
  const backend = await initBackend();
  const log = opts.quiet ? undefined : (l: string) => process.stderr.write(l + '\n');
  if (log && cfg.model.type !== 'naive-bayes') log(describeBackend(backend).split('\n')[0]!);
  if (opts.folds) {
    const k = opts.folds;
    const r = await inputErrorsAsync(() =>
      crossValidate(cfg, k, {
        log,
        overwrite: opts.overwrite,
        signal,
        ensemble: opts.ensemble,
        ...(opts.only ? { only: opts.only } : {}),
      }),
    );
    const pct = (s: SetScores) => (100 * headline(s, r.metric)).toFixed(2);
    for (const f of r.folds)
      process.stdout.write(
        `fold ${String(f.fold).padStart(2)}: ${r.metric} ${pct(f.test)}${f.members ? ` (ensemble; ${f.members.map((m) => `${m.name} ${pct(m.test)}`).join(', ')})` : ''}\n`,
      );
    if (r.stopped) {
      // The fold that was cut short is not scored; the rest can run later with --fold.
      const done = new Set(r.folds.map((f) => f.fold));
      const todo = (opts.only ?? Array.from({ length: k }, (_, i) => i + 1)).filter((f) => !done.has(f));
      process.stdout.write(
        `stopped after ${r.folds.length} of ${opts.only?.length ?? k} folds${r.folds.length ? `: ${r.metric} ${(100 * r.mean).toFixed(2)} ± ${(100 * r.std).toFixed(2)} (mean ± std of those)` : ''}\n` +
          `folds still to do: --folds ${k} --fold ${todo.join(',')}\n`,
      );
      return;
    }
    process.stdout.write(
      `${opts.only ? `fold${opts.only.length > 1 ? 's' : ''} ${r.folds.map((f) => f.fold).join(', ')} of ` : ''}${k}-fold cross-validation${opts.ensemble?.length ? ` of the ensemble of ${[cfg, ...opts.ensemble].map((c) => c.name).join(', ')} (mean probability)` : ''}: ${r.metric} ${(100 * r.mean).toFixed(2)} ± ${(100 * r.std).toFixed(2)} (mean ± std)\nfold models: ${cfg.modelDir}/folds${opts.ensemble?.length ? `, ${cfg.modelDir}/members/<name>/folds` : ''}\n`,
    );
    return;
  }
  const r = await inputErrorsAsync(() =>
    trainClassifier(cfg, { resume: !opts.fresh, overwrite: opts.overwrite, log, signal }),
  );
  const summary = (name: string, s: SetScores | undefined) =>
    s
      ? `; ${name} ${Object.entries(metricsJson(s))
          .map(([key, v]) => `${key} ${v}`)
          .join(' ')}`
      : '';
  process.stdout.write(`${r.stopReason}${summary('dev', r.dev)}${summary('test', r.test)}\nmodel: ${r.modelDir}\n`);
}

/** `parley test` for a classifier config. */
export async function testClassifier(
  configPath: string,
  opts: { model?: string; sets: string[]; json: boolean; record: boolean },
): Promise<number> {
  const cfg = inputErrors(() => loadClassifierConfig(configPath, sharedDir()));
  const data = await inputErrorsAsync(() => loadClassifierData(cfg.data));
  await initBackend();
  const dir = opts.model ?? cfg.modelDir;
  const c = await loadClassifier(dir);
  if (c.labels.join('\n') !== data.labels.join('\n'))
    throw new UsageError(`${dir}: the model's ${c.labels.length} labels are not the data's ${data.labels.length}`);
  const reports: Record<string, SetScores> = {};
  for (const set of opts.sets) {
    const items = set === 'dev' ? data.dev : data.test;
    if (items.length === 0) continue;
    const t0 = performance.now();
    const s = scoreClassifier(c, items);
    reports[set] = s;
    if (!opts.json) {
      process.stdout.write(
        `${set}: ${items.length} texts, ${((performance.now() - t0) / 1000).toFixed(1)} s${c.head.multiLabel ? `, threshold ${c.head.threshold}` : ''}\n${formatScores(s, c.labels)}\n\n`,
      );
    }
  }
  if (opts.json) process.stdout.write(JSON.stringify({ labels: c.labels, ...reports }, null, 2) + '\n');
  c.dispose();
  if (opts.record) {
    const m = readManifest(dir);
    const metrics = { ...(m.metrics ?? {}) } as { [k: string]: JsonValue };
    for (const [set, s] of Object.entries(reports)) metrics[set] = metricsJson(s);
    writeManifest(dir, { ...m, metrics });
    process.stderr.write(`recorded ${Object.keys(reports).join(', ')} scores in ${dir}/manifest.json\n`);
  }
  return 0;
}
