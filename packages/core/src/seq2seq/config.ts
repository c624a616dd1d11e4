// The seq2seq YAML config: one file drives `parley train`, `parley test` and `parley translate`.
// Every option, its meaning and its default are declared here; `apps/parley/configs/pt-en.yaml` shows them all.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';
import type { DecoderConfig, EncoderConfig } from './model-config';

/** A tab-separated pair file and which columns hold the two sides. */
export interface PairFile {
  /** Path, relative to the config file; `${shared}` stands for the shared data directory (PARLEY_SHARED). */
  path: string;
  /** 1-based column of the source sentence. Default 1. */
  source: number;
  /** 1-based column of the target sentence. Default 2. */
  target: number;
  /** Training only: use each pair this many times per epoch (oversample scarce in-domain data). Default 1. */
  repeat: number;
}

export interface DataConfig {
  /** Pair files trained on. */
  train: PairFile[];
  /** Dev/test drawn from one pair file with a seeded shuffle; the rest of that file is trained on. Optional. */
  split?: PairFile & {
    /** Number of dev pairs. Default 400. */
    dev: number;
    /** Number of test pairs. Default 400. */
    test: number;
    /** Shuffle seed of the split. Default 1. */
    seed: number;
  };
  /** Explicit dev file (used when there is no `split`). */
  dev?: PairFile;
  /** Explicit test file (used when there is no `split`). */
  test?: PairFile;
  /** Remove every training pair whose source or target occurs in dev or test. Default true. */
  removeHeldOut: boolean;
  /** Drop training pairs longer than this many tokens on either side. Default 50. */
  maxLength: number;
}

export interface TokenizerConfig {
  /** 'bpe' (joint subword vocabulary trained on the training data), 'word' (whitespace) or 'char'. Default 'bpe'. */
  type: 'bpe' | 'word' | 'char';
  /** Vocabulary size including the 4 reserved ids (bpe: merges stop there; word/char: most frequent kept). Default 4000. */
  vocabSize: number;
  /** Unicode normalization applied before tokenizing. Default 'NFC'. */
  normalization: 'NFC' | 'NFKC' | 'none';
}

export interface TrainingConfig {
  /** Seed of initialisation, batch order and dropout. Default 1. */
  seed: number;
  /** Tokens per batch (padding included; the longer side counts). Default 2000. */
  batchTokens: number;
  /** Most sentences per batch. Default 128. */
  batchSize: number;
  /** Adam learning rate (peak rate for noam). Default 0.002. */
  lr: number;
  /** Adam β1, β2. Default [0.9, 0.999]. */
  betas: [number, number];
  /** Learning-rate schedule. Default 'plateau'. */
  scheduler: 'none' | 'plateau' | 'noam' | 'exponential';
  /** plateau: multiply lr by this after `patience` validations without improvement. Default 0.5. */
  decayFactor: number;
  /** plateau: validations without improvement before decaying. Default 2. */
  patience: number;
  /** noam: warm-up updates (lr rises linearly, then decays as 1/√step). Default 1000. */
  warmup: number;
  /** exponential: lr × decayRate^(updates / decaySteps). Defaults 0.5 and 5000. */
  decayRate: number;
  decaySteps: number;
  /** Smallest learning rate any schedule goes to. Default 1e-5. */
  minLr: number;
  /** Clip gradients to this global L2 norm (0 = off). Default 1. */
  clipNorm: number;
  /** Label smoothing ε. Default 0.1. */
  labelSmoothing: number;
  /** Source word dropout: probability of replacing a source token by <unk> in training. Default 0. */
  wordDropout: number;
  /** Validate (greedy decode of dev, BLEU/chrF) every this many updates. Default 500. */
  validEvery: number;
  /** Metric that picks the best checkpoint and drives early stopping and plateau: 'bleu' | 'chrf' | 'loss'. Default 'bleu'. */
  metric: 'bleu' | 'chrf' | 'loss';
  /** Stop after this many validations without improvement (0 = never). Default 8. */
  earlyStopping: number;
  /** Keep this many best checkpoints. Default 3. */
  keepBest: number;
  /** Stop after this many updates. Default 100000. */
  maxUpdates: number;
  /** Stop after this many epochs. Default 100. */
  maxEpochs: number;
  /** Stop after this many minutes of training (0 = no limit). Default 0. */
  maxMinutes: number;
  /** Dev translations printed in train.log at each validation. Default 3. */
  logExamples: number;
  /** Log training loss every this many updates. Default 50. */
  logEvery: number;
  /**
   * Start from the weights and tokenizer of this Parley model directory (e.g. another run's modelDir) instead of a
   * fresh initialisation: fine-tuning, e.g. on in-domain data after training on everything. The optimizer, schedule
   * and best-checkpoint bookkeeping start fresh; the model section must describe the same architecture. Path relative
   * to the config; '' = none. Default ''.
   */
  initFrom: string;
  /**
   * Data-parallel training on the wasm backend: each update's batch is split over this many threads (the main
   * thread and workers − 1 worker threads), gradients averaged by target tokens, so the update is the same as with
   * one. 0 = automatic (see resolveWorkers in common/data-parallel.ts); 1 = single-threaded. PARLEY_WORKERS
   * overrides it. Other backends always use 1. Default 0.
   */
  workers: number;
}

