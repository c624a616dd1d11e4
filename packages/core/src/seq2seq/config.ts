// The seq2seq YAML config: one file drives `parley train`, `parley test` and `parley translate`.
// Every option, its meaning, range and default are declared in one schema here (the types are inferred from
// it); `apps/parley/configs/pt-en.yaml` shows them all.
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
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
import { SEARCH_DEFAULTS } from '@parley/decode';
import { DEFAULT_DECODER, DEFAULT_ENCODER, type DecoderConfig, type EncoderConfig } from './model-config';

// The resolved shapes, inferred from the schemas below (their docs are there).
export type PairFile = Infer<typeof pairFileSchema>;
type DataSection = Infer<typeof seq2seqConfigSchema>['data'];
export type DataConfig = Omit<DataSection, 'split' | 'dev' | 'test'> & {
  split?: NonNullable<DataSection['split']>;
  dev?: PairFile;
  test?: PairFile;
};
export type TokenizerConfig = Infer<typeof seq2seqConfigSchema>['tokenizer'];
export type TrainingConfig = Omit<Infer<typeof trainingSchema>, 'betas'> & { betas: [number, number] };
export type TestingConfig = Infer<typeof testingSchema>;

export interface Seq2seqConfig {
  kind: 'seq2seq';
  /** Model name, e.g. 'pt-en'. */
  name: string;
  /** Directory the trained model, checkpoints, train.log and validations.tsv go to (relative to the config). */
  modelDir: string;
  data: DataConfig;
  tokenizer: TokenizerConfig;
  /** Architecture (see model-config.ts for every option and default). */
  model: {
    encoder: Partial<EncoderConfig>;
    decoder: Partial<DecoderConfig>;
    tieEmbeddings: boolean;
    shareEmbeddings: boolean;
    /** Pretrained word vectors (word2vec/GloVe text) for the source and/or target embeddings. Default none. */
    pretrained?: {
      /** Vector file for the source embedding (path relative to the config). */
      source?: string;
      /** Vector file for the target embedding. */
      target?: string;
      /** Keep the loaded embeddings fixed during training. Default false. */
      freeze: boolean;
    };
  };
  training: TrainingConfig;
  testing: TestingConfig;
  /** Weight storage of the exported model: 'float32', 'float16' or 'int8'. Default 'float16'. */
  exportDtype: 'float32' | 'float16' | 'int8';
  /** Where the config came from (set by resolveConfig), so stored copies can write paths portably. */
  origin?: { file: string; sharedDir: string };
}

const pairFields = {
  path: s.path({ required: true, doc: 'A tab-separated pair file.' }),
  source: s.int({ min: 1, default: 1, doc: '1-based column of the source sentence.' }),
  target: s.int({ min: 1, default: 2, doc: '1-based column of the target sentence.' }),
  repeat: s.int({
    min: 1,
    default: 1,
    doc: 'Training only: use each pair this many times per epoch (oversample scarce in-domain data).',
  }),
};
const pairFileSchema = s.object(pairFields, {
  doc: 'A pair file: a path, or { path, source, target, repeat }.',
  shorthand: 'path',
});

