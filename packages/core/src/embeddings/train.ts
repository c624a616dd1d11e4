// `kind: embeddings` training and model directories. The corpus is read as a stream (one line = one
// context span), standardized and split like the word tokenizer, words below minCount dropped; skip-gram
// vectors are trained (sgns.ts) and written as a model directory:
//   manifest.json   kind "embeddings", formatVersion, architecture, tokenizer, training facts
//   weights.bin     tensor "embeddings" [vocab, dim] (Parley weight file, checksummed)
//   words.txt       word<TAB>count per line, in row order (most frequent first)
//   vectors.txt     the same vectors in the word2vec text format, for other tools
//   train.log       the run's progress events, formatted (common/events.ts)
// Every file goes through a temp file and a rename. Progress goes out as the one ProgressEvent union (a step is a
// word processed; there is no validation), and the run stops early on an AbortSignal, writing what it has.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  CorpusError,
  readLines,
  splitWhitespace,
  standardize,
  WordVectors,
  writeWordVectors,
  type Standardize,
} from '@parley/text';
import {
  checkDataFile,
  claimRunDir,
  doneEvent,
  loadModelWeights,
  MANIFEST_VERSION,
  readManifest,
  saveWeights,
  STOP_REASONS,
  trainLog,
  writeFileAtomic,
  writeManifest,
  type ModelManifest,
  type ProgressSinks,
} from '../common/index';
import type { EmbeddingsConfig } from './config';
import { trainSkipGram, type SgnsCorpus } from './sgns';

/** Layout version of an embeddings model directory (the manifest's architecture.layout). */
export const EMBEDDINGS_LAYOUT_VERSION = 1;
export const EMBEDDINGS_WORDS_FILE = 'words.txt';
export const EMBEDDINGS_VECTORS_FILE = 'vectors.txt';

export interface EmbeddingsTrainOptions extends ProgressSinks {
  /** Stop at the next progress point and write the vectors trained so far. */
  signal?: AbortSignal;
  /** Replace an output directory that holds something else. */
  overwrite?: boolean;
}

/** What a run wrote. */
export interface EmbeddingsTrainResult {
  modelDir: string;
  vectors: WordVectors;
  /** Corpus words processed (all epochs). */
  words: number;
  seconds: number;
  /** Why training stopped (a STOP_REASONS text, as in the done event). */
  stopReason: string;
}

/** The corpus as vocabulary ids: words seen ≥ minCount times, most frequent first (ties alphabetical). */
export async function readEmbeddingsCorpus(
  file: string,
  mode: Standardize,
  minCount: number,
): Promise<SgnsCorpus & { words: string[]; droppedWords: number }> {
  checkDataFile('data.corpus', file);
  const lines: string[][] = [];
  const counts = new Map<string, number>();
  for await (const { text } of readLines(file)) {
    const tokens = splitWhitespace(standardize(text, mode));
    if (!tokens.length) continue;
    lines.push(tokens);
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const words = [...counts]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([w]) => w);
  if (words.length < 2)
    throw new CorpusError(
      file,
      lines.length,
      `only ${words.length} word(s) occur ${minCount}+ times; lower data.minCount or use a bigger corpus`,
    );
  const index = new Map(words.map((w, i) => [w, i]));
  const ids: number[] = [];
  const lineStarts = [0];
  let dropped = 0;
  for (const tokens of lines) {
    for (const t of tokens) {
      const id = index.get(t);
      if (id === undefined) dropped++;
      else ids.push(id);
    }
    if (ids.length > lineStarts[lineStarts.length - 1]!) lineStarts.push(ids.length);
  }
  return {
    ids: Int32Array.from(ids),
    lineStarts: Int32Array.from(lineStarts),
    counts: Int32Array.from(words, (w) => counts.get(w)!),
    words,
    droppedWords: dropped,
  };
}

