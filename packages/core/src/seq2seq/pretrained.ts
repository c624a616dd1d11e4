// Pretrained embeddings from a word2vec/GloVe text file ("token v1 … vd" per line; a word2vec "count dim" header
// line is skipped). Rows of tokens found in the file replace the initial embedding rows; `freeze` keeps them fixed.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { SentencePieceTokenizer, type Tokenizer } from '@parley/text';
import { WordTokenizer } from './tokenizers';

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
export function loadPretrained(file: string, table: tf.Variable, tok: Tokenizer): number {
  const [vocab, dim] = table.shape as [number, number];
  const wanted = new Map<string, number[]>();
  for (let i = 4; i < vocab; i++) {
    const s = tokenString(tok, i);
    if (s) wanted.set(s, [...(wanted.get(s) ?? []), i]);
  }
  const values = table.arraySync() as number[][];
  let found = 0;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, n) => {
    const f = line.trimEnd().split(' ');
    if (f.length <= 2) return; // blank line or word2vec header
    const ids = wanted.get(f[0]!);
    if (!ids) return;
    if (f.length - 1 !== dim) throw new Error(`${file}:${n + 1}: vector of ${f.length - 1} values, the embedding has ${dim}`);
    const v = f.slice(1).map(Number);
    if (v.some((x) => !Number.isFinite(x))) throw new Error(`${file}:${n + 1}: not a number in the vector of ${JSON.stringify(f[0])}`);
    for (const i of ids) values[i] = v;
    found += ids.length;
    wanted.delete(f[0]!);
  });
  table.assign(tf.tensor2d(values, [vocab, dim]));
  return found;
}
