// Tokenizers a seq2seq model can use (one joint vocabulary for source and target), trained from the
// training pairs and stored inside the model's manifest. The tokenizers themselves are @parley/text's: words
// (whitespace-separated, as Joey NMT's reverse toy task; WordTokenizer with `standardize: 'none'`), characters
// and SentencePiece BPE.
import { copyFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  CharTokenizer,
  SentencePieceTokenizer,
  Vocab,
  WordTokenizer,
  encodeModel,
  trainBpe,
  writeFileAtomic,
  type CharTokenizerJSON,
  type Standardize,
  type Tokenizer,
  type VocabJSON,
} from '@parley/text';
import type { TokenizerConfig } from './config';

/** The stored form of a tokenizer (in manifest.json under `tokenizer`). */
export type StoredTokenizer =
  | {
      type: 'word';
      normalization: TokenizerConfig['normalization'];
      /** Standardization before splitting; absent means 'none' (what seq2seq configs train). */
      standardize?: Standardize;
      vocab: VocabJSON;
    }
  | { type: 'char'; char: CharTokenizerJSON }
  /** A SentencePiece BPE `.model` file beside manifest.json. */
  | { type: 'sentencepiece'; file: string };

/** File name of a SentencePiece model inside a model directory. */
export const SPM_FILE = 'tokenizer.model';

/**
 * Trains the configured tokenizer on `texts` (source and target sentences together). A BPE model is
 * written to `dir/tokenizer.model` (SentencePiece format, so spm_encode segments the same way).
 */
export async function trainTokenizer(cfg: TokenizerConfig, texts: string[], dir: string): Promise<Tokenizer> {
  switch (cfg.type) {
    case 'word':
      return WordTokenizer.train(texts, {
        maxTokens: cfg.vocabSize,
        standardize: 'none',
        normalization: cfg.normalization,
      });
    case 'char':
      return CharTokenizer.train(texts, { maxSize: cfg.vocabSize });
    case 'bpe': {
      const r = trainBpe(texts, {
        vocabSize: cfg.vocabSize,
        normalization: cfg.normalization === 'none' ? 'identity' : 'nmt_nfkc',
      });
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, SPM_FILE), encodeModel(r.model));
      return SentencePieceTokenizer.load(join(dir, SPM_FILE));
    }
  }
}

/**
 * The stored form of `tok` for a model written to `dir` (a SentencePiece model file is copied there).
 */
export function storeTokenizer(tok: Tokenizer, dir: string): StoredTokenizer {
  if (tok instanceof SentencePieceTokenizer) {
    const target = join(dir, SPM_FILE);
    if (resolve(tok.path) !== resolve(target)) {
      mkdirSync(dir, { recursive: true });
      copyFileSync(tok.path, target);
    }
    return { type: 'sentencepiece', file: basename(target) };
  }
  if (tok instanceof WordTokenizer) {
    if (tok.normalization !== 'NFC' && tok.normalization !== 'NFKC' && tok.normalization !== 'none')
      throw new Error(
        `storeTokenizer: a seq2seq word tokenizer normalizes with NFC, NFKC or none, not ${tok.normalization}`,
      );
    return {
      type: 'word',
      normalization: tok.normalization,
      ...(tok.mode !== 'none' ? { standardize: tok.mode } : {}),
      vocab: tok.vocab.toJSON(),
    };
  }
  if (tok instanceof CharTokenizer) return { type: 'char', char: tok.toJSON() };
  throw new Error('storeTokenizer: unknown tokenizer');
}

/** Rebuilds a stored tokenizer; `dir` is the model directory, `source` names the manifest in errors. */
export async function restoreTokenizer(stored: StoredTokenizer, dir: string, source: string): Promise<Tokenizer> {
  switch (stored.type) {
    case 'sentencepiece':
      return SentencePieceTokenizer.load(join(dir, stored.file));
    case 'word':
      return new WordTokenizer(
        Vocab.fromJSON(stored.vocab, source),
        stored.standardize ?? 'none',
        stored.normalization,
      );
    case 'char':
      return CharTokenizer.fromJSON(stored.char, source);
    default:
      throw new Error(`${source}: unknown tokenizer type ${JSON.stringify((stored as { type: unknown }).type)}`);
  }
}
