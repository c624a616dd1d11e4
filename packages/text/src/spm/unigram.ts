// A SentencePiece-compatible unigram trainer in pure TypeScript (after spm's unigram_model_trainer.cc):
// seed with the characters plus the most frequent substrings (scored by frequency × length), then repeat
// { two EM steps (forward–backward over each word's lattice, Bayesian digamma update); prune the pieces whose
// removal costs the least likelihood, keeping 75% } until 1.1 × the vocabulary remains, and keep the best-scored.
import type { CorpusOptions } from './corpus';
import { countWords, pieceValidator, specFields } from './corpus';
import type { ModelProto, Piece } from './model';
import { ModelType, PieceType, defaultTrainerSpec, reservedPieces } from './model';

/** Options for `trainUnigram`. Defaults are spm_train's. */
export interface UnigramTrainOptions extends CorpusOptions {
  /** Vocabulary size, the four reserved pieces (pad 0, unk 1, bos 2, eos 3) included. */
  vocabSize: number;
  /** Most seed substrings before EM starts. Default 1,000,000 (spm's seed_sentencepiece_size). */
  seedSize?: number;
  /** Share of pieces each pruning round keeps. Default 0.75. */
  shrinkingFactor?: number;
  /** EM steps between pruning rounds. Default 2. */
  subIterations?: number;
  /** Input file names recorded in the model's trainer spec. */
  inputNames?: string[];
  /** Receives progress lines. */
  log?: (line: string) => void;
}

/** What `trainUnigram` returns. */
export interface UnigramTrainResult {
  model: ModelProto;
  sentences: number;
  words: number;
  characters: number;
  tooLong: number;
}

const UNK_PENALTY = 10;

/** spm's digamma approximation. */
function digamma(x: number): number {
  let r = 0;
  for (; x < 7; ++x) r -= 1 / x;
  x -= 0.5;
  const xx = 1 / x;
  const xx2 = xx * xx;
  const xx4 = xx2 * xx2;
  return r + Math.log(x) + xx2 / 24 - (7 / 960) * xx4 + (31 / 8064) * xx4 * xx2 - (127 / 30720) * xx4 * xx4;
}

