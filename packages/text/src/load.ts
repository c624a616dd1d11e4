// Loads any tokenizer file Parley writes or reads: a SentencePiece `.model`, or a char/word tokenizer JSON.
import { errorMessage } from '@parley/engine/errors';
import { readFileSync } from 'node:fs';
import { CHAR_TOKENIZER_FORMAT, CharTokenizer } from './char';
import { SentencePieceTokenizer } from './sentencepiece';
import type { Tokenizer } from './tokenizer';
import { WORD_TOKENIZER_FORMAT, WordTokenizer } from './word';

/** A tokenizer that can also show its pieces (subwords, characters or words). */
export interface PieceTokenizer extends Tokenizer {
  /** The pieces `encode` would give ids for. */
  encodePieces(text: string): string[];
  /** Text from pieces. */
  decodePieces(pieces: readonly string[]): string;
}

/** Loads `path`: JSON files by their "format" field, anything else as a SentencePiece model. */
export async function loadTokenizer(path: string): Promise<PieceTokenizer> {
  const head = readFileSync(path).subarray(0, 1).toString();
  if (head !== '{') return SentencePieceTokenizer.load(path);
  let json: { format?: unknown };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown };
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${errorMessage(e)})`);
  }
  if (json.format === CHAR_TOKENIZER_FORMAT) {
    const t = CharTokenizer.fromJSON(json, path);
    return Object.assign(t, {
      encodePieces: (text: string) => t.encode(text).map((id) => t.vocab.token(id)),
      decodePieces: (pieces: readonly string[]) => t.decode(t.vocab.encode(pieces)),
    });
  }
  if (json.format === WORD_TOKENIZER_FORMAT) {
    const t = WordTokenizer.fromJSON(json, path);
    return Object.assign(t, {
      encodePieces: (text: string) => t.tokenize(text).map((w) => (t.vocab.has(w) ? w : '<unk>')),
      decodePieces: (pieces: readonly string[]) => t.decode(t.vocab.encode(pieces)),
    });
  }
  throw new Error(`${path}: unknown tokenizer format ${JSON.stringify(json.format)}`);
}
