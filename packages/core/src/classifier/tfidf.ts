// TF-IDF features as scikit-learn's TfidfVectorizer computes them (defaults: smooth_idf, l2 norm): the `word`
// analyzer's token pattern \b\w\w+\b, `char` and `char_wb` n-grams, sublinear tf, min_df. The naive Bayes baseline
// ("model 0" of the course) runs on these sparse vectors with no tfjs.

/** How texts become n-grams (scikit-learn's analyzer, ngram_range, lowercase). */
export interface AnalyzerOptions {
  analyzer: 'word' | 'char' | 'char_wb';
  ngrams: [number, number];
  lowercase: boolean;
}

/** A sparse vector: feature ids (ascending) and their values. */
export interface SparseVector {
  ids: Int32Array;
  values: Float64Array;
}

/** Python's \w: letters, numbers and the underscore; a token is a run of two or more. */
const WORD_TOKEN = /[\p{L}\p{N}_]{2,}/gu;
const WHITE_SPACES = /\s\s+/g;

/** The n-grams of one text, with repeats, in scikit-learn's order. */
export function analyze(text: string, o: AnalyzerOptions): string[] {
  if (o.lowercase) text = text.toLowerCase();
  const [lo, hi] = o.ngrams;
  const out: string[] = [];
  if (o.analyzer === 'word') {
    const tokens = text.match(WORD_TOKEN) ?? [];
    for (let n = lo; n <= hi; n++)
      for (let i = 0; i + n <= tokens.length; i++) out.push(n === 1 ? tokens[i]! : tokens.slice(i, i + n).join(' '));
    return out;
  }
  const normalized = text.replace(WHITE_SPACES, ' ');
  if (o.analyzer === 'char') {
    const cps = Array.from(normalized);
    for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= cps.length; i++) out.push(cps.slice(i, i + n).join(''));
    return out;
  }
  for (const word of normalized.split(/\s+/).filter(Boolean)) {
    const w = Array.from(` ${word} `);
    for (let n = lo; n <= hi; n++) {
      let offset = 0;
      out.push(w.slice(0, n).join(''));
      while (offset + n < w.length) {
        offset++;
        out.push(w.slice(offset, offset + n).join(''));
      }
      if (offset === 0) break; // a word shorter than n is counted once
    }
  }
  return out;
}

/** The stored form of a fitted vectorizer. */
export interface TfidfJSON {
  analyzer: AnalyzerOptions;
  sublinearTf: boolean;
  /** Feature strings; a feature's id is its index. */
  terms: string[];
  /** idf of each feature: ln((1 + n) / (1 + df)) + 1. */
  idf: number[];
}

/** A fitted TF-IDF vectorizer. */
export class Tfidf {
  private readonly index: Map<string, number>;

  constructor(
    readonly analyzer: AnalyzerOptions,
    readonly sublinearTf: boolean,
    readonly terms: readonly string[],
    readonly idf: Float64Array,
  ) {
    this.index = new Map(terms.map((t, i) => [t, i]));
  }

  /** Learns the vocabulary (n-grams in at least `minDf` texts, sorted as scikit-learn does) and idf weights. */
  static fit(texts: readonly string[], o: AnalyzerOptions & { sublinearTf: boolean; minDf: number }): Tfidf {
    const df = new Map<string, number>();
    for (const t of texts) for (const g of new Set(analyze(t, o))) df.set(g, (df.get(g) ?? 0) + 1);
    const terms = [...df]
      .filter(([, n]) => n >= o.minDf)
      .map(([g]) => g)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const n = texts.length;
    const idf = Float64Array.from(terms, (g) => Math.log((1 + n) / (1 + df.get(g)!)) + 1);
    return new Tfidf({ analyzer: o.analyzer, ngrams: o.ngrams, lowercase: o.lowercase }, o.sublinearTf, terms, idf);
  }

  get size(): number {
    return this.terms.length;
  }

  /** The feature id of an n-gram, or undefined when it is not in the vocabulary. */
  featureId(term: string): number | undefined {
    return this.index.get(term);
  }

  /** The L2-normalised TF-IDF vector of `text` (n-grams outside the vocabulary are ignored). */
  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const g of analyze(text, this.analyzer)) {
      const id = this.index.get(g);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const ids = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const values = Float64Array.from(ids, (id) => {
      const tf = counts.get(id)!;
      return (this.sublinearTf ? 1 + Math.log(tf) : tf) * this.idf[id]!;
    });
    let norm = 0;
    for (const v of values) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < values.length; i++) values[i]! /= norm;
    return { ids, values };
  }

  toJSON(): TfidfJSON {
    return {
      analyzer: this.analyzer,
      sublinearTf: this.sublinearTf,
      terms: [...this.terms],
      idf: Array.from(this.idf),
    };
  }

  static fromJSON(j: TfidfJSON, source: string): Tfidf {
    if (!j || !Array.isArray(j.terms) || !Array.isArray(j.idf) || j.terms.length !== j.idf.length)
      throw new Error(`${source}: the TF-IDF vocabulary and idf lists are missing or of different lengths`);
    return new Tfidf(j.analyzer, j.sublinearTf, j.terms, Float64Array.from(j.idf));
  }
}
