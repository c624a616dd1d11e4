// The one word tokenizer, modelled on Keras TextVectorization: (Unicode-normalize,) standardize, split on
// whitespace, look up in a vocabulary built from the most frequent words. Classifiers use it with Keras's
// standardization; seq2seq models (Joey NMT's reverse task) with `standardize: 'none'` and NFC normalization.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic';
import type { NormalizationForm, Tokenizer } from './tokenizer';
import { normalizeText, UNK_TEXT } from './tokenizer';
import type { VocabJSON } from './vocab';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocab } from './vocab';

export const WORD_TOKENIZER_FORMAT = 'parley-word-tokenizer';
export const WORD_TOKENIZER_VERSION = 1;

/**
 * Keras TextVectorization's `standardize` modes. `lower_and_strip_punctuation` (Keras's default) lowercases and
 * removes the ASCII punctuation ``!"#$%&()*+,-./:;<=>?@[\]^_`{|}~'``; `lower` and `strip_punctuation` do one of
 * the two; `none` keeps text as is. Unlike Keras (whose `tf.strings.lower` only changes ASCII letters) lowercasing
 * here is Unicode-aware, so "AÇÃO" becomes "ação". One mode is not Keras's: `lower_and_split_punctuation` tokenizes
 * as GloVe's and word2vec's training text was (Penn Treebank style), so pretrained vectors cover the words: lowercase,
 * accents removed ("clichés" → "cliches"), every punctuation mark its own token, and English clitics split off
 * ("doesn't" → "does n't", "it's" → "it 's", "can't" → "ca n't"). Keras's default instead glues "doesn't" into
 * "doesnt" and "writer-director" into "writerdirector", words no pretrained vector file has.
 */
export const STANDARDIZE_MODES = [
  'lower_and_strip_punctuation',
  'lower',
  'strip_punctuation',
  'none',
  'lower_and_split_punctuation',
] as const;
export type Standardize = (typeof STANDARDIZE_MODES)[number];

/** Keras's DEFAULT_STRIP_REGEX. */
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;

/** Clitics that stay one token after `lower_and_split_punctuation` splits them off their word. */
const CLITICS = new Set(["n't", "'s", "'re", "'ve", "'d", "'ll", "'m"]);
/** A clitic ending a word (`doesn't`, `it's`): the word's last letter or digit, then the clitic. */
const CLITIC_AFTER_WORD = new RegExp(`([\\p{L}\\p{N}])(${[...CLITICS].join('|')})(?![\\p{L}\\p{N}])`, 'gu');

