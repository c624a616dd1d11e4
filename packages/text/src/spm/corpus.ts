// The steps every SentencePiece trainer shares (spm's trainer_interface.cc): normalize sentences, count
// whitespace-delimited words, choose the characters that cover the text, and judge whether a string may be a piece.
import { Normalizer, normalizerSpec } from './normalizer';
import type { NormalizerSpec } from './model';
import { SCRIPT_INHERITED, isNumber, scriptOf } from './script';

/** Options shared by the trainers. Defaults are spm_train's. */
export interface CorpusOptions {
  /** Fraction of character occurrences the kept characters must cover; rarer characters become unk. Default 0.9995. */
  characterCoverage?: number;
  /** Normalization rules written into the model and applied before training. Default 'nmt_nfkc'. */
  normalization?: 'nmt_nfkc' | 'identity';
  /** Longest piece, in characters. Default 16. */
  maxPieceLength?: number;
  /** Sentences longer than this many UTF-8 bytes are skipped. Default 4192. */
  maxSentenceLength?: number;
  /** Never merge characters of different Unicode scripts. Default true. */
  splitByUnicodeScript?: boolean;
  /** Never merge numbers with letters (when false, numbers join any script). Default true. */
  splitByNumber?: boolean;
  /** Keep every digit a piece of its own. Default false. */
  splitDigits?: boolean;
}

/** A normalized corpus as counted words. */
export interface WordCorpus {
  spec: NormalizerSpec;
  /** Distinct words (each starts with ▁) and how often each occurs. */
  words: Map<string, number>;
  sentences: number;
  tooLong: number;
  /** Kept characters as [code point, count], most frequent first (ties by code point). */
  required: [number, number][];
}

/** Normalizes and counts the sentences, then picks the characters covering `characterCoverage`. */
export function countWords(sentences: Iterable<string>, options: CorpusOptions): WordCorpus {
  const maxSentenceBytes = options.maxSentenceLength ?? 4192;
  const coverage = options.characterCoverage ?? 0.9995;
  const spec = normalizerSpec(options.normalization ?? 'nmt_nfkc');
  const normalizer = new Normalizer(spec);
  const words = new Map<string, number>();
  let nSentences = 0;
  let tooLong = 0;
  for (const raw of sentences) {
    if (raw.length > maxSentenceBytes / 3 && Buffer.byteLength(raw) > maxSentenceBytes) {
      tooLong++;
      continue;
    }
    const norm = normalizer.normalize(raw);
    if (!norm) continue;
    nSentences++;
    let start = 0;
    for (let i = 1; i <= norm.length; i++) {
      if (i === norm.length || norm.charCodeAt(i) === 0x2581) {
        const w = norm.slice(start, i);
        words.set(w, (words.get(w) ?? 0) + 1);
        start = i;
      }
    }
  }
  const charCounts = new Map<number, number>();
  let allChars = 0;
  for (const [w, c] of words) {
    for (const ch of w) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0x20 || cp === 0) continue;
      charCounts.set(cp, (charCounts.get(cp) ?? 0) + c);
      allChars += c;
    }
  }
  const required: [number, number][] = [];
  let acc = 0;
  for (const entry of [...charCounts].sort((a, b) => b[1] - a[1] || a[0] - b[0])) {
    if (acc / allChars >= coverage) break;
    acc += entry[1];
    required.push(entry);
  }
  return { spec, words, sentences: nSentences, tooLong, required };
}

/** spm's IsValidSentencePiece for the given options: length, ▁ only first, one script, digit rules. */
export function pieceValidator(options: CorpusOptions): (cps: readonly number[]) => boolean {
  const maxLen = options.maxPieceLength ?? 16;
  const splitScript = options.splitByUnicodeScript ?? true;
  const splitNumber = options.splitByNumber ?? true;
  const splitDigits = options.splitDigits ?? false;
  return (cps) => {
    if (cps.length === 0 || cps.length > maxLen) return false;
    let prev = -1;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i]!;
      if (c === 0x2581) {
        if (i > 0) return false; // ▁ only at the start of a piece
        continue;
      }
      if (c === 0x20 || c === 0) return false;
      let s = scriptOf(c);
      if (s === SCRIPT_INHERITED) s = prev;
      const num = isNumber(c);
      if (!splitNumber && num) s = -1;
      if (splitDigits && num && cps.length > 1) return false;
      if (splitScript && s !== -1 && prev !== -1 && prev !== s) return false;
      prev = s;
    }
    return true;
  };
}

/** The trainer-spec fields that record `options` in a model. */
export function specFields(options: CorpusOptions) {
  return {
    characterCoverage: options.characterCoverage ?? 0.9995,
    maxSentenceLength: options.maxSentenceLength ?? 4192,
    maxSentencepieceLength: options.maxPieceLength ?? 16,
    splitByUnicodeScript: options.splitByUnicodeScript ?? true,
    splitByNumber: options.splitByNumber ?? true,
    splitDigits: options.splitDigits ?? false,
  };
}
