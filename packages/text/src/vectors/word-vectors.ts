// Word vectors in memory (one Float32Array, row i = words[i]) and on disk in the word2vec/GloVe text
// format: optional "COUNT DIM" header line (word2vec), then "word v1 … vDIM" per line (GloVe has no
// header). Reading streams the file, checks every line's dimension against the first (or the header),
// and reports bad lines as `file:line: problem`; writing goes to a temp file that is renamed into place.
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { CorpusError, readLines } from '../lines';

/** A table of word vectors. */
export class WordVectors {
  /** Row of each word. */
  readonly index: Map<string, number>;

  constructor(
    /** Words in row order (frequency order for word2vec/GloVe files). */
    readonly words: readonly string[],
    /** Dimensions per vector. */
    readonly dim: number,
    /** words.length × dim values, row-major. */
    readonly data: Float32Array,
    /** True when the vocabulary is lowercased (GloVe 6B): lookups lowercase their query. */
    readonly lowercase = false,
  ) {
    if (data.length !== words.length * dim)
      throw new Error(`${words.length} words × ${dim} dims needs ${words.length * dim} values, got ${data.length}`);
    this.index = new Map();
    words.forEach((w, i) => {
      if (!this.index.has(w)) this.index.set(w, i);
    });
  }

  get size(): number {
    return this.words.length;
  }

  /** The row of `word` (lowercased first when the vocabulary is), or undefined. */
  rowOf(word: string): number | undefined {
    return this.index.get(this.lowercase ? word.toLowerCase() : word);
  }

  /** The vector of `word` (a view into `data`), or undefined when it is not in the table. */
  vector(word: string): Float32Array | undefined {
    const i = this.rowOf(word);
    return i === undefined ? undefined : this.data.subarray(i * this.dim, (i + 1) * this.dim);
  }
}

export interface ReadVectorsOptions {
  /** Keep only the first `limit` vectors (the most frequent words in word2vec/GloVe files). */
  limit?: number;
  /** Keep only these words (e.g. a classifier's vocabulary); others are read, checked and dropped. */
  only?: ReadonlySet<string>;
  /** The dimension the caller needs; a file with another dimension is an error at its first vector. */
  dim?: number;
  /** Mark the table as lowercased (see WordVectors.lowercase). Default false. */
  lowercase?: boolean;
}

/** A growable Float32Array. */
class FloatBuffer {
  data = new Float32Array(1 << 16);
  length = 0;
  push(values: ArrayLike<number>): void {
    if (this.length + values.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.length + values.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(values, this.length);
    this.length += values.length;
  }
  take(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Reads a word2vec/GloVe text file. A first line of two integers is a word2vec header (the vector count
 * is checked at the end). Words may contain spaces (the last DIM fields are the numbers). A repeated
 * word keeps its first vector.
 */
export async function readWordVectors(file: string, options: ReadVectorsOptions = {}): Promise<WordVectors> {
  const words: string[] = [];
  const seen = new Set<string>();
  const values = new FloatBuffer();
  let dim = options.dim;
  let header: { count: number; line: number } | undefined;
  let vectors = 0;
  let row = new Float32Array(0);
  for await (const { line, text } of readLines(file)) {
    if (text.trim() === '') continue;
    const fields = text.trim().split(/[ \t]+/);
    if (line === 1 && fields.length === 2 && /^\d+$/.test(fields[0]!) && /^\d+$/.test(fields[1]!)) {
      const d = Number(fields[1]);
      if (dim !== undefined && d !== dim)
        throw new CorpusError(file, line, `header says ${d} dimensions, expected ${dim}`);
      dim = d;
      header = { count: Number(fields[0]), line };
      continue;
    }
    if (dim === undefined) dim = fields.length - 1;
    if (dim < 1 || fields.length < dim + 1) {
      const why = header ? ' (from the header)' : options.dim === undefined ? ' (from the first vector)' : '';
      throw new CorpusError(file, line, `${fields.length - 1} values after the word, expected ${dim}${why}`);
    }
    // more fields than a word and DIM numbers: a word with spaces, unless the extra field is a number
    if (fields.length > dim + 1 && !Number.isNaN(Number(fields[fields.length - dim - 1]))) {
      throw new CorpusError(file, line, `${fields.length - 1} values after the word, expected ${dim}`);
    }
    if (row.length !== dim) row = new Float32Array(dim);
    vectors++;
    const word = fields.slice(0, fields.length - dim).join(' ');
    for (let j = 0; j < dim; j++) {
      const s = fields[fields.length - dim + j]!;
      const v = Number(s);
      if (!Number.isFinite(v) || s === '')
        throw new CorpusError(
          file,
          line,
          `value ${j + 1} of ${JSON.stringify(word)} is not a number: ${JSON.stringify(s)}`,
        );
      row[j] = v;
    }
    if (seen.has(word) || (options.only && !options.only.has(word))) continue;
    seen.add(word);
    words.push(word);
    values.push(row);
    if (options.limit !== undefined && words.length >= options.limit) break;
  }
  if (dim === undefined) throw new Error(`${file}: no vectors in the file`);
  if (header && options.limit === undefined && vectors !== header.count) {
    throw new Error(`${file}: the header says ${header.count} vectors, the file has ${vectors} (truncated?)`);
  }
  return new WordVectors(words, dim, values.take(), options.lowercase ?? false);
}

/** Formats one value as word2vec.c does (`%lf`: six decimals). */
function formatValue(v: number): string {
  return v.toFixed(6);
}

/**
 * Writes `vectors` in the word2vec text format (header line, then one "word v1 … vDIM" line per word),
 * to `file.<pid>.tmp` first and then renamed over `file`, so a failure never leaves half a file.
 */
export async function writeWordVectors(file: string, vectors: WordVectors): Promise<void> {
  for (const w of vectors.words) {
    if (w === '' || /[\s]/.test(w))
      throw new Error(`cannot write the word ${JSON.stringify(w)}: empty or contains whitespace`);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  try {
    const write = async (s: string): Promise<void> => {
      if (!out.write(s)) await once(out, 'drain');
    };
    await write(`${vectors.size} ${vectors.dim}\n`);
    const { dim, data } = vectors;
    let chunk = '';
    for (let i = 0; i < vectors.size; i++) {
      const parts = [vectors.words[i]!];
      for (let j = 0; j < dim; j++) parts.push(formatValue(data[i * dim + j]!));
      chunk += parts.join(' ') + '\n';
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
    out.end();
    await once(out, 'close');
    renameSync(tmp, file);
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}