const encoderSchema = s.object(
  {
    rnn: s.oneOf(['lstm', 'gru'], { default: DEFAULT_ENCODER.rnn, doc: 'Recurrent cell.' }),
    embeddingDim: s.int({ min: 1, default: DEFAULT_ENCODER.embeddingDim, doc: 'Source embedding size.' }),
    hiddenSize: s.int({
      min: 1,
      default: DEFAULT_ENCODER.hiddenSize,
      doc: 'Units per direction of each recurrent layer.',
    }),
    layers: s.int({ min: 1, default: DEFAULT_ENCODER.layers, doc: 'Number of stacked recurrent layers.' }),
    bidirectional: s.boolean({
      default: DEFAULT_ENCODER.bidirectional,
      doc: 'Run a backward layer too and concatenate.',
    }),
    dropout: s.number({
      min: 0,
      below: 1,
      default: DEFAULT_ENCODER.dropout,
      doc: 'Dropout on the embeddings and between layers.',
    }),
  },
  { doc: 'The encoder (see model-config.ts).' },
);
const decoderSchema = s.object(
  {
    rnn: s.oneOf(['lstm', 'gru'], { default: DEFAULT_DECODER.rnn, doc: 'Recurrent cell.' }),
    embeddingDim: s.int({ min: 1, default: DEFAULT_DECODER.embeddingDim, doc: 'Target embedding size.' }),
    hiddenSize: s.int({
      min: 1,
      default: DEFAULT_DECODER.hiddenSize,
      doc: 'Units of each recurrent layer and of the attentional vector.',
    }),
    layers: s.int({ min: 1, default: DEFAULT_DECODER.layers, doc: 'Number of stacked recurrent layers.' }),
    attention: s.oneOf(['bahdanau', 'dot', 'general'], {
      default: DEFAULT_DECODER.attention,
      doc: 'Attention scoring.',
    }),
    inputFeeding: s.boolean({
      default: DEFAULT_DECODER.inputFeeding,
      doc: "Feed the previous attentional vector into the next step's input.",
    }),
    init: s.oneOf(['bridge', 'last', 'zero'], { default: DEFAULT_DECODER.init, doc: 'Initial decoder state.' }),
    dropout: s.number({
      min: 0,
      below: 1,
      default: DEFAULT_DECODER.dropout,
      doc: 'Dropout on the embeddings, between layers and on the attentional vector.',
    }),
  },
  { doc: 'The decoder (see model-config.ts).' },
);

export const trainingSchema = s.object(
  {
    seed: s.int({ ...SEED_RANGE, default: 1, doc: 'Seed of initialisation, batch order and dropout.' }),
    batchTokens: s.int({ min: 1, default: 2000, doc: 'Tokens per batch (padding included; the longer side counts).' }),
    batchSize: s.int({ min: 1, default: 128, doc: 'Most sentences per batch.' }),
    lr: s.number({ min: 0, default: 0.002, doc: 'Adam learning rate (peak rate for noam).' }),
    betas: s.numbers({ length: 2, min: 0, below: 1, default: [0.9, 0.999], doc: 'Adam β1, β2.' }),
    scheduler: s.oneOf(['none', 'plateau', 'noam', 'exponential'], {
      default: 'plateau',
      doc: 'Learning-rate schedule.',
    }),
    decayFactor: s.number({
      min: 0,
      max: 1,
      default: 0.5,
      doc: 'plateau: multiply lr by this after `patience` validations without improvement.',
    }),
    patience: s.int({ min: 0, default: 2, doc: 'plateau: validations without improvement before decaying.' }),
    warmup: s.int({ min: 0, default: 1000, doc: 'noam: warm-up updates (lr rises linearly, then decays as 1/√step).' }),
    decayRate: s.number({ min: 0, default: 0.5, doc: 'exponential: lr × decayRate^(updates / decaySteps).' }),
    decaySteps: s.int({ min: 1, default: 5000, doc: 'exponential: see decayRate.' }),
    minLr: s.number({ min: 0, default: 1e-5, doc: 'Smallest learning rate any schedule goes to.' }),
    clipNorm: s.number({ min: 0, default: 1, doc: 'Clip gradients to this global L2 norm (0 = off).' }),
    labelSmoothing: s.number({ min: 0, below: 1, default: 0.1, doc: 'Label smoothing ε.' }),
    wordDropout: s.number({
      min: 0,
      below: 1,
      default: 0,
      doc: 'Probability of replacing a source token by <unk> in training.',
    }),
    validEvery: s.int({
      min: 1,
      default: 500,
      doc: 'Validate (greedy decode of dev, BLEU/chrF) every this many updates.',
    }),
    metric: s.oneOf(['bleu', 'chrf', 'loss'], {
      default: 'bleu',
      doc: 'Metric that picks the best checkpoint and drives early stopping and plateau.',
    }),
    earlyStopping: s.int({
      min: 0,
      default: 8,
      doc: 'Stop after this many validations without improvement (0 = never).',
    }),
    keepBest: s.int({ min: 1, default: 3, doc: 'Keep this many best checkpoints.' }),
    maxUpdates: s.int({ min: 0, default: 100000, doc: 'Stop after this many updates.' }),
    maxEpochs: s.int({ min: 0, default: 100, doc: 'Stop after this many epochs.' }),
    maxMinutes: maxMinutesField(),
    logExamples: s.int({ min: 0, default: 3, doc: 'Dev translations printed in train.log at each validation.' }),
    logEvery: s.int({ min: 1, default: 50, doc: 'Log training loss every this many updates.' }),
    initFrom: s.path({
      default: '',
      doc: "Start from the weights and tokenizer of this Parley model directory (fine-tuning); the optimizer, schedule and best-checkpoint bookkeeping start fresh; '' = none.",
    }),
    workers: workersField(
      "each update's batch is split over this many threads and their gradients averaged by target tokens",
    ),
  },
  { doc: 'The optimisation.' },
);

