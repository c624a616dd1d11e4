// `npm run train:defaults [-- --only sheldon|pt-en|sentiment|disaster-tweets] [--resume]`: reproduces the bundled default models
// from ../shared (PARLEY_SHARED) with Parley's own `parley train`, seeded, then prints where every
// number of the model cards comes from (each model's manifest.json, written by that training run).
//
//   sheldon  apps/parley/configs/sheldon.yaml → apps/parley/models/sheldon
//   pt-en    apps/parley/configs/pt-en-base.yaml, then pt-en.yaml (fine-tuning), then the average of the
//            fine-tuning run's 3 best checkpoints (`parley average --best`) → apps/parley/models/pt-en
//   sentiment        apps/parley/configs/sentiment.yaml → apps/parley/models/sentiment (seconds)
//   disaster-tweets  apps/parley/configs/disaster-tweets.yaml → apps/parley/models/disaster-tweets (minutes)
//
// A default may take several stages (e.g. training on everything, then fine-tuning with `initFrom`); they run
// in order and the last stage's model is the one bundled.
// Training starts fresh unless --resume is given (then each run continues from its last checkpoint).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTrainingConfig } from '@parley/core';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** `average`: bundle the average of the last stage's best-K checkpoints instead of its single best model. */
const DEFAULTS: { name: string; stages: string[]; average?: boolean }[] = [
  { name: 'sheldon', stages: ['apps/parley/configs/sheldon.yaml'] },
  {
    name: 'pt-en',
    stages: ['apps/parley/configs/pt-en-base.yaml', 'apps/parley/configs/pt-en.yaml'],
    average: true,
  },
  { name: 'sentiment', stages: ['apps/parley/configs/sentiment.yaml'] },
  { name: 'disaster-tweets', stages: ['apps/parley/configs/disaster-tweets.yaml'] },
];

/** A config as the trainer reads it (paths resolved against the config file). */
type Config = ReturnType<typeof loadTrainingConfig>;

/** Reads `config` (a path from the repo root) as the trainer does; each default reads its last stage's once. */
function load(config: string): Config {
  return loadTrainingConfig(join(ROOT, config), process.env.PARLEY_SHARED ?? resolve(ROOT, '../shared'));
}

/** Where default `name` is bundled: a char-LM config's output.dir (its trainer writes the model there), else apps/parley/models/<name>. */
function bundledDir(c: Config, name: string): string {
  return c.kind === 'charlm' ? c.output.dir : join(ROOT, 'apps/parley/models', name);
}

/**
 * A seq2seq or classifier config trains into its `modelDir` (checkpoints beside the exported best model); the
 * bundled copy is that exported model: manifest, weights and the tokenizer file the manifest names. The model
 * card (README.md) stays. Each file is written to a temp name and renamed. Returns the config's kind when it
 * was bundled this way (undefined for char-LMs, which write their model directory themselves).
 */
function bundleModelDir(c: Config, target: string, averaged?: string): string | undefined {
  if (c.kind !== 'seq2seq' && c.kind !== 'classifier') return undefined;
  const from = averaged ?? c.modelDir;
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as { tokenizer?: { file?: string } };
  const files = ['weights.bin', ...(manifest.tokenizer?.file ? [manifest.tokenizer.file] : []), 'manifest.json'];
  mkdirSync(target, { recursive: true });
  for (const file of files) {
    const to = join(target, file);
    copyFileSync(join(from, file), `${to}.tmp`);
    renameSync(`${to}.tmp`, to);
  }
  process.stdout.write(`copied the exported model from ${from} to ${target}\n`);
  return c.kind;
}

/** Where a seq2seq or classifier config trains: its `modelDir`, as the trainer resolves it (loadTrainingConfig). */
function runDir(c: Config, config: string): string {
  if (c.kind !== 'seq2seq' && c.kind !== 'classifier') throw new Error(`${config}: a ${c.kind} config has no modelDir`);
  return c.modelDir;
}

/** Runs `parley ARGS` from the repo root with the terminal attached; PARLEY_SHARED points at `shared`. */
function parley(args: string[], shared: string): number | null {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/parley/src/cli.tsx', ...args], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, PARLEY_SHARED: shared },
  }).status;
}

function main(argv: string[]): number {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const resume = argv.includes('--resume');
  const chosen = DEFAULTS.filter((d) => !only || d.name === only);
  if (!chosen.length) {
    process.stderr.write(`train-defaults: --only must be one of ${DEFAULTS.map((d) => d.name).join(', ')}\n`);
    return 2;
  }
  const shared = process.env.PARLEY_SHARED ?? resolve(ROOT, '../shared');
  if (!existsSync(shared)) {
    process.stderr.write(`train-defaults: shared data not found at ${shared} (set PARLEY_SHARED)\n`);
    return 1;
  }
  for (const d of chosen) {
    const missing = d.stages.find((c) => !existsSync(join(ROOT, c)));
    if (missing) {
      process.stderr.write(`train-defaults: ${missing} is missing, skipping ${d.name}\n`);
      continue;
    }
    const started = Date.now();
    for (const config of d.stages) {
      process.stdout.write(`\n=== ${d.name}: parley train ${config}${resume ? '' : ' --fresh'} ===\n`);
      const status = parley(['train', config, ...(resume ? [] : ['--fresh'])], shared);
      if (status !== 0) {
        process.stderr.write(`train-defaults: training ${d.name} (${config}) failed (exit ${status})\n`);
        return status ?? 1;
      }
    }
    const last = d.stages.at(-1)!;
    const lastConfig = load(last);
    const dir = bundledDir(lastConfig, d.name);
    // The card's scores, re-measured on the bundled copy and stored in its manifest: dev/test BLEU and chrF
    // (greedy and beam) with their signatures, or a classifier's per-class report.
    let averaged: string | undefined;
    if (d.average) {
      const run = runDir(lastConfig, last);
      averaged = `${run}-averaged`;
      const status = parley(['average', '--best', run, '-o', averaged], shared);
      if (status !== 0) {
        process.stderr.write(`train-defaults: averaging ${d.name}'s best checkpoints failed (exit ${status})\n`);
        return status ?? 1;
      }
    }
    const kind = bundleModelDir(lastConfig, dir, averaged);
    if (kind === 'seq2seq') parley(['test', last, '--model', dir, '--greedy', '--record'], shared);
    if (kind === 'classifier') parley(['test', last, '--model', dir, '--record'], shared);
    process.stdout.write(
      `\n${d.name} trained in ${((Date.now() - started) / 60000).toFixed(1)} min. Model card numbers come from ${dir}/manifest.json:\n`,
    );
    parley(['info', dir], shared);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