function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** Trains a unigram SentencePiece model on sentences (one per item). */
export function trainUnigram(sentences: Iterable<string>, options: UnigramTrainOptions): UnigramTrainResult {
  const log = options.log ?? (() => {});
  const maxLen = options.maxPieceLength ?? 16;
  const shrink = options.shrinkingFactor ?? 0.75;
  const subIterations = options.subIterations ?? 2;
  const META = 4;
  const corpus = countWords(sentences, options);
  const isValid = pieceValidator(options);
  const required = new Set(corpus.required.map(([cp]) => cp));
  log(`unigram: ${corpus.sentences} sentences, ${corpus.words.size} distinct words`);
  const target = options.vocabSize - META;
  if (target < corpus.required.length)
    throw new Error(
      `unigram: vocabulary size ${options.vocabSize} is smaller than the ${META} reserved pieces plus ${corpus.required.length} required characters`,
    );

  // Words as code-point arrays (unknown characters kept; they become unk nodes).
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [w, c] of corpus.words) {
    words.push(Array.from(w, (ch) => ch.codePointAt(0)!));
    counts.push(c);
  }

  // 1. Seeds: valid substrings of 2..maxLen known characters seen at least twice, by frequency × length.
  const subCounts = new Map<string, number>();
  words.forEach((cps, wi) => {
    const c = counts[wi]!;
    for (let i = 0; i < cps.length; i++) {
      let s = String.fromCodePoint(cps[i]!);
      if (!required.has(cps[i]!)) continue;
      for (let j = i + 1; j < cps.length && j - i < maxLen; j++) {
        if (!required.has(cps[j]!)) break;
        if (cps[j] === 0x2581) break;
        s += String.fromCodePoint(cps[j]!);
        subCounts.set(s, (subCounts.get(s) ?? 0) + c);
      }
    }
  });
  // Like spm's suffix-array seeds, keep only right-maximal substrings: drop s when one extension s+c is as frequent.
  const notMaximal = new Set<string>();
  for (const [s, f] of subCounts) {
    const last = s.charCodeAt(s.length - 1);
    const parent = s.slice(0, s.length - (last >= 0xdc00 && last < 0xe000 ? 2 : 1));
    if (subCounts.get(parent) === f) notMaximal.add(parent);
  }
  const seeds: [string, number][] = [];
  for (const [s, f] of subCounts) {
    if (f < 2 || notMaximal.has(s)) continue;
    const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
    if (isValid(cps)) seeds.push([s, f * cps.length]);
  }
  subCounts.clear();
  seeds.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  seeds.length = Math.min(seeds.length, options.seedSize ?? 1_000_000);
  for (const [cp, f] of corpus.required) seeds.push([String.fromCodePoint(cp), f]);
  const total = seeds.reduce((s, [, f]) => s + f, 0);
  let pieces: { piece: string; score: number }[] = seeds.map(([p, f]) => ({
    piece: p,
    score: Math.log(f) - Math.log(total),
  }));
  log(`unigram: ${pieces.length} seed pieces`);

  const isChar = (p: string) => p.length <= 2 && Array.from(p).length === 1;
  const desired = Math.floor(options.vocabSize * 1.1);

  // Lattice edges of every word for the current pieces: flat [start, end, pieceIndex] triples, by start.
  // A code-point trie finds the pieces starting at each position and stops as soon as no piece continues.
  const buildEdges = (current: readonly { piece: string }[]): Int32Array[] => {
    const trie = new PieceTrie(current.map((p) => p.piece));
    return words.map((cps) => trie.edges(cps, maxLen));
  };

  const alpha: number[] = [];
  const beta: number[] = [];
  for (let round = 0; ; round++) {
    let edges = buildEdges(pieces);
    // 2. EM.
    for (let it = 0; it < subIterations; it++) {
      const scores = pieces.map((p) => p.score);
      const unkScore = scores.reduce((m, s) => Math.min(m, s), 0) - UNK_PENALTY;
      const expected = new Float64Array(pieces.length);
      let objective = 0;
      let allFreq = 0;
      edges.forEach((e, wi) => {
        const n = words[wi]!.length;
        const c = counts[wi]!;
        alpha.length = beta.length = 0;
        for (let k = 0; k <= n; k++) {
          alpha.push(-Infinity);
          beta.push(-Infinity);
        }
        alpha[0] = 0;
        beta[n] = 0;
        for (let k = 0; k < e.length; k += 3) {
          const s = e[k + 2]! < 0 ? unkScore : scores[e[k + 2]!]!;
          alpha[e[k + 1]!] = logAdd(alpha[e[k + 1]!]!, alpha[e[k]!]! + s);
        }
        for (let k = e.length - 3; k >= 0; k -= 3) {
          const s = e[k + 2]! < 0 ? unkScore : scores[e[k + 2]!]!;
          beta[e[k]!] = logAdd(beta[e[k]!]!, s + beta[e[k + 1]!]!);
        }
        const z = alpha[n]!;
        for (let k = 0; k < e.length; k += 3) {
          const id = e[k + 2]!;
          if (id < 0) continue;
          expected[id] = expected[id]! + c * Math.exp(alpha[e[k]!]! + scores[id]! + beta[e[k + 1]!]! - z);
        }
        objective -= c * z;
        allFreq += c;
      });
      // M step: drop pieces expected less than 0.5 times (characters stay), Bayesian update of the rest.
      const kept = pieces
        .map((p, i) => ({ piece: p.piece, freq: expected[i]! }))
        .filter((p) => p.freq >= 0.5 || isChar(p.piece));
      const sum = kept.reduce((s, p) => s + p.freq, 0);
      const logSum = digamma(sum);
      pieces = kept.map((p) => ({ piece: p.piece, score: digamma(Math.max(p.freq, 1e-3)) - logSum }));
      log(`unigram: round ${round} EM ${it}: ${pieces.length} pieces, objective ${(objective / allFreq).toFixed(3)}`);
      if (it + 1 < subIterations) edges = buildEdges(pieces);
    }
    if (pieces.length <= desired) break;
    pieces = prune(pieces, Math.max(desired, Math.floor(shrink * pieces.length)));
  }

  // 3. Prune by likelihood loss (spm's PruneSentencePieces).
  function prune(current: { piece: string; score: number }[], keep: number): { piece: string; score: number }[] {
    const trie = new PieceTrie(current.map((p) => p.piece));
    const scores = current.map((p) => p.score);
    const unkScore = scores.reduce((m, s) => Math.min(m, s), 0) - UNK_PENALTY;
    const viterbi = (e: Int32Array, n: number, skip = -2): number[] => {
      const best = new Float64Array(n + 1).fill(-Infinity);
      const backStart = new Int32Array(n + 1);
      const backId = new Int32Array(n + 1);
      best[0] = 0;
      for (let k = 0; k < e.length; k += 3) {
        const id = e[k + 2]!;
        if (id === skip) continue;
        const v = best[e[k]!]! + (id < 0 ? unkScore : scores[id]!);
        if (v > best[e[k + 1]!]!) {
          best[e[k + 1]!] = v;
          backStart[e[k + 1]!] = e[k]!;
          backId[e[k + 1]!] = id;
        }
      }
      const path: number[] = [];
      for (let j = n; j > 0; j = backStart[j]!) path.push(backId[j]!);
      return path.reverse();
    };
    // Alternatives: the best segmentation of each piece without itself.
    // A piece whose own best segmentation is split is never used: drop it. Otherwise its alternative is
    // the best segmentation without it.
    const split = new Uint8Array(current.length);
    const alternatives = current.map((p, i) => {
      if (isChar(p.piece)) return [];
      const cps = Array.from(p.piece, (ch) => ch.codePointAt(0)!);
      if (viterbi(trie.edges(cps, maxLen), cps.length).length > 1) split[i] = 1;
      return viterbi(trie.edges(cps, maxLen, i), cps.length);
    });
    const edges = words.map((cps) => trie.edges(cps, maxLen));
    const freq = new Float64Array(current.length);
    let allFreq = 0;
    edges.forEach((e, wi) => {
      const c = counts[wi]!;
      allFreq += c;
      for (const id of viterbi(e, words[wi]!.length)) if (id >= 0) freq[id] = freq[id]! + c;
    });
    const sum = freq.reduce((s, f) => s + f, 0);
    const logSum = Math.log(sum);
    const always: { piece: string; score: number }[] = [];
    const candidates: [number, number][] = [];
    current.forEach((p, i) => {
      if (isChar(p.piece)) always.push(p);
      else if (freq[i] === 0 || split[i])
        return; // not on any best path: removable at no cost
      else if (!alternatives[i]!.length) always.push(p);
      else {
        const F = freq[i]! / allFreq; // as spm: occurrences, weighted by frequency
        const logProbSp = Math.log(freq[i]!) - logSum;
        const alt = alternatives[i]!;
        const logSumAlt = Math.log(sum + freq[i]! * (alt.length - 1));
        let logProbAlt = 0;
        for (const n of alt) logProbAlt += Math.log((n < 0 ? 0 : freq[n]!) + freq[i]!) - logSumAlt;
        candidates.push([i, F * (logProbSp - logProbAlt)]);
      }
    });
    candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    log(
      `unigram: prune ${current.length} → ${keep}: ${always.length} kept without alternative, ${candidates.length} candidates, ${split.reduce((s, x) => s + x, 0)} split`,
    );
    const out = always.slice();
    for (const [i] of candidates) {
      if (out.length >= keep) break;
      out.push(current[i]!);
    }
    return out;
  }

  // 4. Final vocabulary: every required character, then the best-scored pieces.
  const byScore = pieces.slice().sort((a, b) => b.score - a.score || (a.piece < b.piece ? -1 : 1));
  const minScore = byScore.length ? byScore[byScore.length - 1]!.score : 0;
  const final = new Map<string, number>();
  let penalty = 0;
  const scoreOf = new Map(pieces.map((p) => [p.piece, p.score]));
  for (const [cp] of corpus.required) {
    const ch = String.fromCodePoint(cp);
    const s = scoreOf.get(ch);
    if (s !== undefined) final.set(ch, s);
    else {
      final.set(ch, minScore + penalty);
      penalty += 0.0001;
    }
  }
  for (const p of byScore) {
    if (final.size >= target) break;
    if (!final.has(p.piece)) final.set(p.piece, p.score);
  }
  if (final.size < target)
    throw new Error(
      `unigram: the corpus only supports a vocabulary of ${final.size + META} pieces; ask for at most that`,
    );
  const normal: Piece[] = [...final]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([piece, score]) => ({ piece, score, type: PieceType.NORMAL }));
  const all: Piece[] = [...reservedPieces(), ...normal];
  const trainerSpec = {
    ...defaultTrainerSpec(),
    input: options.inputNames ?? [],
    modelType: ModelType.UNIGRAM,
    vocabSize: all.length,
    ...specFields(options),
  };
  return {
    model: { pieces: all, trainerSpec, normalizerSpec: corpus.spec },
    sentences: corpus.sentences,
    words: words.length,
    characters: corpus.required.length,
    tooLong: corpus.tooLong,
  };
}

