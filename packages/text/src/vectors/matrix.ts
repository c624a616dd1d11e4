// The embedding matrix for a model's vocabulary from pretrained vectors: row i is the vector of token i
// when the table has it (tried as is, then lowercased), else a seeded random (or zero) row. Reports the
// out-of-vocabulary share, by token type and — given counts — by running tokens, since a classifier
// with 30% OOV types may still cover 98% of its text.
import { seededRandom } from '@parley/engine';
import type { WordVectors } from './word-vectors';

export interface EmbeddingMatrixOptions {
  /** Rows for tokens without a vector: 'uniform' in ±scale (Keras's default embedding init) or 'zeros'. Default 'uniform'. */
  init?: 'uniform' | 'zeros';
  /** Half-width of the uniform init. Default 0.05. */
  scale?: number;
  /** Seed of the uniform init. Default 1. */
  seed?: number;
  /** Occurrences of each token in the training text (same order as the vocabulary), for `oovTokenShare`. */
  counts?: readonly number[];
}

export interface EmbeddingMatrix {
  /** vocabulary × dim, row-major. */
  matrix: Float32Array;
  dim: number;
  /** Vocabulary entries that got a pretrained vector. */
  found: number;
  /** Entries looked up (the vocabulary minus `undefined` entries, i.e. reserved ids). */
  lookedUp: number;
  /** Looked-up entries without a vector. */
  oov: string[];
  /** oov.length / lookedUp (0 when nothing was looked up). */
  oovShare: number;
  /** Share of running tokens (weighted by `counts`) without a vector; undefined without counts. */
  oovTokenShare?: number;
}

/** The row embeddingMatrix gives a vocabulary token: the token as written, else lowercased (undefined: none). */
export function embeddingRow(vectors: WordVectors, token: string): number | undefined {
  return vectors.index.get(token) ?? vectors.index.get(token.toLowerCase());
}

/**
 * Builds the embedding matrix of `vocab` (index = token id; `undefined` for reserved ids such as
 * padding and unk, which keep their init row — zeros for padding are the caller's choice).
 */
export function embeddingMatrix(
  vectors: WordVectors,
  vocab: readonly (string | undefined)[],
  options: EmbeddingMatrixOptions = {},
): EmbeddingMatrix {
  const { dim } = vectors;
  const matrix = new Float32Array(vocab.length * dim);
  if ((options.init ?? 'uniform') === 'uniform') {
    const scale = options.scale ?? 0.05;
    const rand = seededRandom(options.seed ?? 1);
    for (let i = 0; i < matrix.length; i++) matrix[i] = (rand() * 2 - 1) * scale;
  }
  const oov: string[] = [];
  let found = 0;
  let lookedUp = 0;
  let oovCount = 0;
  let total = 0;
  vocab.forEach((token, id) => {
    if (token === undefined) return;
    lookedUp++;
    const count = options.counts?.[id] ?? 0;
    total += count;
    const row = embeddingRow(vectors, token);
    if (row === undefined) {
      oov.push(token);
      oovCount += count;
      return;
    }
    matrix.set(vectors.data.subarray(row * dim, (row + 1) * dim), id * dim);
    found++;
  });
  return {
    matrix,
    dim,
    found,
    lookedUp,
    oov,
    oovShare: lookedUp ? oov.length / lookedUp : 0,
    oovTokenShare: options.counts ? (total ? oovCount / total : 0) : undefined,
  };
}
