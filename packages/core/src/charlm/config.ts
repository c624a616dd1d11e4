// The char-LM training config (`kind: charlm`): one schema declares every option with its type, default,
// range and meaning (see apps/parley/configs/sheldon.yaml for a complete, commented example). Paths follow
// the one rule of ../common/schema.ts: `${shared}/…` or relative to the config file.
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import {
  configError,
  defaultRunDir,
  loadConfigWith,
  objectContext,
  s,
  type Infer,
  type SchemaContext,
  SEED_RANGE,
  configName,
  maxMinutesField,
  nameField,
  workersField,
} from '../common/schema';

export const charLmDataSchema = s.object(
  {
    corpus: s.path({ required: true, doc: 'The corpus file.' }),
    format: s.oneOf(['dialogue', 'text'], {
      default: 'dialogue',
      doc: 'dialogue: `speaker<TAB>utterance` lines with `#EPISODE<TAB>name` lines (turned into `Speaker: text` lines, split by episode); text: plain text, split by line blocks.',
    }),
    validation: s.number({
      min: 0,
      default: 8,
      doc: 'Held-out episodes (or 1000-line blocks for text) used for validation: a count ≥ 1 or a fraction.',
    }),
    test: s.number({
      min: 0,
      default: 8,
      doc: 'Held-out episodes (or blocks) used for the final test metric, never for model choice.',
    }),
    splitSeed: s.int({ ...SEED_RANGE, default: 1, doc: 'Seed of the train/validation/test split.' }),
    minCharCount: s.int({
      min: 0,
      default: 5,
      doc: 'Characters seen fewer times than this in the training text map to unk.',
    }),
  },
  { doc: 'Where the training text comes from and how it is split.' },
);

export const charLmModelSchema = s.object(
  {
    cell: s.oneOf(['lstm', 'gru'], { default: 'lstm', doc: 'Recurrent cell.' }),
    layers: s.int({ min: 1, default: 2, doc: 'Number of stacked recurrent layers.' }),
    hidden: s.int({ min: 1, default: 512, doc: 'Units per recurrent layer.' }),
    embedding: s.int({ min: 1, default: 64, doc: 'Size of the character embedding.' }),
    dropout: s.number({
      min: 0,
      below: 1,
      default: 0.2,
      doc: "Dropout on each recurrent layer's outputs (between layers and before the softmax).",
    }),
  },
  { doc: 'The network.' },
);

export const charLmTrainingSchema = s.object(
  {
    seed: s.int({
      ...SEED_RANGE,
      default: 42,
      doc: 'Seed for weights, dropout and data offsets: the same seed and config give the same model.',
    }),
    batchSize: s.int({ min: 1, default: 64, doc: 'Parallel streams (rows) per batch.' }),
    seqLen: s.int({
      min: 1,
      default: 100,
      doc: 'Truncated BPTT length: characters per row per step (the state is carried across steps).',
    }),
    lr: s.number({ min: 0, default: 0.002, doc: 'Adam learning rate at the start.' }),
    clipNorm: s.number({ min: 0, default: 5, doc: 'Clip gradients to this global L2 norm; 0 disables.' }),
    epochs: s.number({ min: 0, default: 10, doc: 'Passes over the training text.' }),
    maxSteps: s.int({ min: 0, default: 0, doc: 'Stop after this many steps in total (0 = no limit).' }),
    maxMinutes: maxMinutesField(),
    validEvery: s.int({ min: 1, default: 500, doc: 'Validate (and save the best checkpoint) every this many steps.' }),
    validChars: s.int({
      min: 0,
      default: 0,
      doc: 'Characters of the validation text used by the periodic validations (0 = all).',
    }),
    checkpointEvery: s.int({ min: 1, default: 250, doc: 'Save the `last` checkpoint every this many steps.' }),
    lrDecay: s.number({
      min: 0,
      max: 1,
      default: 0.5,
      doc: 'Multiply the learning rate by this when validation stops improving.',
    }),
    lrPatience: s.int({ min: 0, default: 1, doc: 'Validations without improvement before decaying.' }),
    minLr: s.number({ min: 0, default: 1e-5, doc: 'Lowest learning rate.' }),
    logEvery: s.int({ min: 1, default: 50, doc: 'Log a progress line every this many steps.' }),
    workers: workersField("each step's rows are split over this many threads and their gradients averaged"),
  },
  { doc: 'The optimisation.' },
);