/** A code-point trie of pieces, for finding every piece that starts at a position of a word. */
class PieceTrie {
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly ids: number[] = [-1];

  constructor(pieces: readonly string[]) {
    pieces.forEach((piece, id) => {
      let node = 0;
      for (const ch of piece) {
        const cp = ch.codePointAt(0)!;
        let next = this.children[node]!.get(cp);
        if (next === undefined) {
          next = this.ids.length;
          this.children[node]!.set(cp, next);
          this.children.push(new Map());
          this.ids.push(-1);
        }
        node = next;
      }
      this.ids[node] = id;
    });
  }

  /** Lattice edges [start, end, id] of `cps`, by start; an unk edge (id -1) where no one-character piece exists. */
  edges(cps: readonly number[], maxLen: number, exclude = -2): Int32Array {
    const e: number[] = [];
    for (let i = 0; i < cps.length; i++) {
      let single = false;
      let node = 0;
      for (let j = i; j < cps.length && j - i < maxLen; j++) {
        const next = this.children[node]!.get(cps[j]!);
        if (next === undefined) break;
        node = next;
        const id = this.ids[node]!;
        if (id >= 0 && id !== exclude) {
          e.push(i, j + 1, id);
          if (j === i) single = true;
        }
      }
      if (!single) e.push(i, i + 1, -1);
    }
    return Int32Array.from(e);
  }
}
