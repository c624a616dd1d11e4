// Skip-gram with negative sampling, as word2vec.c trains it, in plain TypeScript on Float32Arrays (one
// thread; no tfjs: each update touches 2·(1+negative) rows of `dim` floats, far too small for a kernel
// launch). Per epoch, frequent words are subsampled; each remaining word predicts the words within a
// window of 1..window sampled per position; every (context, word) pair is one logistic-regression step
// on the true word and `negative` noise words drawn from a unigram^0.75 table; the learning rate decays
// linearly with the words processed. Seeded: the same corpus, options and seed give the same vectors.
import { seededRandom } from '@parley/text';
import { nextTurn } from '../common/events';

/** The training text as vocabulary ids, with the start of each line (a context never crosses lines). */
export interface SgnsCorpus {
  /** Word ids (0..vocabSize-1), all lines concatenated. */
  ids: Int32Array;
  /** Offsets into ids where each line starts, plus ids.length at the end. */
  lineStarts: Int32Array;
  /** Occurrences of each vocabulary word in `ids`. */
  counts: Int32Array;
}

export interface SgnsOptions {
  dim: number;
  window: number;
  negative: number;
  /** Subsampling threshold (0: off). */
  sample: number;
  epochs: number;
  /** Starting learning rate. */
  lr: number;
  seed: number;
  /** Words between progress callbacks (the loop also yields to the event loop there). */
  logEvery: number;
  onProgress?: (p: SgnsProgress) => void;
  /** Stops at the next progress point; the vectors so far are returned. */
  signal?: AbortSignal;
}

export interface SgnsProgress {
  /** Words processed (before subsampling), over all epochs so far. */
  words: number;
  totalWords: number;
  /** Fractional epoch. */
  epoch: number;
  /** Mean negative-sampling loss per (context, word) pair since the last callback. */
  loss: number;
  lr: number;
}

export interface SgnsResult {
  /** vocabSize × dim input vectors (the word vectors word2vec writes). */
  vectors: Float32Array;
  /** Words processed. */
  words: number;
  stopped: boolean;
}

const EXP_TABLE_SIZE = 1000;
const MAX_EXP = 6;
const TABLE_SIZE = 10_000_000;
/** word2vec.c's MAX_SENTENCE_LENGTH: longer lines are cut into pieces this long. */
const MAX_SENTENCE = 1000;

interface SigmoidTables {
  /** σ(x) on a grid over [-MAX_EXP, MAX_EXP], as word2vec.c's expTable. */
  sigmoid: Float32Array;
  /** −log σ(x) and −log(1 − σ(x)) on the same grid (the loss, for progress reports). */
  lossPos: Float32Array;
  lossNeg: Float32Array;
}

function sigmoidTables(): SigmoidTables {
  const sigmoid = new Float32Array(EXP_TABLE_SIZE);
  const lossPos = new Float32Array(EXP_TABLE_SIZE);
  const lossNeg = new Float32Array(EXP_TABLE_SIZE);
  for (let i = 0; i < EXP_TABLE_SIZE; i++) {
    const x = ((i / EXP_TABLE_SIZE) * 2 - 1) * MAX_EXP;
    sigmoid[i] = 1 / (1 + Math.exp(-x));
    lossPos[i] = Math.log1p(Math.exp(-x));
    lossNeg[i] = Math.log1p(Math.exp(x));
  }
  return { sigmoid, lossPos, lossNeg };
}

/**
 * One subsampled piece of a line: every word is predicted from each context word in its sampled
 * window, with `negative` noise words (word2vec.c's skip-gram inner loop). A plain synchronous
 * function so the JIT compiles it whole. Returns the summed loss and the number of pairs.
 */