export const testingSchema = s.object(
  {
    beamSize: s.int({ min: 1, default: SEARCH_DEFAULTS.beamSize, doc: 'Beam width (1 = greedy).' }),
    alpha: s.number({ min: 0, default: 1, doc: 'GNMT length penalty α.' }),
    maxLengthRatio: s.number({ min: 0, default: 2, doc: 'Longest output as a ratio of the source length.' }),
    maxLength: s.int({ min: 1, default: SEARCH_DEFAULTS.maxLength, doc: 'Longest output in tokens.' }),
    noRepeatNgram: s.int({
      min: 0,
      default: SEARCH_DEFAULTS.noRepeatNgram,
      doc: 'Forbid repeated n-grams of this size (0 = off).',
    }),
    batchTokens: s.int({ min: 1, default: 2000, doc: 'Source tokens per decoding batch.' }),
  },
  { doc: 'Decoding for parley test, and the defaults of parley translate and the app.' },
);

/** The whole `kind: seq2seq` file. */
export const seq2seqConfigSchema = s.object(
  {
    kind: s.oneOf(['seq2seq'], { required: true, doc: 'Selects the seq2seq trainer.' }),
    name: nameField,
    modelDir: s.path({
      doc: 'Directory the trained model, checkpoints, train.log and validations.tsv go to. Default runs/<name> beside the config.',
    }),
    exportDtype: s.oneOf(['float32', 'float16', 'int8'], {
      default: 'float16',
      doc: 'Weight storage of the exported model.',
    }),
    data: s.object(
      {
        train: s.list(pairFileSchema, { default: [], doc: 'Pair files trained on.' }),
        split: s.object(
          {
            ...pairFields,
            dev: s.int({ min: 0, default: 400, doc: 'Number of dev pairs.' }),
            test: s.int({ min: 0, default: 400, doc: 'Number of test pairs.' }),
            seed: s.int({ ...SEED_RANGE, default: 1, doc: 'Shuffle seed of the split.' }),
          },
          {
            doc: 'Dev/test drawn from one pair file with a seeded shuffle; the rest of that file is trained on.',
            optional: true,
            shorthand: 'path',
          },
        ),
        dev: s.object(pairFields, {
          doc: 'Explicit dev file (used when there is no `split`).',
          optional: true,
          shorthand: 'path',
        }),
        test: s.object(pairFields, {
          doc: 'Explicit test file (used when there is no `split`).',
          optional: true,
          shorthand: 'path',
        }),
        removeHeldOut: s.boolean({
          default: true,
          doc: 'Remove every training pair whose source or target occurs in dev or test.',
        }),
        maxLength: s.int({
          min: 1,
          default: 50,
          doc: 'Drop training pairs longer than this many tokens on either side.',
        }),
      },
      { doc: 'The pair files.' },
    ),
    tokenizer: s.object(
      {
        type: s.oneOf(['bpe', 'word', 'char'], {
          default: 'bpe',
          doc: 'Joint subword vocabulary trained on the training data, whitespace words, or characters.',
        }),
        vocabSize: s.int({ min: 5, default: 4000, doc: 'Vocabulary size including the 4 reserved ids.' }),
        normalization: s.oneOf(['NFC', 'NFKC', 'none'], {
          default: 'NFC',
          doc: 'Unicode normalization applied before tokenizing.',
        }),
      },
      { doc: 'The tokenizer (ignored with training.initFrom).' },
    ),
    model: s.object(
      {
        encoder: encoderSchema,
        decoder: decoderSchema,
        tieEmbeddings: s.boolean({ default: true, doc: 'Target embedding = output layer.' }),
        shareEmbeddings: s.boolean({ default: false, doc: 'One embedding matrix for source and target.' }),
        pretrained: s.object(
          {
            source: s.path({ doc: 'Vector file for the source embedding.' }),
            target: s.path({ doc: 'Vector file for the target embedding.' }),
            freeze: s.boolean({ default: false, doc: 'Keep the loaded embeddings fixed during training.' }),
          },
          { doc: 'Pretrained word vectors (word2vec/GloVe text).', optional: true },
        ),
      },
      { doc: 'Architecture (see model-config.ts).' },
    ),
    training: trainingSchema,
    testing: testingSchema,
  },
  { doc: 'A seq2seq training config.' },
);

