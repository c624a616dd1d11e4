// Multinomial naive Bayes on TF-IDF vectors, as scikit-learn's MultinomialNB (fit with sample weights, additive
// smoothing α, class priors from the weighted counts). Multi-label data get one binary NB per label (one-vs-rest,
// as scikit-learn's OneVsRestClassifier), each giving P(label) on its own.
import type { SparseVector } from './tfidf';

/** A fitted NB: `rows` scored classes, each with a log prior and per-feature log probabilities. */
export class NaiveBayes {
  constructor(
    /** log P(class) per row. */
    readonly classLogPrior: Float64Array,
    /** log P(feature | class), row-major [rows, features]. */
    readonly featureLogProb: Float32Array,
    readonly features: number,
    /** True: rows come in (not-label, label) pairs, one pair per label. */
    readonly oneVsRest: boolean,
  ) {}

  /**
   * Fits on TF-IDF vectors. `targets[i]` lists example i's classes (one for single-label); `weights[i]` is its
   * sample weight (class weights), default 1.
   */
  static fit(
    x: readonly SparseVector[],
    targets: readonly number[][],
    classes: number,
    features: number,
    o: { alpha: number; multiLabel: boolean; weights?: readonly number[] },
  ): NaiveBayes {
    const rows = o.multiLabel ? 2 * classes : classes;
    const counts = new Float64Array(rows * features);
    const classCount = new Float64Array(rows);
    const total = new Float64Array(features);
    let totalWeight = 0;
    const add = (row: number, v: SparseVector, w: number) => {
      classCount[row]! += w;
      for (let k = 0; k < v.ids.length; k++) counts[row * features + v.ids[k]!]! += w * v.values[k]!;
    };
    x.forEach((v, i) => {
      const w = o.weights?.[i] ?? 1;
      if (o.multiLabel) {
        totalWeight += w;
        for (let k = 0; k < v.ids.length; k++) total[v.ids[k]!]! += w * v.values[k]!;
        for (const c of targets[i]!) add(2 * c + 1, v, w);
      } else add(targets[i]![0]!, v, w);
    });
    if (o.multiLabel) {
      // The "not label" row of each pair: everything minus the label's own counts.
      for (let c = 0; c < classes; c++) {
        classCount[2 * c] = totalWeight - classCount[2 * c + 1]!;
        for (let f = 0; f < features; f++)
          counts[2 * c * features + f] = total[f]! - counts[(2 * c + 1) * features + f]!;
      }
    }
    const flp = new Float32Array(rows * features);
    const prior = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let f = 0; f < features; f++) sum += counts[r * features + f]!;
      const denom = Math.log(sum + o.alpha * features);
      for (let f = 0; f < features; f++) flp[r * features + f] = Math.log(counts[r * features + f]! + o.alpha) - denom;
      const group = o.multiLabel
        ? classCount[r - (r % 2)]! + classCount[r - (r % 2) + 1]!
        : classCount.reduce((a, b) => a + b, 0);
      prior[r] = Math.log(classCount[r]! / group);
    }
    return new NaiveBayes(prior, flp, features, o.multiLabel);
  }

  /** Number of output probabilities (classes or labels). */
  get outputs(): number {
    return this.oneVsRest ? this.classLogPrior.length / 2 : this.classLogPrior.length;
  }

  /** Joint log-likelihood of each row for one vector. */
  private jll(v: SparseVector): Float64Array {
    const out = Float64Array.from(this.classLogPrior);
    for (let r = 0; r < out.length; r++) {
      const base = r * this.features;
      let s = out[r]!;
      for (let k = 0; k < v.ids.length; k++) s += v.values[k]! * this.featureLogProb[base + v.ids[k]!]!;
      out[r] = s;
    }
    return out;
  }

  /** Class probabilities (softmax of the joint log-likelihoods), or per-label probabilities when one-vs-rest. */
  predictProba(v: SparseVector): Float64Array {
    const j = this.jll(v);
    if (this.oneVsRest) {
      const out = new Float64Array(j.length / 2);
      for (let c = 0; c < out.length; c++) out[c] = 1 / (1 + Math.exp(j[2 * c]! - j[2 * c + 1]!));
      return out;
    }
    const max = Math.max(...j);
    let sum = 0;
    for (let r = 0; r < j.length; r++) sum += j[r] = Math.exp(j[r]! - max);
    for (let r = 0; r < j.length; r++) j[r]! /= sum;
    return j;
  }
}
