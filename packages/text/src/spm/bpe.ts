// A SentencePiece-compatible BPE trainer in pure TypeScript (the algorithm of spm's bpe_model_trainer.cc):
// normalize each sentence with spm's normalizer, count whitespace-delimited words, keep the characters that
// cover `characterCoverage` of the text, then repeatedly merge the most frequent adjacent pair (ties: shorter,
// then smaller string) until the vocabulary is full. Pair counts are updated incrementally: a merge only
// revisits the words that contain the pair. The result is a real `.model` ModelProto.
import type { ModelProto, Piece } from './model';
import { ModelType, PieceType, defaultTrainerSpec, reservedPieces } from './model';
import type { CorpusOptions } from './corpus';
import { countWords, pieceValidator, specFields } from './corpus';

/** Options for `trainBpe`. Defaults are spm_train's (see `CorpusOptions` for the shared ones). */
export interface BpeTrainOptions extends CorpusOptions {
  /** Vocabulary size, the four reserved pieces (pad 0, unk 1, bos 2, eos 3) included. */
  vocabSize: number;
  /** Input file names recorded in the model's trainer spec. */
  inputNames?: string[];
  /** Receives progress lines (e.g. `process.stderr.write`). */
  log?: (line: string) => void;
}

/** What `trainBpe` returns: the model plus training statistics. */
export interface BpeTrainResult {
  model: ModelProto;
  /** Sentences used (after skipping empty and over-long ones). */
  sentences: number;
  /** Distinct words counted. */
  words: number;
  /** Characters kept in the vocabulary. */
  characters: number;
  /** Sentences skipped for being longer than `maxSentenceLength`. */
  tooLong: number;
}

const UNK = -1; // symbol id of characters outside the kept set; never merged