export interface TestingConfig {
  /** Beam width (1 = greedy). Default 5. */
  beamSize: number;
  /** GNMT length penalty α. Default 1. */
  alpha: number;
  /** Longest output as a ratio of the source length. Default 2. */
  maxLengthRatio: number;
  /** Longest output in tokens. Default 100. */
  maxLength: number;
  /** Forbid repeated n-grams of this size (0 = off). Default 0. */
  noRepeatNgram: number;
  /** Source tokens per decoding batch. Default 2000. */
  batchTokens: number;
}

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

export const DEFAULT_TRAINING: TrainingConfig = {
  seed: 1,
  batchTokens: 2000,
  batchSize: 128,
  lr: 0.002,
  betas: [0.9, 0.999],
  scheduler: 'plateau',
  decayFactor: 0.5,
  patience: 2,
  warmup: 1000,
  decayRate: 0.5,
  decaySteps: 5000,
  minLr: 1e-5,
  clipNorm: 1,
  labelSmoothing: 0.1,
  wordDropout: 0,
  validEvery: 500,
  metric: 'bleu',
  earlyStopping: 8,
  keepBest: 3,
  maxUpdates: 100000,
  maxEpochs: 100,
  maxMinutes: 0,
  logExamples: 3,
  logEvery: 50,
  initFrom: '',
  workers: 0,
};

export const DEFAULT_TESTING: TestingConfig = { beamSize: 5, alpha: 1, maxLengthRatio: 2, maxLength: 100, noRepeatNgram: 0, batchTokens: 2000 };

function pairFile(v: unknown, where: string, base: string, shared: string): PairFile {
  const o = (typeof v === 'string' ? { path: v } : v) as Partial<PairFile> | null;
  if (!o || typeof o.path !== 'string') throw new Error(`${where}: expected a path or { path, source, target }`);
  const path = o.path.replace(/\$\{shared\}/g, shared);
  const repeat = o.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`${where}: repeat must be a whole number ≥ 1`);
  return { path: isAbsolute(path) ? path : resolve(base, path), source: o.source ?? 1, target: o.target ?? 2, repeat };
}

