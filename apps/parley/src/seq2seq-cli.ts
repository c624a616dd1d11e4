// The seq2seq side of the CLI: `parley train` (for configs with `kind: seq2seq`) and shared helpers
// for `parley test` and `parley translate` (where the shared data is, how to load a config).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeBackend, initBackend } from '@parley/engine';
import { loadConfig, trainSeq2seq as train, type Seq2seqConfig } from '@parley/core';

/** The repository root (apps/parley/src/../../..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The shared data directory: PARLEY_SHARED (relative to the repo root), default ../shared beside the repo. */
export function sharedDir(): string {
  return resolve(REPO_ROOT, process.env.PARLEY_SHARED ?? '../shared');
}

/** Loads a seq2seq config, resolving `${shared}` in its paths. */
export function loadSeq2seqConfig(path: string): Seq2seqConfig {
  if (!existsSync(path)) throw new Error(`${path}: config file not found`);
  return loadConfig(path, sharedDir());
}

const USAGE = `usage: parley train <config.yaml> [--fresh] [--overwrite] [--max-updates N] [--quiet]
  --fresh          ignore checkpoints/last and start over
  --overwrite      train into modelDir even if it holds another model or files Parley did not write
  --max-updates N  stop after N updates (overrides training.maxUpdates)
  --quiet          write train.log only (no progress on stderr)
`;

/** `parley train` for `kind: seq2seq` configs. Returns the exit code. */
export async function trainSeq2seq(configPath: string, argv: string[]): Promise<number> {
  let maxUpdates: number | undefined;
  let fresh = false;
  let quiet = false;
  let overwrite = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--fresh') fresh = true;
    else if (a === '--quiet') quiet = true;
    else if (a === '--overwrite') overwrite = true;
    else if (a === '--max-updates') {
      maxUpdates = Number(argv[++i]);
      if (!Number.isInteger(maxUpdates) || maxUpdates < 0) {
        process.stderr.write(`parley train: --max-updates needs a whole number\n${USAGE}`);
        return 2;
      }
    } else {
      process.stderr.write(`parley train: unknown option ${a}\n${USAGE}`);
      return 2;
    }
  }
  try {
    const cfg = loadSeq2seqConfig(configPath);
    const backend = await initBackend();
    if (!quiet) process.stderr.write(`${describeBackend(backend)}\nmodel directory: ${cfg.modelDir} (train.log, validations.tsv)\n`);
    const r = await train(cfg, { resume: !fresh, overwrite, maxUpdates, log: quiet ? undefined : (l) => process.stderr.write(l + '\n') });
    const b = r.best;
    process.stdout.write(
      `${r.stopReason}; ${r.steps} updates, ${Math.round(r.tokensPerSecond)} tokens/s` +
        (b ? `; best dev BLEU ${b.bleu.toFixed(2)} chrF ${b.chrf.toFixed(2)} at update ${b.step} (greedy)` : '') +
        `\nmodel: ${cfg.modelDir}\n`,
    );
    return 0;
  } catch (err) {
    process.stderr.write(`parley train: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
