// The word-embeddings training config: a YAML file with `kind: embeddings` (skip-gram with negative
// sampling, word2vec.c's defaults unless noted). See apps/parley/configs/gutenberg-embeddings.yaml.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Standardize } from '@parley/text';

/** The training text. */
export interface EmbeddingsDataConfig {
  /** Plain text, one paragraph or sentence per line (a line is a context boundary). Relative to the config file; `${shared}` is the shared data directory. Required. */
  corpus: string;
  /** Standardization before splitting on whitespace (as the word tokenizer). Default `lower_and_strip_punctuation`. */
  standardize: Standardize;
  /** Words seen fewer times are dropped from the vocabulary and the text (word2vec's -min-count). Default 5. */
  minCount: number;
}

/** The model. */
export interface EmbeddingsModelConfig {
  /** Vector size (word2vec's -size). Default 100. */
  dim: number;
  /** Largest distance between a word and a context word; each position samples a window of 1..window (word2vec's -window). Default 5. */
  window: number;
  /** Noise words per context pair, drawn from the unigram distribution raised to 0.75 (word2vec's -negative). Default 5. */
  negative: number;
  /** Subsampling threshold: a word of frequency f is kept with probability (√(f/t)+1)·t/f (word2vec's -sample). 0 disables. Default 0.001. */
  sample: number;
}

/** The optimisation. */
export interface EmbeddingsTrainingConfig {
  /** Passes over the text (word2vec's -iter). Default 5. */
  epochs: number;
  /** Starting learning rate, decayed linearly to lr·1e-4 over all epochs (word2vec's -alpha). Default 0.025. */
  lr: number;
  /** Seed of the initial vectors, subsampling, windows and noise words. Default 1. */
  seed: number;
  /** Emit a progress event every this many words. Default 100000. */
  logEvery: number;
}

export interface EmbeddingsOutputConfig {
  /** The model directory (manifest.json, weights.bin, words.txt, vectors.txt), relative to the config file. Default `runs/<name>`. */
  dir: string;
}

export interface EmbeddingsConfig {
  kind: 'embeddings';
  /** Model name. Default: the config file's base name. */
  name: string;
  data: EmbeddingsDataConfig;
  model: EmbeddingsModelConfig;
  training: EmbeddingsTrainingConfig;
  output: EmbeddingsOutputConfig;
}

export const EMBEDDINGS_DEFAULT_DATA: Omit<EmbeddingsDataConfig, 'corpus'> = {
  standardize: 'lower_and_strip_punctuation',
  minCount: 5,
};
export const EMBEDDINGS_DEFAULT_MODEL: EmbeddingsModelConfig = { dim: 100, window: 5, negative: 5, sample: 1e-3 };
export const EMBEDDINGS_DEFAULT_TRAINING: EmbeddingsTrainingConfig = {
  epochs: 5,
  lr: 0.025,
  seed: 1,
  logEvery: 100_000,
};
const STANDARDIZE: Standardize[] = ['lower_and_strip_punctuation', 'lower', 'strip_punctuation', 'none'];

type Section = Record<string, unknown>;

/**
 * Checks a parsed config and fills in defaults; `source` names the file in errors, and relative paths
 * resolve against its directory (`${shared}` → `sharedDir`).
 */
export function resolveEmbeddingsConfig(
  raw: unknown,
  source: string,
  sharedDir: string,
  name = 'embeddings',
): EmbeddingsConfig {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('expected a YAML mapping');
  const r = raw as Section;
  if (r.kind !== 'embeddings') fail(`kind is ${JSON.stringify(r.kind)}, expected "embeddings"`);
  const known = ['kind', 'name', 'data', 'model', 'training', 'output'];
  for (const k of Object.keys(r))
    if (!known.includes(k)) fail(`unknown top-level key "${k}" (known: ${known.join(', ')})`);
  const section = <T extends object>(key: string, defaults: object, required: string[] = []): T => {
    const s = (r[key] ?? {}) as Section;
    if (typeof s !== 'object' || Array.isArray(s)) fail(`"${key}" must be a mapping`);
    for (const k of required) if (s[k] === undefined) fail(`${key}.${k} is required`);
    const allowed = [...Object.keys(defaults), ...required];
    for (const [k, v] of Object.entries(s)) {
      if (!allowed.includes(k)) fail(`unknown option ${key}.${k} (known: ${allowed.join(', ')})`);
      const d = (defaults as Section)[k] ?? '';
      if (typeof v !== typeof d) fail(`${key}.${k} must be a ${typeof d}, got ${JSON.stringify(v)}`);
      if (typeof v === 'number' && (!Number.isFinite(v) || v < 0)) fail(`${key}.${k} must be a number ≥ 0, got ${v}`);
    }
    return { ...defaults, ...s } as T;
  };
  const data = section<EmbeddingsDataConfig>('data', EMBEDDINGS_DEFAULT_DATA, ['corpus']);
  const model = section<EmbeddingsModelConfig>('model', EMBEDDINGS_DEFAULT_MODEL);
  const training = section<EmbeddingsTrainingConfig>('training', EMBEDDINGS_DEFAULT_TRAINING);
  const output = section<EmbeddingsOutputConfig>('output', { dir: '' });
  if (!STANDARDIZE.includes(data.standardize)) fail(`data.standardize must be one of ${STANDARDIZE.join(', ')}`);
  for (const k of ['dim', 'window', 'epochs', 'logEvery'] as const) {
    const v = k in model ? model[k as keyof EmbeddingsModelConfig] : training[k as keyof EmbeddingsTrainingConfig];
    if (!Number.isInteger(v) || v < 1) fail(`${k in model ? 'model' : 'training'}.${k} must be a positive integer`);
  }
  if (!Number.isInteger(model.negative) || model.negative < 1) fail('model.negative must be a positive integer');
  if (!Number.isInteger(data.minCount) || data.minCount < 1) fail('data.minCount must be a positive integer');
  if (!Number.isInteger(training.seed)) fail('training.seed must be an integer');
  if (training.lr <= 0) fail('training.lr must be > 0');
  const finalName = typeof r.name === 'string' ? r.name : name;
  const path = (p: string): string => resolve(dirname(source), p.replace(/\$\{shared\}/g, sharedDir));
  return {
    kind: 'embeddings',
    name: finalName,
    data: { ...data, corpus: path(data.corpus) },
    model,
    training,
    output: { dir: path(output.dir || `runs/${finalName}`) },
  };
}

/** Reads a YAML config file (`file:line` for YAML errors). */
export function loadEmbeddingsConfig(path: string, sharedDir: string): EmbeddingsConfig {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new Error(`${path}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const base = path
    .split('/')
    .pop()!
    .replace(/\.ya?ml$/, '');
  return resolveEmbeddingsConfig(doc.toJS(), path, sharedDir, base);
}
