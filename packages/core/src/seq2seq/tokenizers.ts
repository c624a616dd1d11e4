// Tokenizers a seq2seq model can use (one joint vocabulary for source and target), trained from the
// training pairs and stored inside the model's manifest.
import { CharTokenizer, Vocab, normalizeText, type Tokenizer, type VocabJSON, type CharTokenizerJSON } from '@parley/text';
import type { TokenizerConfig } from './config';

/** Whitespace-separated words; what Joey NMT's reverse toy task uses. */
export class WordTokenizer implements Tokenizer {
  constructor(
    readonly vocab: Vocab,
    readonly normalization: TokenizerConfig['normalization'] = 'NFC',
  ) {}
  get vocabSize(): number {
    return this.vocab.size;
  }
  static train(texts: Iterable<string>, vocabSize: number, normalization: TokenizerConfig['normalization'] = 'NFC'): WordTokenizer {
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of normalizeText(t, normalization).split(/\s+/)) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
    return new WordTokenizer(Vocab.fromCounts(counts, { maxSize: vocabSize }), normalization);
  }
  encode(text: string): number[] {
    return this.vocab.encode(normalizeText(text, this.normalization).split(/\s+/).filter(Boolean));
  }
  decode(ids: ArrayLike<number>): string {
    return Array.from(ids)
      .filter((i) => i > 3 || i === this.vocab.unk)
      .map((i) => this.vocab.token(i))
      .join(' ');
  }
}

/** The stored form of a tokenizer (in manifest.json under `tokenizer`). */
export type StoredTokenizer =
  | { type: 'word'; normalization: TokenizerConfig['normalization']; vocab: VocabJSON }
  | { type: 'char'; char: CharTokenizerJSON };

/** Trains the configured tokenizer on `texts` (source and target sentences together). */
export function trainTokenizer(cfg: TokenizerConfig, texts: string[]): Tokenizer {
  switch (cfg.type) {
    case 'word':
      return WordTokenizer.train(texts, cfg.vocabSize, cfg.normalization);
    case 'char':
      return CharTokenizer.train(texts, { maxSize: cfg.vocabSize });
    case 'bpe':
      throw new Error('tokenizer.type bpe: not available yet');
  }
}

export function storeTokenizer(tok: Tokenizer): StoredTokenizer {
  if (tok instanceof WordTokenizer) return { type: 'word', normalization: tok.normalization, vocab: tok.vocab.toJSON() };
  if (tok instanceof CharTokenizer) return { type: 'char', char: tok.toJSON() };
  throw new Error('storeTokenizer: unknown tokenizer');
}

export function restoreTokenizer(stored: StoredTokenizer, source: string): Tokenizer {
  switch (stored.type) {
    case 'word':
      return new WordTokenizer(Vocab.fromJSON(stored.vocab, source), stored.normalization);
    case 'char':
      return CharTokenizer.fromJSON(stored.char, source);
    default:
      throw new Error(`${source}: unknown tokenizer type ${JSON.stringify((stored as { type: unknown }).type)}`);
  }
}