/** `lower_and_split_punctuation`: see STANDARDIZE_MODES. */
function splitPunctuation(text: string): string {
  const spaced = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(CLITIC_AFTER_WORD, '$1 $2')
    // Punctuation other than apostrophes, except between digits ("3.14", "1,000")
    .replace(/(?<!\p{N})[^\p{L}\p{N}\s']|[^\p{L}\p{N}\s'](?!\p{N})/gu, ' $& ');
  // Apostrophes that do not start a clitic (quotes, "writers'") become tokens of their own.
  return splitWhitespace(spaced)
    .flatMap((w) => (CLITICS.has(w) ? [w] : splitWhitespace(w.replace(/'/g, " ' "))))
    .join(' ');
}

/** Applies a standardize mode. */
export function standardize(text: string, mode: Standardize): string {
  if (mode === 'lower_and_split_punctuation') return splitPunctuation(text);
  if (mode === 'lower' || mode === 'lower_and_strip_punctuation') text = text.toLowerCase();
  if (mode === 'strip_punctuation' || mode === 'lower_and_strip_punctuation') text = text.replace(PUNCTUATION, '');
  return text;
}

/** Splits on runs of whitespace (Keras's `split="whitespace"`); no empty tokens. */
export function splitWhitespace(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** Options for `WordTokenizer.train`. */
export interface WordTrainOptions {
  /** Standardization before splitting. Default 'lower_and_strip_punctuation' (as Keras). */
  standardize?: Standardize;
  /** Largest vocabulary size, the 4 reserved ids included (Keras's `max_tokens`). Default unlimited. */
  maxTokens?: number;
  /** Words seen fewer times than this map to unk. Default 1. */
  minFrequency?: number;
  /** Unicode normalization applied before standardization. Default 'none'. */
  normalization?: NormalizationForm;
}

/** The saved form of a `WordTokenizer`. */
export interface WordTokenizerJSON {
  format: typeof WORD_TOKENIZER_FORMAT;
  version: number;
  standardize: Standardize;
  /** Unicode normalization before standardization; absent means 'none' (files written before it existed). */
  normalization?: NormalizationForm;
  vocab: VocabJSON;
}

/**
 * Words as tokens. `decode` joins words with single spaces, so decode(encode(x)) === x exactly when x is already
 * standardized, single-spaced and every word is in the vocabulary.
 */
export class WordTokenizer implements Tokenizer {
  constructor(
    /** Word ↔ id mapping. */
    readonly vocab: Vocab,
    /** Standardization applied by `encode`. */
    readonly mode: Standardize = 'lower_and_strip_punctuation',
    /** Unicode normalization applied by `encode` before standardization. */
    readonly normalization: NormalizationForm = 'none',
  ) {}

  /** Counts words of `texts` and keeps the most frequent (ties in code-point order). */
  static train(texts: Iterable<string>, options: WordTrainOptions = {}): WordTokenizer {
    const mode = options.standardize ?? 'lower_and_strip_punctuation';
    const untrained = new WordTokenizer(new Vocab([]), mode, options.normalization);
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of untrained.tokenize(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    return new WordTokenizer(
      Vocab.fromCounts(counts, { minCount: options.minFrequency, maxSize: options.maxTokens }),
      mode,
      options.normalization,
    );
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  /** The words `encode` would look up. */
  tokenize(text: string): string[] {
    return splitWhitespace(standardize(normalizeText(text, this.normalization), this.mode));
  }

  encode(text: string): number[] {
    return this.vocab.encode(this.tokenize(text));
  }

  decode(ids: ArrayLike<number>): string {
    const words: string[] = [];
    for (const id of Array.from(ids)) {
      if (id === PAD_ID || id === BOS_ID || id === EOS_ID) continue;
      words.push(id === UNK_ID ? UNK_TEXT : this.vocab.token(id));
    }
    return words.join(' ');
  }

  toJSON(): WordTokenizerJSON {
    return {
      format: WORD_TOKENIZER_FORMAT,
      version: WORD_TOKENIZER_VERSION,
      standardize: this.mode,
      ...(this.normalization !== 'none' ? { normalization: this.normalization } : {}),
      vocab: this.vocab.toJSON(),
    };
  }

  static fromJSON(json: unknown, source = 'word tokenizer'): WordTokenizer {
    const j = json as Partial<WordTokenizerJSON> | null;
    if (!j || j.format !== WORD_TOKENIZER_FORMAT) throw new Error(`${source}: not a ${WORD_TOKENIZER_FORMAT} file`);
    if (typeof j.version !== 'number' || j.version > WORD_TOKENIZER_VERSION)
      throw new Error(`${source}: ${WORD_TOKENIZER_FORMAT} version ${String(j.version)} is not supported`);
    if (!(STANDARDIZE_MODES as readonly unknown[]).includes(j.standardize))
      throw new Error(`${source}: unknown standardize ${String(j.standardize)}`);
    const forms: unknown[] = ['NFC', 'NFD', 'NFKC', 'NFKD', 'none'];
    if (j.normalization !== undefined && !forms.includes(j.normalization))
      throw new Error(`${source}: unknown normalization ${String(j.normalization)}`);
    return new WordTokenizer(Vocab.fromJSON(j.vocab, source), j.standardize as Standardize, j.normalization);
  }

  /** Writes the tokenizer as versioned JSON (atomically). */
  save(path: string): void {
    writeFileAtomic(path, JSON.stringify(this.toJSON()) + '\n');
  }

  static load(path: string): WordTokenizer {
    return WordTokenizer.fromJSON(JSON.parse(readFileSync(path, 'utf8')), path);
  }
}
