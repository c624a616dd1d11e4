// Cosine nearest neighbours and analogies over word vectors, as gensim's KeyedVectors.most_similar:
// rows are normalized to unit length, the query is the (unit) sum of +/− unit vectors, and the query
// words themselves are never returned. `analogy(a, b, c)` is a − b + c (king − man + woman → queen).
import type { WordVectors } from './word-vectors';

const unitCache = new WeakMap<WordVectors, Float32Array>();

/** The table's rows scaled to unit length (zero rows stay zero); computed once per table. */
export function unitRows(v: WordVectors): Float32Array {
  let unit = unitCache.get(v);
  if (unit) return unit;
  unit = new Float32Array(v.data.length);
  for (let i = 0; i < v.size; i++) {
    let s = 0;
    for (let j = i * v.dim; j < (i + 1) * v.dim; j++) s += v.data[j]! * v.data[j]!;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = i * v.dim; j < (i + 1) * v.dim; j++) unit[j] = v.data[j]! * inv;
  }
  unitCache.set(v, unit);
  return unit;
}

export interface Neighbour {
  word: string;
  /** Cosine similarity to the query. */
  similarity: number;
}

function rowOrThrow(v: WordVectors, word: string): number {
  const i = v.rowOf(word);
  if (i === undefined) throw new Error(`"${word}" is not in the vocabulary (${v.size.toLocaleString('en')} words)`);
  return i;
}

/**
 * The `top` words most similar to `positive` minus `negative` (gensim most_similar), excluding the
 * query words. Throws when a query word is not in the table.
 */
export function mostSimilar(
  v: WordVectors,
  positive: readonly string[],
  negative: readonly string[] = [],
  top = 10,
): Neighbour[] {
  if (positive.length + negative.length === 0) throw new Error('mostSimilar needs at least one word');
  const unit = unitRows(v);
  const { dim } = v;
  const query = new Float32Array(dim);
  const exclude = new Set<number>();
  for (const [words, sign] of [
    [positive, 1],
    [negative, -1],
  ] as const) {
    for (const w of words) {
      const i = rowOrThrow(v, w);
      exclude.add(i);
      for (let j = 0; j < dim; j++) query[j]! += sign * unit[i * dim + j]!;
    }
  }
  let norm = 0;
  for (let j = 0; j < dim; j++) norm += query[j]! * query[j]!;
  norm = Math.sqrt(norm) || 1;
  for (let j = 0; j < dim; j++) query[j]! /= norm;
  // keep the best `top` in a small sorted list
  const best: Neighbour[] = [];
  for (let i = 0; i < v.size; i++) {
    if (exclude.has(i)) continue;
    let s = 0;
    const o = i * dim;
    for (let j = 0; j < dim; j++) s += unit[o + j]! * query[j]!;
    if (best.length < top || s > best[best.length - 1]!.similarity) {
      let k = best.length;
      while (k > 0 && best[k - 1]!.similarity < s) k--;
      best.splice(k, 0, { word: v.words[i]!, similarity: s });
      if (best.length > top) best.pop();
    }
  }
  return best;
}

/** The `top` nearest neighbours of `word` by cosine similarity. */
export function nearestWords(v: WordVectors, word: string, top = 10): Neighbour[] {
  return mostSimilar(v, [word], [], top);
}

/** a − b + c: `analogy(v, 'king', 'man', 'woman')` → queen first. */
export function analogy(v: WordVectors, a: string, b: string, c: string, top = 10): Neighbour[] {
  return mostSimilar(v, [a, c], [b], top);
}