/** Trains the vectors a config describes and writes its model directory. */
export async function trainEmbeddings(
  config: EmbeddingsConfig,
  opts: EmbeddingsTrainOptions = {},
): Promise<EmbeddingsTrainResult> {
  const dir = config.output.dir;
  checkDataFile('data.corpus', config.data.corpus); // refused before the directory is touched
  claimRunDir(dir, { kind: 'embeddings', name: config.name }, opts.overwrite);
  const emit = trainLog(dir, opts);
  const corpus = await readEmbeddingsCorpus(config.data.corpus, config.data.standardize, config.data.minCount);
  const { dim } = config.model;
  const { epochs } = config.training;
  const trainWords = corpus.ids.length;
  const n = (x: number) => x.toLocaleString('en');
  emit({
    type: 'log',
    line: `data: vocabulary ${n(corpus.words.length)} words, ${n(trainWords)} training words in ${n(corpus.lineStarts.length - 1)} lines (${n(corpus.droppedWords)} rare words dropped); ${n(2 * corpus.words.length * dim)} parameters`,
  });
  emit({
    type: 'start',
    kind: `embeddings ${config.name}`,
    dir,
    totalEpochs: epochs,
    stepsPerEpoch: trainWords,
    totalSteps: trainWords * epochs,
    startStep: 0,
    metric: 'loss',
    higherIsBetter: false,
  });
  const t0 = performance.now();
  let last = { t: t0, words: 0 };
  const result = await trainSkipGram(corpus, {
    ...config.model,
    ...config.training,
    signal: opts.signal,
    onProgress: (p) => {
      const now = performance.now();
      const elapsedSec = (now - t0) / 1000;
      const rate = ((p.words - last.words) * 1000) / Math.max(1, now - last.t);
      last = { t: now, words: p.words };
      // The word just processed is the p.words-th: it lies in epoch ⌊(p.words − 1) / trainWords⌋.
      const epoch = Math.floor((p.words - 1) / trainWords);
      emit({
        type: 'step',
        step: p.words,
        epoch,
        epochStep: p.words - epoch * trainWords,
        loss: p.loss,
        tokensPerSec: rate,
        unit: 'words',
        etaSec: ((p.totalWords - p.words) / Math.max(1, p.words)) * elapsedSec,
        learningRate: p.lr,
      });
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const vectors = new WordVectors(corpus.words, dim, result.vectors);
  await saveEmbeddingsDir(dir, vectors, corpus.counts, config, {
    words: result.words,
    seconds,
    stopped: result.stopped,
  });
  await writeWordVectors(join(dir, EMBEDDINGS_VECTORS_FILE), vectors);
  const stopReason = result.stopped ? STOP_REASONS.stopped : STOP_REASONS.epochs(epochs);
  emit({
    type: 'log',
    line: `vectors: ${n(vectors.size)} × ${dim} after ${n(result.words)} words in ${seconds.toFixed(1)} s → ${dir} (${EMBEDDINGS_VECTORS_FILE}: word2vec text format)`,
  });
  emit(doneEvent(stopReason, result.words));
  return { modelDir: dir, vectors, words: result.words, seconds, stopReason };
}

async function saveEmbeddingsDir(
  dir: string,
  v: WordVectors,
  counts: Int32Array,
  config: EmbeddingsConfig,
  run: { words: number; seconds: number; stopped: boolean },
): Promise<void> {
  await tf.ready(); // the weight file is written through tensors
  const table = tf.tensor2d(v.data, [v.size, v.dim]);
  const sum = saveWeights(join(dir, 'weights.bin'), { embeddings: table });
  table.dispose();
  writeFileAtomic(join(dir, EMBEDDINGS_WORDS_FILE), v.words.map((w, i) => `${w}\t${counts[i]}\n`).join(''));
  const manifest: ModelManifest = {
    format: 'parley-model',
    formatVersion: MANIFEST_VERSION,
    kind: 'embeddings',
    name: config.name,
    created: new Date().toISOString(),
    architecture: {
      layout: EMBEDDINGS_LAYOUT_VERSION,
      method: 'skip-gram, negative sampling',
      vocabSize: v.size,
      ...config.model,
    },
    tokenizer: {
      type: 'word',
      standardize: config.data.standardize,
      wordsFile: EMBEDDINGS_WORDS_FILE,
      minCount: config.data.minCount,
    },
    training: {
      corpus: config.data.corpus,
      words: run.words,
      seconds: Math.round(run.seconds * 10) / 10,
      finished: !run.stopped,
      config: {
        epochs: config.training.epochs,
        lr: config.training.lr,
        seed: config.training.seed,
        logEvery: config.training.logEvery,
      },
    },
    weights: { file: 'weights.bin', dtype: 'float32', ...sum },
  };
  writeManifest(dir, manifest);
}

/** Loads the vectors of an embeddings model directory (checksums verified). */
export async function loadEmbeddingsDir(dir: string): Promise<WordVectors> {
  const m = readManifest(dir);
  if (m.kind !== 'embeddings') throw new Error(`${dir}: a ${m.kind} model, not word embeddings`);
  const layout = m.architecture.layout;
  if (typeof layout !== 'number' || layout > EMBEDDINGS_LAYOUT_VERSION)
    throw new Error(
      `${dir}: embeddings layout ${String(layout)} is newer than this Parley reads (${EMBEDDINGS_LAYOUT_VERSION})`,
    );
  const wordsPath = join(dir, String(m.tokenizer.wordsFile ?? EMBEDDINGS_WORDS_FILE));
  if (!existsSync(wordsPath)) throw new Error(`${wordsPath}: not found`);
  const words = readFileSync(wordsPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!);
  await tf.ready();
  const { path, tensors } = loadModelWeights(dir, m);
  const t = tensors.embeddings;
  if (!t || t.shape.length !== 2 || t.shape[0] !== words.length) {
    tf.dispose(Object.values(tensors));
    throw new Error(`${path}: expected an "embeddings" tensor of ${words.length} rows (one per line of ${wordsPath})`);
  }
  const data = t.dataSync() as Float32Array;
  const dim = t.shape[1];
  tf.dispose(Object.values(tensors));
  const lowercase = String(m.tokenizer.standardize).startsWith('lower');
  return new WordVectors(words, dim, Float32Array.from(data), lowercase);
}