export const charLmOutputSchema = s.object(
  {
    dir: s.path({
      required: true,
      doc: 'The finished model directory (manifest, compact weights, tokenizer, card facts).',
    }),
    workDir: s.path({
      doc: 'Working directory for checkpoints (`last`, `best`) and the full-precision model. Default `runs/<name>` beside the config.',
    }),
    dtype: s.oneOf(['float32', 'float16', 'int8'], {
      default: 'float16',
      doc: "How the finished model's weights are stored.",
    }),
  },
  { doc: 'What training writes.' },
);

/** The whole `kind: charlm` file. */
export const charLmConfigSchema = s.object(
  {
    kind: s.oneOf(['charlm'], { required: true, doc: 'Selects the char-LM trainer.' }),
    name: nameField,
    data: charLmDataSchema,
    model: charLmModelSchema,
    training: charLmTrainingSchema,
    output: charLmOutputSchema,
  },
  { doc: 'A char-LM training config.' },
);

export type CharLmDataConfig = Infer<typeof charLmDataSchema>;
export type CharLmModelConfig = Infer<typeof charLmModelSchema>;
export type CharLmTrainingConfig = Infer<typeof charLmTrainingSchema>;
export type CharLmOutputConfig = Omit<Infer<typeof charLmOutputSchema>, 'workDir'> & { workDir: string };
export interface CharLmConfig {
  kind: 'charlm';
  name: string;
  data: CharLmDataConfig;
  model: CharLmModelConfig;
  training: CharLmTrainingConfig;
  output: CharLmOutputConfig;
}

/** The defaults of the network (a config's `model:` section left empty). */
export const CHARLM_DEFAULT_MODEL: CharLmModelConfig = charLmModelSchema.parse(
  {},
  ['model'],
  objectContext('defaults', '.'),
);

/** Checks a parsed config against the schema and fills in defaults; errors read `file:line: key: problem`. */
export function parseCharLmConfig(raw: unknown, ctx: SchemaContext): CharLmConfig {
  const c = charLmConfigSchema.parse(raw, [], ctx);
  if (!existsSync(c.data.corpus)) {
    // Paths were relative to the working directory before they were relative to the config file: say so.
    const old =
      typeof (raw as { data?: { corpus?: unknown } }).data?.corpus === 'string'
        ? resolve(String((raw as { data: { corpus: string } }).data.corpus))
        : '';
    if (old && old !== c.data.corpus && existsSync(old)) {
      throw configError(
        ctx,
        ['data', 'corpus'],
        `${c.data.corpus} not found; relative paths are relative to the config file now (write ${relative(ctx.baseDir, old)})`,
      );
    }
  }
  const name = configName(c.name, ctx);
  return {
    ...c,
    kind: 'charlm',
    name,
    output: { ...c.output, workDir: c.output.workDir ?? defaultRunDir(ctx, name) },
  };
}

/**
 * Checks an in-memory config object; `source` names it in errors. Relative paths resolve against the working
 * directory and `${shared}` against PARLEY_SHARED (default ../shared).
 */
export function resolveCharLmConfig(raw: unknown, source = 'config'): CharLmConfig {
  return parseCharLmConfig(raw, objectContext(source, process.env.PARLEY_SHARED ?? '../shared', process.cwd()));
}

/** Reads a YAML config file; `sharedDir` is what `${shared}` stands for. */
export function loadCharLmConfig(path: string, sharedDir = process.env.PARLEY_SHARED ?? '../shared'): CharLmConfig {
  return loadConfigWith(path, sharedDir, parseCharLmConfig);
}
