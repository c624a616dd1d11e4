// Where the app's files are, resolved from this package (never from the working directory), so every
// command works from any directory: the repository root, the bundled models and the shared data.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StringOption } from './command';

/** The package directory: apps/parley in a checkout, node_modules/@parley/app installed (src/ and dist/ sit at the same depth). */
export const APP_DIR = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** The repository root (apps/parley/../..). */
export const REPO_ROOT = resolve(APP_DIR, '../..');

/** Where the models that ship with the package live (one directory each, e.g. `pt-en`, `sheldon`). */
export const BUNDLED_MODELS_DIR = resolve(APP_DIR, 'models');

/** The bundled char-LM (Sheldon), the default of generate, chat and perplexity. */
export const DEFAULT_CHARLM_MODEL = resolve(BUNDLED_MODELS_DIR, 'sheldon');

/** The `--model DIR` option of generate, chat and perplexity, declared once. */
export const CHARLM_MODEL_OPTION = {
  type: 'string',
  arg: 'DIR',
  default: DEFAULT_CHARLM_MODEL,
  defaultText: 'the bundled Sheldon model',
  help: 'char-LM model directory',
} as const satisfies StringOption;

/** The bundled PT→EN model, the default of translate. */
export const DEFAULT_SEQ2SEQ_MODEL = resolve(BUNDLED_MODELS_DIR, 'pt-en');

/** The bundled sentiment classifier (rt-polarity, naive Bayes), the default of classify. */
export const DEFAULT_CLASSIFIER = resolve(BUNDLED_MODELS_DIR, 'sentiment');

/** The bundled classifiers the app offers on Home: sentiment (naive Bayes) and disaster-tweets (BiLSTM). */
export const DEFAULT_CLASSIFIERS = [DEFAULT_CLASSIFIER, resolve(BUNDLED_MODELS_DIR, 'disaster-tweets')];

/** The names of the bundled models (the directories under models/ that hold a manifest.json). */
export function bundledModelNames(): string[] {
  if (!existsSync(BUNDLED_MODELS_DIR)) return [];
  return readdirSync(BUNDLED_MODELS_DIR)
    .filter((name) => existsSync(join(BUNDLED_MODELS_DIR, name, 'manifest.json')))
    .sort();
}

/**
 * The directory of a model that ships with @parley/app, e.g. `bundledModel('pt-en')` for `Translator.load`
 * or `bundledModel('sheldon')` for `loadCharLm`. Found beside the package's own files, whatever the working
 * directory. Throws, naming the models there are, when `name` is not one of them.
 */
export function bundledModel(name: string): string {
  const dir = join(BUNDLED_MODELS_DIR, name);
  if (!/^[\w.-]+$/.test(name) || !existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`no bundled model '${name}' (bundled: ${bundledModelNames().join(', ') || 'none'})`);
  }
  return dir;
}

/** Where the Train screen looks for YAML configs. */
export const CONFIG_DIR = resolve(APP_DIR, 'configs');

/** The shared data directory: PARLEY_SHARED (relative to the repo root), default ../shared beside the repo. */
export function sharedDir(): string {
  return resolve(REPO_ROOT, process.env.PARLEY_SHARED ?? '../shared');
}