export const DEFAULT_TRAINING: TrainingConfig = trainingSchema.parse(
  {},
  ['training'],
  objectContext('defaults', '.'),
) as TrainingConfig;
export const DEFAULT_TESTING: TestingConfig = testingSchema.parse({}, ['testing'], objectContext('defaults', '.'));

/** Checks a parsed config against the schema, fills defaults and resolves paths; errors read `file:line: key: problem`. */
export function parseSeq2seqConfig(raw: unknown, ctx: SchemaContext): Seq2seqConfig {
  const c = seq2seqConfigSchema.parse(raw, [], ctx);
  const d = c.data;
  if (d.train.length === 0 && !d.split)
    throw configError(
      ctx,
      ['data', 'train'],
      'must list at least one pair file (or give data.split, whose rest is trained on)',
    );
  if (!d.split && !d.dev) throw configError(ctx, ['data'], 'needs either split or dev');
  const { pretrained, ...model } = c.model;
  const name = configName(c.name, ctx);
  return {
    ...c,
    kind: 'seq2seq',
    name,
    modelDir: c.modelDir ?? defaultRunDir(ctx, name),
    data: {
      train: d.train,
      removeHeldOut: d.removeHeldOut,
      maxLength: d.maxLength,
      ...(d.split ? { split: d.split } : {}),
      ...(d.dev ? { dev: d.dev } : {}),
      ...(d.test ? { test: d.test } : {}),
    },
    model: { ...model, ...(pretrained ? { pretrained } : {}) },
    training: { ...c.training, betas: [c.training.betas[0]!, c.training.betas[1]!] },
    origin: { file: resolve(ctx.file), sharedDir: ctx.sharedDir },
  } as Seq2seqConfig;
}

/** Fills defaults and resolves paths of a parsed config object (relative to `file`'s directory). `file` names it in errors. */
export function resolveConfig(raw: unknown, file: string, sharedDir: string): Seq2seqConfig {
  return parseSeq2seqConfig(raw, objectContext(file, sharedDir));
}

/**
 * The config as plain JSON for a model's manifest, without this machine's absolute paths: files in the shared data
 * directory become `${shared}/…` and other paths become relative to the config file, as a user would write them.
 */
export function portableConfig(cfg: Seq2seqConfig): unknown {
  const { origin, ...rest } = cfg;
  if (!origin) return JSON.parse(JSON.stringify(rest));
  const base = dirname(origin.file);
  return JSON.parse(JSON.stringify(rest), (_key, v: unknown) => {
    if (typeof v !== 'string' || !isAbsolute(v)) return v;
    const inShared = relative(origin.sharedDir, v);
    if (!inShared.startsWith('..') && !isAbsolute(inShared)) return `\${shared}/${inShared.split(sep).join('/')}`;
    return relative(base, v).split(sep).join('/') || '.';
  });
}

/** Reads and resolves a YAML config file. */
export function loadConfig(file: string, sharedDir: string): Seq2seqConfig {
  return loadConfigWith(file, sharedDir, parseSeq2seqConfig);
}