/** Trains a BPE SentencePiece model on sentences (one per item). */
export function trainBpe(sentences: Iterable<string>, options: BpeTrainOptions): BpeTrainResult {
  const log = options.log ?? (() => {});
  const maxLen = options.maxPieceLength ?? 16;
  const META = 4;

  // 1–2. Normalized words with counts; the characters covering `characterCoverage`.
  const corpus = countWords(sentences, options);
  const { spec, words: wordCounts, required } = corpus;
  log(
    `bpe: ${corpus.sentences} sentences, ${wordCounts.size} distinct words${corpus.tooLong ? `, ${corpus.tooLong} too long skipped` : ''}`,
  );
  const merges = options.vocabSize - META - required.length;
  if (merges < 0)
    throw new Error(
      `bpe: vocabulary size ${options.vocabSize} is smaller than the ${META} reserved pieces plus ${required.length} required characters`,
    );

  // 3. Symbols: chars first, merged pieces appended. Each keeps its string, length in chars and code points.
  const symStr: string[] = [];
  const symCps: number[][] = [];
  const charId = new Map<number, number>();
  for (const [cp] of required) {
    charId.set(cp, symStr.length);
    symStr.push(String.fromCodePoint(cp));
    symCps.push([cp]);
  }
  const words: Int32Array[] = [];
  const wordLen: number[] = [];
  const counts: number[] = [];
  for (const [w, c] of wordCounts) {
    const ids: number[] = [];
    for (const ch of w) ids.push(charId.get(ch.codePointAt(0)!) ?? UNK);
    words.push(Int32Array.from(ids));
    wordLen.push(ids.length);
    counts.push(c);
  }
  wordCounts.clear();

  // Whether the concatenation of two symbols may become a piece (spm's IsValidSentencePiece).
  const validCache = new Map<number, boolean>();
  const isValid = pieceValidator(options);
  // Pair key = left * K + right. K is a power of two above every symbol id, so for usual sizes keys stay
  // small integers (V8 Smis), which keeps the Map lookups fast.
  const K = 2 ** Math.ceil(Math.log2(required.length + merges + 2));
  const pairOk = (a: number, b: number): boolean => {
    if (a === UNK || b === UNK) return false;
    const key = a * K + b;
    let ok = validCache.get(key);
    if (ok === undefined) {
      ok = symCps[a]!.length + symCps[b]!.length <= maxLen && isValid([...symCps[a]!, ...symCps[b]!]);
      validCache.set(key, ok);
    }
    return ok;
  };

  // 4. Pair counts and, per pair, the words it occurs in (may list a word twice or after the pair left it).
  const freq = new Map<number, number>();
  const where = new Map<number, number[]>();
  const listWord = (key: number, wi: number) => {
    const list = where.get(key);
    if (list) {
      if (list[list.length - 1] !== wi) list.push(wi);
    } else where.set(key, [wi]);
  };
  /** Adds the word's pairs to the counts (all of them, or with `onlyWith` just those containing that symbol). */
  const addPairs = (wi: number, onlyWith = -1, grown?: Set<number>) => {
    const w = words[wi]!;
    const c = counts[wi]!;
    for (let i = 0, n = wordLen[wi]! - 1; i < n; i++) {
      const a = w[i]!;
      const b = w[i + 1]!;
      if (onlyWith >= 0 && a !== onlyWith && b !== onlyWith) {
        // Unchanged neighbours: undo the subtraction below (the word is already listed for this pair).
        const key = a * K + b;
        const f = freq.get(key);
        if (f !== undefined) freq.set(key, f + c);
        continue;
      }
      if (!pairOk(a, b)) continue;
      const key = a * K + b;
      const f = freq.get(key);
      freq.set(key, (f ?? 0) + c);
      listWord(key, wi);
      grown?.add(key);
    }
  };
  /** Removes the word's pairs from the counts. Invalid pairs were never counted, so a missing entry is skipped. */
  const removePairs = (wi: number) => {
    const w = words[wi]!;
    const c = counts[wi]!;
    for (let i = 0, n = wordLen[wi]! - 1; i < n; i++) {
      const key = w[i]! * K + w[i + 1]!;
      const f = freq.get(key);
      if (f !== undefined) freq.set(key, f - c);
    }
  };
  for (let wi = 0; wi < words.length; wi++) addPairs(wi);

  // 5. A lazy max-heap of (pair, count): stale entries are corrected when they surface.
  const heap = new PairHeap(
    (key) => symStr[Math.floor(key / K)]! + symStr[key % K]!,
    (key) => symCps[Math.floor(key / K)]!.length + symCps[key % K]!.length,
  );
  for (const [key, f] of freq) if (f > 0) heap.push(key, f);

  const pieces: Piece[] = [];
  const emitted = new Set<string>();
  const stamp = new Int32Array(words.length).fill(-1);
  const t0 = performance.now();
  while (pieces.length < merges) {
    const top = heap.pop();
    if (!top)
      throw new Error(
        `bpe: the corpus only supports a vocabulary of ${META + required.length + pieces.length} pieces; ask for at most that`,
      );
    const [key, f] = top;
    const current = freq.get(key) ?? 0;
    if (current !== f) {
      if (current > 0) heap.push(key, current);
      continue;
    }
    const a = Math.floor(key / K);
    const b = key % K;
    const str = symStr[a]! + symStr[b]!;
    freq.delete(key);
    if (emitted.has(str)) continue; // made before from another split ("aa"+"a" vs "a"+"aa"): spm skips it
    emitted.add(str);
    const z = symStr.length;
    symStr.push(str);
    symCps.push([...symCps[a]!, ...symCps[b]!]);
    pieces.push({ piece: str, score: -pieces.length, type: PieceType.NORMAL });

    // Only pairs containing the new symbol z can have grown; all others only lose counts (stale heap entries
    // are corrected when they surface).
    const grown = new Set<number>();
    for (const wi of where.get(key) ?? []) {
      if (stamp[wi] === z) continue;
      stamp[wi] = z;
      const w = words[wi]!;
      const n = wordLen[wi]!;
      let has = false;
      for (let i = 0; i < n - 1; i++)
        if (w[i] === a && w[i + 1] === b) {
          has = true;
          break;
        }
      if (!has) continue;
      removePairs(wi);
      let out = 0;
      for (let i = 0; i < n; i++) {
        if (i < n - 1 && w[i] === a && w[i + 1] === b) {
          w[out++] = z;
          i++;
        } else w[out++] = w[i]!;
      }
      wordLen[wi] = out;
      addPairs(wi, z, grown);
    }
    where.delete(key);
    freq.delete(key);
    for (const k of grown) {
      const now = freq.get(k) ?? 0;
      if (now > 0) heap.push(k, now);
    }
    if (pieces.length % 1000 === 0)
      log(`bpe: ${pieces.length}/${merges} merges (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }

  // 6. The model: reserved pieces, merged pieces (score = -rank), then the characters.
  const all: Piece[] = [
    ...reservedPieces(),
    ...pieces,
    ...required.map(([cp], i) => ({
      piece: String.fromCodePoint(cp),
      score: -(pieces.length + i),
      type: PieceType.NORMAL,
    })),
  ];
  const trainerSpec = {
    ...defaultTrainerSpec(),
    input: options.inputNames ?? [],
    modelType: ModelType.BPE,
    vocabSize: options.vocabSize,
    ...specFields(options),
  };
  return {
    model: { pieces: all, trainerSpec, normalizerSpec: spec },
    sentences: corpus.sentences,
    words: words.length,
    characters: required.length,
    tooLong: corpus.tooLong,
  };
}

/** Max-heap of pair keys by count; ties: shorter piece first, then smaller string (as spm). */
class PairHeap {
  private keys: number[] = [];
  private freqs: number[] = [];
  constructor(
    private readonly str: (key: number) => string,
    private readonly len: (key: number) => number,
  ) {}

  private better(i: number, j: number): boolean {
    const fi = this.freqs[i]!;
    const fj = this.freqs[j]!;
    if (fi !== fj) return fi > fj;
    const ki = this.keys[i]!;
    const kj = this.keys[j]!;
    const li = this.len(ki);
    const lj = this.len(kj);
    if (li !== lj) return li < lj;
    return utf8Less(this.str(ki), this.str(kj));
  }

  private swap(i: number, j: number): void {
    [this.keys[i], this.keys[j]] = [this.keys[j]!, this.keys[i]!];
    [this.freqs[i], this.freqs[j]] = [this.freqs[j]!, this.freqs[i]!];
  }

  push(key: number, freq: number): void {
    this.keys.push(key);
    this.freqs.push(freq);
    let i = this.keys.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number] | undefined {
    if (!this.keys.length) return undefined;
    const top: [number, number] = [this.keys[0]!, this.freqs[0]!];
    const lastK = this.keys.pop()!;
    const lastF = this.freqs.pop()!;
    if (this.keys.length) {
      this.keys[0] = lastK;
      this.freqs[0] = lastF;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.keys.length && this.better(l, m)) m = l;
        if (r < this.keys.length && this.better(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/** Byte-wise UTF-8 order (what C++ std::string comparison gives), which differs from UTF-16 order only past U+FFFF. */
function utf8Less(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y;
    if (x > 0xffff) i++;
  }
  return a.length < b.length;
}
