// Pretrained embeddings from a word2vec/GloVe text file ("token v1 … vd" per line; a word2vec "count dim" header
// line is skipped). Rows of tokens found in the file replace the initial embedding rows; `freeze` keeps them fixed.
import * as tf from '@tensorflow/tfjs';
import { SentencePieceTokenizer, WordTokenizer, readWordVectors, type Tokenizer } from '@parley/text';

/** The surface string of id `i` that a word-vector file would list (SentencePiece's ▁ word marker removed). */
export function tokenString(tok: Tokenizer, i: number): string | undefined {
  if (tok instanceof WordTokenizer) return tok.vocab.token(i);
  if (tok instanceof SentencePieceTokenizer) return tok.model.pieces[i]?.piece.replace(/^\u2581/, '');
  return undefined;
}

/**
 * Reads the vectors of the tokenizer's tokens from `file` into `table` [vocab, dim]. Returns how many rows were
 * set. Errors name the file and line (wrong dimension, non-numbers).
 */
export async function loadPretrained(file: string, table: tf.Variable, tok: Tokenizer): Promise<number> {
  const [vocab, dim] = table.shape as [number, number];
  const tokens: (string | undefined)[] = [];
  for (let i = 0; i < vocab; i++) tokens.push(i < 4 ? undefined : tokenString(tok, i));
  const vectors = await readWordVectors(file, {
    dim,
    only: new Set(tokens.filter((t): t is string => t !== undefined)),
  });
  const values = table.arraySync() as number[][];
  let found = 0;
  tokens.forEach((t, i) => {
    const v = t === undefined ? undefined : vectors.vector(t);
    if (!v) return;
    values[i] = Array.from(v);
    found++;
  });
  table.assign(tf.tensor2d(values, [vocab, dim]));
  return found;
}
