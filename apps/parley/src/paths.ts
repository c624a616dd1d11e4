// Where the app's files are, resolved from this package (never from the working directory), so every
// command works from any directory: the repository root, the bundled models and the shared data.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The apps/parley package directory. */
export const APP_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The repository root (apps/parley/../..). */
export const REPO_ROOT = resolve(APP_DIR, '../..');

/** The bundled char-LM (Sheldon), the default of generate, chat and perplexity. */
export const DEFAULT_CHARLM_MODEL = resolve(APP_DIR, 'models/sheldon');

/** The bundled PT→EN model, the default of translate. */
export const DEFAULT_SEQ2SEQ_MODEL = resolve(APP_DIR, 'models/pt-en');

/** Where the Train screen looks for YAML configs. */
export const CONFIG_DIR = resolve(APP_DIR, 'configs');

/** The shared data directory: PARLEY_SHARED (relative to the repo root), default ../shared beside the repo. */
export function sharedDir(): string {
  return resolve(REPO_ROOT, process.env.PARLEY_SHARED ?? '../shared');
}
