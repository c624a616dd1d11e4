// The char-LM training config: a YAML file (`kind: charlm`) with every option documented here with
// its default (see apps/parley/configs/sheldon.yaml for a complete, commented example).
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

/** Where the training text comes from and how it is split. */
export interface CharLmDataConfig {
  /** The corpus file. `${PARLEY_SHARED}` expands to that variable (default `../shared`, from the working directory). Required. */
  corpus: string;
  /**
   * `dialogue`: `speaker<TAB>utterance` lines with `#EPISODE<TAB>name` lines (turned into `Speaker: text` lines,
   * split by episode); `text`: plain text, split by line blocks. Default `dialogue`.
   */
  format: 'dialogue' | 'text';
  /** Held-out episodes (or 1000-line blocks for text) used for validation. A count ≥ 1 or a fraction. Default 8. */
  validation: number;
  /** Held-out episodes (or blocks) used for the final test metric, never for model choice. Default 8. */
  test: number;
  /** Seed of the train/validation/test split. Default 1. */
  splitSeed: number;
  /** Characters seen fewer times than this in the training text map to unk. Default 5. */
  minCharCount: number;
}

/** The network. */
export interface CharLmModelConfig {
  /** Recurrent cell: `lstm` or `gru`. Default `lstm`. */
  cell: 'lstm' | 'gru';
  /** Number of stacked recurrent layers. Default 2. */
  layers: number;
  /** Units per recurrent layer. Default 512. */
  hidden: number;
  /** Size of the character embedding. Default 64. */
  embedding: number;
  /** Dropout on each recurrent layer's outputs (between layers and before the softmax). Default 0.2. */
  dropout: number;
}

/** The optimisation. */
export interface CharLmTrainingConfig {
  /** Seed for weights, dropout and data offsets: the same seed and config give the same model. Default 42. */
  seed: number;
  /** Parallel streams (rows) per batch. Default 64. */
  batchSize: number;
  /** Truncated BPTT length: characters per row per step (the state is carried across steps). Default 100. */
  seqLen: number;
  /** Adam learning rate at the start. Default 0.002. */
  lr: number;
  /** Clip gradients to this global L2 norm; 0 disables. Default 5. */
  clipNorm: number;
  /** Passes over the training text. Default 10. */
  epochs: number;
  /** Stop after this many steps in total (0 = no limit). Default 0. */
  maxSteps: number;
  /** Stop after this many minutes of training in this run (0 = no limit); a later run resumes. Default 0. */
  maxMinutes: number;
  /** Validate (and save the best checkpoint) every this many steps. Default 500. */
  validEvery: number;
  /** Characters of the validation text used by the periodic validations (0 = all). Default 0. */
  validChars: number;
  /** Save the `last` checkpoint every this many steps. Default 250. */
  checkpointEvery: number;
  /** Multiply the learning rate by this when validation stops improving. Default 0.5. */
  lrDecay: number;
  /** Validations without improvement before decaying. Default 1. */
  lrPatience: number;
  /** Lowest learning rate. Default 1e-5. */
  minLr: number;
  /** Log a progress line every this many steps. Default 50. */
  logEvery: number;
  /**
   * Data-parallel training on the wasm backend: each step's rows are split over this many threads (the main
   * thread and workers − 1 worker threads), gradients averaged, so the step is the same as with one. 0 = automatic
   * (see resolveWorkers in common/data-parallel.ts); 1 = single-threaded. PARLEY_WORKERS overrides it. Other
   * backends always use 1. Default 0.
   */
  workers: number;
}

/** What training writes. */
export interface CharLmOutputConfig {
  /** The finished model directory (manifest, compact weights, tokenizer, card facts). Required. */
  dir: string;
  /** Working directory for checkpoints (`last`, `best`) and the full-precision model. Default `runs/<name>`. */
  workDir: string;
  /** How the finished model's weights are stored: `float32`, `float16` or `int8`. Default `float16`. */
  dtype: 'float32' | 'float16' | 'int8';
}

export interface CharLmConfig {
  kind: 'charlm';
  /** Model name, shown by `parley info`. Default: the config file's base name. */
  name: string;
  data: CharLmDataConfig;
  model: CharLmModelConfig;
  training: CharLmTrainingConfig;
  output: CharLmOutputConfig;
}

