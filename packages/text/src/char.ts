// Character tokenizer: one id per Unicode code point (not UTF-16 unit), rare characters map to unk.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic';
import type { NormalizationForm, Tokenizer } from './tokenizer';
import { UNK_TEXT, normalizeText } from './tokenizer';
import type { VocabJSON } from './vocab';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocab } from './vocab';

export const CHAR_TOKENIZER_FORMAT = 'parley-char-tokenizer';
export const CHAR_TOKENIZER_VERSION = 1;

/** Options for `CharTokenizer.train`. */
export interface CharTrainOptions {
  /** Unicode normalization applied before counting and encoding. Default 'none'. */
  normalize?: NormalizationForm;
  /** Characters seen fewer times than this map to unk. Default 1. */
  minCount?: number;
  /** Largest vocabulary size (reserved ids included); the most frequent characters are kept. */
  maxSize?: number;
}

/** The saved form of a `CharTokenizer`. */
export interface CharTokenizerJSON {
  format: typeof CHAR_TOKENIZER_FORMAT;
  version: number;
  normalize: NormalizationForm;
  vocab: VocabJSON;
}

/** Splits text into code points. Lossless (decode(encode(x)) === x) for text whose characters are all in the vocabulary. */
export class CharTokenizer implements Tokenizer {
  constructor(
    /** Character ↔ id mapping. */
    readonly vocab: Vocab,
    /** Normalization applied by `encode`. */
    readonly normalize: NormalizationForm = 'none',
  ) {}

  /** Counts the characters of `texts` and keeps those seen at least `minCount` times. */
  static train(texts: Iterable<string>, options: CharTrainOptions = {}): CharTokenizer {
    const form = options.normalize ?? 'none';
    const counts = new Map<string, number>();
    for (const text of texts) for (const ch of normalizeText(text, form)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    return new CharTokenizer(Vocab.fromCounts(counts, options), form);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    for (const ch of normalizeText(text, this.normalize)) out.push(this.vocab.id(ch));
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === PAD_ID || id === BOS_ID || id === EOS_ID) continue;
      s += id === UNK_ID ? UNK_TEXT : this.vocab.token(id);
    }
    return s;
  }

  toJSON(): CharTokenizerJSON {
    return {
      format: CHAR_TOKENIZER_FORMAT,
      version: CHAR_TOKENIZER_VERSION,
      normalize: this.normalize,
      vocab: this.vocab.toJSON(),
    };
  }

  static fromJSON(json: unknown, source = 'char tokenizer'): CharTokenizer {
    const j = json as Partial<CharTokenizerJSON> | null;
    if (!j || j.format !== CHAR_TOKENIZER_FORMAT) throw new Error(`${source}: not a ${CHAR_TOKENIZER_FORMAT} file`);
    if (typeof j.version !== 'number' || j.version > CHAR_TOKENIZER_VERSION)
      throw new Error(`${source}: ${CHAR_TOKENIZER_FORMAT} version ${String(j.version)} is not supported`);
    const forms: NormalizationForm[] = ['NFC', 'NFD', 'NFKC', 'NFKD', 'none'];
    if (!forms.includes(j.normalize as NormalizationForm))
      throw new Error(`${source}: unknown normalize ${String(j.normalize)}`);
    return new CharTokenizer(Vocab.fromJSON(j.vocab, source), j.normalize as NormalizationForm);
  }

  /** Writes the tokenizer as versioned JSON (atomically). */
  save(path: string): void {
    writeFileAtomic(path, JSON.stringify(this.toJSON()) + '\n');
  }

  static load(path: string): CharTokenizer {
    return CharTokenizer.fromJSON(JSON.parse(readFileSync(path, 'utf8')), path);
  }
}