function trainPiece(
  sen: Int32Array,
  len: number,
  syn0: Float32Array,
  syn1: Float32Array,
  neu1e: Float32Array,
  tables: SigmoidTables,
  rand: () => number,
  table: Int32Array,
  opts: SgnsOptions,
  lr: number,
): { loss: number; pairs: number } {
  const { dim, window, negative } = opts;
  const { sigmoid, lossPos, lossNeg } = tables;
  const tableSize = table.length;
  const scale = EXP_TABLE_SIZE / MAX_EXP / 2;
  let loss = 0;
  let pairs = 0;
  for (let pos = 0; pos < len; pos++) {
    const word = sen[pos]!;
    const b = Math.floor(rand() * window);
    const lo = Math.max(0, pos - window + b);
    const hi = Math.min(len - 1, pos + window - b);
    for (let c = lo; c <= hi; c++) {
      if (c === pos) continue;
      const l1 = sen[c]! * dim;
      neu1e.fill(0);
      for (let d = 0; d <= negative; d++) {
        let target = word;
        let label = 1;
        if (d > 0) {
          target = table[Math.floor(rand() * tableSize)]!;
          if (target === word) continue;
          label = 0;
        }
        const l2 = target * dim;
        let f = 0;
        for (let j = 0; j < dim; j++) f += syn0[l1 + j]! * syn1[l2 + j]!;
        let g: number;
        if (f > MAX_EXP) {
          g = (label - 1) * lr;
          loss += label ? 0 : f;
        } else if (f < -MAX_EXP) {
          g = label * lr;
          loss += label ? -f : 0;
        } else {
          const i = Math.floor((f + MAX_EXP) * scale);
          g = (label - sigmoid[i]!) * lr;
          loss += label ? lossPos[i]! : lossNeg[i]!;
        }
        for (let j = 0; j < dim; j++) {
          const s1 = syn1[l2 + j]!;
          neu1e[j]! += g * s1;
          syn1[l2 + j] = s1 + g * syn0[l1 + j]!;
        }
      }
      for (let j = 0; j < dim; j++) syn0[l1 + j]! += neu1e[j]!;
      pairs++;
    }
  }
  return { loss, pairs };
}

/** word2vec.c's InitUnigramTable: word i fills a share count^0.75 / Σ count^0.75 of the table. */
export function unigramTable(counts: Int32Array, size = TABLE_SIZE): Int32Array {
  const table = new Int32Array(size);
  let total = 0;
  for (const c of counts) total += c ** 0.75;
  let i = 0;
  let d1 = counts[0]! ** 0.75 / total;
  for (let a = 0; a < size; a++) {
    table[a] = i;
    if (a / size > d1 && i < counts.length - 1) {
      i++;
      d1 += counts[i]! ** 0.75 / total;
    }
  }
  return table;
}

/** Trains skip-gram vectors on `corpus`. */
export async function trainSkipGram(corpus: SgnsCorpus, opts: SgnsOptions): Promise<SgnsResult> {
  const { dim, sample, epochs, lr: startLr } = opts;
  const vocabSize = corpus.counts.length;
  const rand = seededRandom(opts.seed);
  const syn0 = new Float32Array(vocabSize * dim);
  for (let i = 0; i < syn0.length; i++) syn0[i] = (rand() - 0.5) / dim;
  const syn1 = new Float32Array(vocabSize * dim);
  const neu1e = new Float32Array(dim);
  const tables = sigmoidTables();
  const table = unigramTable(corpus.counts, Math.min(TABLE_SIZE, Math.max(1_000_000, vocabSize * 1000)));
  const trainWords = corpus.ids.length;
  const totalWords = epochs * trainWords;
  // keep probability per word (word2vec.c: (sqrt(cn/(sample·N)) + 1)·(sample·N)/cn)
  const keep = new Float32Array(vocabSize).fill(1);
  if (sample > 0) {
    const t = sample * trainWords;
    corpus.counts.forEach((c, w) => (keep[w] = Math.min(1, (Math.sqrt(c / t) + 1) * (t / c))));
  }
  const sen = new Int32Array(MAX_SENTENCE);
  let lr = startLr;
  let done = 0;
  let lossSum = 0;
  let pairs = 0;
  let nextReport = opts.logEvery;
  let nextLr = 10_000;
  const lines = corpus.lineStarts.length - 1;

  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let line = 0; line < lines; line++) {
      const end = corpus.lineStarts[line + 1]!;
      for (let start = corpus.lineStarts[line]!; start < end; start += MAX_SENTENCE) {
        // subsample one piece of the line into sen[0..len)
        const stop = Math.min(end, start + MAX_SENTENCE);
        let len = 0;
        for (let k = start; k < stop; k++) {
          const w = corpus.ids[k]!;
          if (keep[w]! >= 1 || keep[w]! >= rand()) sen[len++] = w;
        }
        done += stop - start;
        const r = trainPiece(sen, len, syn0, syn1, neu1e, tables, rand, table, opts, lr);
        lossSum += r.loss;
        pairs += r.pairs;
        if (done >= nextLr) {
          lr = Math.max(startLr * 1e-4, startLr * (1 - done / (totalWords + 1)));
          nextLr = done + 10_000;
        }
        if (done >= nextReport || (epoch === epochs - 1 && line === lines - 1 && stop === end)) {
          opts.onProgress?.({
            words: done,
            totalWords,
            epoch: done / trainWords,
            loss: pairs ? lossSum / pairs : 0,
            lr,
          });
          lossSum = 0;
          pairs = 0;
          nextReport = done + opts.logEvery;
          await nextTurn();
          if (opts.signal?.aborted) return { vectors: syn0, words: done, stopped: true };
        }
      }
    }
  }
  return { vectors: syn0, words: done, stopped: false };
}