export const CHARLM_DEFAULT_DATA: Omit<CharLmDataConfig, 'corpus'> = { format: 'dialogue', validation: 8, test: 8, splitSeed: 1, minCharCount: 5 };
export const CHARLM_DEFAULT_MODEL: CharLmModelConfig = { cell: 'lstm', layers: 2, hidden: 512, embedding: 64, dropout: 0.2 };
export const CHARLM_DEFAULT_TRAINING: CharLmTrainingConfig = {
  seed: 42,
  batchSize: 64,
  seqLen: 100,
  lr: 0.002,
  clipNorm: 5,
  epochs: 10,
  maxSteps: 0,
  maxMinutes: 0,
  validEvery: 500,
  validChars: 0,
  checkpointEvery: 250,
  lrDecay: 0.5,
  lrPatience: 1,
  minLr: 1e-5,
  logEvery: 50,
  workers: 0,
};

/** Expands `${PARLEY_SHARED}` (default `../shared`) in a path. */
export function expandPath(path: string): string {
  return path.replace(/\$\{PARLEY_SHARED\}|\$PARLEY_SHARED\b/g, process.env.PARLEY_SHARED ?? '../shared');
}

type Section = Record<string, unknown>;

/** Checks a parsed config object and fills in defaults. `source` names the file in errors. */
export function resolveCharLmConfig(raw: unknown, source = 'config', name = 'charlm'): CharLmConfig {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('expected a YAML mapping');
  const r = raw as Section;
  if (r.kind !== 'charlm') fail(`kind is ${JSON.stringify(r.kind)}, expected "charlm"`);
  const known = ['kind', 'name', 'data', 'model', 'training', 'output'];
  for (const k of Object.keys(r)) if (!known.includes(k)) fail(`unknown top-level key "${k}" (known: ${known.join(', ')})`);
  const section = <T extends object>(key: string, defaults: T, required: string[] = []): T => {
    const s = (r[key] ?? {}) as Section;
    if (typeof s !== 'object') fail(`"${key}" must be a mapping`);
    for (const k of required) if (s[k] === undefined) fail(`${key}.${k} is required`);
    const allowed = [...Object.keys(defaults), ...required];
    for (const [k, v] of Object.entries(s)) {
      if (!allowed.includes(k)) fail(`unknown option ${key}.${k} (known: ${allowed.join(', ')})`);
      const d = (defaults as Section)[k];
      if (d !== undefined && typeof v !== typeof d) fail(`${key}.${k} must be a ${typeof d}, got ${JSON.stringify(v)}`);
    }
    return { ...defaults, ...s } as T;
  };
  const data = section<CharLmDataConfig>('data', CHARLM_DEFAULT_DATA as CharLmDataConfig, ['corpus']);
  const model = section('model', CHARLM_DEFAULT_MODEL);
  const training = section('training', CHARLM_DEFAULT_TRAINING);
  const output = section<CharLmOutputConfig>('output', { workDir: '', dtype: 'float16' } as CharLmOutputConfig, ['dir']);
  if (!['dialogue', 'text'].includes(data.format)) fail(`data.format must be dialogue or text, got ${JSON.stringify(data.format)}`);
  if (!['lstm', 'gru'].includes(model.cell)) fail(`model.cell must be lstm or gru, got ${JSON.stringify(model.cell)}`);
  if (!['float32', 'float16', 'int8'].includes(output.dtype)) fail(`output.dtype must be float32, float16 or int8`);
  for (const [k, v] of Object.entries({ ...model, ...training })) {
    if (typeof v === 'number' && (!Number.isFinite(v) || v < 0)) fail(`${k} must be a number ≥ 0, got ${v}`);
  }
  if (model.dropout >= 1) fail('model.dropout must be < 1');
  for (const k of ['layers', 'hidden', 'embedding'] as const) if (!Number.isInteger(model[k]) || model[k] < 1) fail(`model.${k} must be a positive integer`);
  for (const k of ['batchSize', 'seqLen'] as const) if (!Number.isInteger(training[k]) || training[k] < 1) fail(`training.${k} must be a positive integer`);
  if (!Number.isInteger(training.workers)) fail('training.workers must be a whole number (0 = automatic)');
  const finalName = typeof r.name === 'string' ? r.name : name;
  return {
    kind: 'charlm',
    name: finalName,
    data: { ...data, corpus: expandPath(data.corpus) },
    model,
    training,
    output: { ...output, workDir: output.workDir || `runs/${finalName}` },
  };
}

/** Reads a YAML config file; relative paths in it stay relative to the working directory. */
export function loadCharLmConfig(path: string): CharLmConfig {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new Error(`${path}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const base = path.split('/').pop()!.replace(/\.ya?ml$/, '');
  return resolveCharLmConfig(doc.toJS(), path, base);
}