/** Fills defaults and resolves paths of a parsed config object. `file` names it in errors. */
export function resolveConfig(raw: unknown, file: string, sharedDir: string): Seq2seqConfig {
  const base = dirname(resolve(file));
  const r = (raw ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (r.kind !== 'seq2seq') throw new Error(`${file}: "kind" must be seq2seq, got ${JSON.stringify(r.kind)}`);
  const d = r.data ?? {};
  const train: unknown[] = d.train ?? [];
  if (!Array.isArray(train)) throw new Error(`${file}: data.train must be a list of pair files`);
  if (train.length === 0 && !d.split) throw new Error(`${file}: data.train must list at least one pair file (or give data.split, whose rest is trained on)`);
  const data: DataConfig = {
    train: train.map((p: unknown, i: number) => pairFile(p, `${file}: data.train[${i}]`, base, sharedDir)),
    removeHeldOut: d.removeHeldOut ?? true,
    maxLength: d.maxLength ?? 50,
  };
  if (d.split) data.split = { ...pairFile(d.split, `${file}: data.split`, base, sharedDir), dev: d.split.dev ?? 400, test: d.split.test ?? 400, seed: d.split.seed ?? 1 };
  if (d.dev) data.dev = pairFile(d.dev, `${file}: data.dev`, base, sharedDir);
  if (d.test) data.test = pairFile(d.test, `${file}: data.test`, base, sharedDir);
  if (!data.split && !data.dev) throw new Error(`${file}: data needs either split or dev`);
  const tok = { type: 'bpe', vocabSize: 4000, normalization: 'NFC', ...(r.tokenizer ?? {}) } as TokenizerConfig;
  if (!['bpe', 'word', 'char'].includes(tok.type)) throw new Error(`${file}: tokenizer.type must be bpe, word or char`);
  const m = r.model ?? {};
  const training = { ...DEFAULT_TRAINING, ...(r.training ?? {}) } as TrainingConfig;
  if (!['none', 'plateau', 'noam', 'exponential'].includes(training.scheduler))
    throw new Error(`${file}: training.scheduler must be none, plateau, noam or exponential`);
  if (!['bleu', 'chrf', 'loss'].includes(training.metric)) throw new Error(`${file}: training.metric must be bleu, chrf or loss`);
  for (const k of Object.keys(r.training ?? {})) if (!(k in DEFAULT_TRAINING)) throw new Error(`${file}: unknown option training.${k}`);
  if (!Number.isInteger(training.workers) || training.workers < 0) throw new Error(`${file}: training.workers must be a whole number ≥ 0 (0 = automatic)`);
  if (typeof training.initFrom !== 'string') throw new Error(`${file}: training.initFrom must be a model directory path`);
  if (training.initFrom) training.initFrom = resolve(base, training.initFrom.replace(/\$\{shared\}/g, sharedDir));
  for (const k of Object.keys(r.testing ?? {})) if (!(k in DEFAULT_TESTING)) throw new Error(`${file}: unknown option testing.${k}`);
  return {
    kind: 'seq2seq',
    name: r.name ?? 'seq2seq',
    modelDir: resolve(base, r.modelDir ?? `runs/${r.name ?? 'seq2seq'}`),
    data,
    tokenizer: tok,
    model: {
      encoder: m.encoder ?? {},
      decoder: m.decoder ?? {},
      tieEmbeddings: m.tieEmbeddings ?? true,
      shareEmbeddings: m.shareEmbeddings ?? false,
      ...(m.pretrained
        ? {
            pretrained: {
              ...(m.pretrained.source ? { source: resolve(base, String(m.pretrained.source).replace(/\$\{shared\}/g, sharedDir)) } : {}),
              ...(m.pretrained.target ? { target: resolve(base, String(m.pretrained.target).replace(/\$\{shared\}/g, sharedDir)) } : {}),
              freeze: m.pretrained.freeze ?? false,
            },
          }
        : {}),
    },
    training,
    testing: { ...DEFAULT_TESTING, ...(r.testing ?? {}) },
    exportDtype: r.exportDtype ?? 'float16',
    origin: { file: resolve(file), sharedDir: resolve(sharedDir) },
  };
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
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return resolveConfig(raw, file, sharedDir);
}
