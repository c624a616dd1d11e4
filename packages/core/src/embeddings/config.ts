// The word-embeddings training config: a YAML file with `kind: embeddings` (skip-gram with negative
// sampling, word2vec.c's defaults unless noted). One schema declares every option (../common/schema.ts:
// unknown keys suggest the closest one, errors read `file:line: key: problem`, paths are `${shared}/…` or
// relative to the config file). See apps/parley/configs/gutenberg-embeddings.yaml.
import { STANDARDIZE_MODES } from '@parley/text';
import {
  configName,
  defaultRunDir,
  loadConfigWith,
  nameField,
  objectContext,
  s,
  type Infer,
  type SchemaContext,
  SEED_RANGE,
} from '../common/schema';

export const embeddingsDataSchema = s.object(
  {
    corpus: s.path({
      required: true,
      doc: 'Plain text, one paragraph or sentence per line (a line is a context boundary).',
    }),
    standardize: s.oneOf(STANDARDIZE_MODES, {
      default: 'lower_and_strip_punctuation',
      doc: 'Standardization before splitting on whitespace (as the word tokenizer).',
    }),
    minCount: s.int({
      min: 1,
      default: 5,
      doc: "Words seen fewer times are dropped from the vocabulary and the text (word2vec's -min-count).",
    }),
  },
  { doc: 'The training text.' },
);

export const embeddingsModelSchema = s.object(
  {
    dim: s.int({ min: 1, default: 100, doc: "Vector size (word2vec's -size)." }),
    window: s.int({
      min: 1,
      default: 5,
      doc: "Largest distance between a word and a context word; each position samples a window of 1..window (word2vec's -window).",
    }),
    negative: s.int({
      min: 1,
      default: 5,
      doc: "Noise words per context pair, drawn from the unigram distribution raised to 0.75 (word2vec's -negative).",
    }),
    sample: s.number({
      min: 0,
      default: 1e-3,
      doc: "Subsampling threshold: a word of frequency f is kept with probability (√(f/t)+1)·t/f (word2vec's -sample). 0 disables.",
    }),
  },
  { doc: 'The model.' },
);

export const embeddingsTrainingSchema = s.object(
  {
    epochs: s.int({ min: 1, default: 5, doc: "Passes over the text (word2vec's -iter)." }),
    lr: s.number({
      min: 0,
      default: 0.025,
      doc: "Starting learning rate, decayed linearly to lr·1e-4 over all epochs (word2vec's -alpha).",
    }),
    seed: s.int({
      ...SEED_RANGE,
      default: 1,
      doc: 'Seed of the initial vectors, subsampling, windows and noise words.',
    }),
    logEvery: s.int({ min: 1, default: 100_000, doc: 'Emit a progress event every this many words.' }),
  },
  { doc: 'The optimisation.' },
);

export const embeddingsOutputSchema = s.object(
  {
    dir: s.path({
      doc: 'The model directory (manifest.json, weights.bin, words.txt, vectors.txt). Default `runs/<name>` beside the config.',
    }),
  },
  { doc: 'What training writes.' },
);

/** The whole `kind: embeddings` file. */
export const embeddingsConfigSchema = s.object(
  {
    kind: s.oneOf(['embeddings'], { required: true, doc: 'Selects the skip-gram trainer.' }),
    name: nameField,
    data: embeddingsDataSchema,
    model: embeddingsModelSchema,
    training: embeddingsTrainingSchema,
    output: embeddingsOutputSchema,
  },
  { doc: 'A word-embeddings training config.' },
);

export type EmbeddingsDataConfig = Infer<typeof embeddingsDataSchema>;
export type EmbeddingsModelConfig = Infer<typeof embeddingsModelSchema>;
export type EmbeddingsTrainingConfig = Infer<typeof embeddingsTrainingSchema>;
export interface EmbeddingsOutputConfig {
  /** The model directory (absolute). */
  dir: string;
}

export interface EmbeddingsConfig {
  kind: 'embeddings';
  /** Model name. */
  name: string;
  data: EmbeddingsDataConfig;
  model: EmbeddingsModelConfig;
  training: EmbeddingsTrainingConfig;
  output: EmbeddingsOutputConfig;
}

/** Checks a parsed config against the schema, fills defaults and resolves paths; errors read `file:line: key: problem`. */
export function parseEmbeddingsConfig(raw: unknown, ctx: SchemaContext): EmbeddingsConfig {
  const c = embeddingsConfigSchema.parse(raw, [], ctx);
  const name = configName(c.name, ctx);
  return {
    ...c,
    kind: 'embeddings',
    name,
    output: { dir: c.output.dir || defaultRunDir(ctx, name) },
  };
}

/**
 * Checks a parsed config object; `source` names the file in errors, and relative paths resolve against its
 * directory (`${shared}` → `sharedDir`).
 */
export function resolveEmbeddingsConfig(raw: unknown, source: string, sharedDir: string): EmbeddingsConfig {
  return parseEmbeddingsConfig(raw, objectContext(source, sharedDir));
}

/** Reads a YAML config file. */
export function loadEmbeddingsConfig(path: string, sharedDir: string): EmbeddingsConfig {
  return loadConfigWith(path, sharedDir, parseEmbeddingsConfig);
}
