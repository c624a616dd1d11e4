// Linear classifiers on sparse TF-IDF vectors, trained in plain TypeScript (no tfjs), as scikit-learn fits them:
//   hinge / squared_hinge: L2-regularised linear SVM by dual coordinate descent (Hsieh et al. 2008), liblinear's
//     solver behind LinearSVC, with its shrinking, stopping rule (projected-gradient spread ≤ tol) and a bias
//     feature of value 1 that is regularised like the other weights (intercept_scaling = 1);
//   logistic: L2-regularised logistic regression, ½‖w‖² + C Σ log(1 + e^(−y·(w·x + b))), minimised by L-BFGS
//     with an unregularised intercept, as LogisticRegression(solver='lbfgs') for a binary task.
// Class weights scale C per example (liblinear's and scikit-learn's class_weight). Two classes get one weight
// vector (class 1 positive); more classes and multi-label data get one per class (one-vs-rest).
import { seededRandom } from '@parley/text';
import type { SparseVector } from './tfidf';

/** How a linear model is fitted. */
export interface LinearFitOptions {
  /** `hinge` (L1-loss SVM), `squared_hinge` (L2-loss SVM, LinearSVC's default) or `logistic`. */
  loss: LinearLoss;
  /** Inverse regularisation strength (scikit-learn's C). */
  C: number;
  /** Stopping tolerance: SVMs stop when the projected gradients span ≤ tol, logistic when ‖∇‖∞ ≤ tol. */
  tol: number;
  /** Passes (SVM) or L-BFGS iterations (logistic) at most. */
  maxIter: number;
  /** One independent binary model per label. */
  multiLabel: boolean;
  /** Per-example weights (class weights), multiplying C; default 1. */
  weights?: readonly number[];
  /** Seed of the coordinate order (SVM). */
  seed: number;
}

export type LinearLoss = 'hinge' | 'squared_hinge' | 'logistic';

/** A fitted linear model: `rows` weight vectors over `features` features, each followed by its bias. */
export class LinearModel {
  constructor(
    /** Row-major [rows, features + 1]; the last entry of a row is its bias. */
    readonly weights: Float32Array,
    readonly features: number,
    /** `binary` (one row, class 1 positive), `multiclass` (one-vs-rest rows) or `multilabel`. */
    readonly mode: 'binary' | 'multiclass' | 'multilabel',
    readonly loss: LinearLoss,
  ) {}

  get rows(): number {
    return this.weights.length / (this.features + 1);
  }

  /** Number of output probabilities (classes or labels). */
  get outputs(): number {
    return this.mode === 'binary' ? 2 : this.rows;
  }

  /**
   * Fits on TF-IDF vectors. `targets[i]` lists example i's classes (one for single-label).
   * Returns the model and, per row, the passes or iterations it took.
   */
  static fit(
    x: readonly SparseVector[],
    targets: readonly number[][],
    classes: number,
    features: number,
    o: LinearFitOptions,
  ): { model: LinearModel; iterations: number[] } {
    const mode = o.multiLabel ? 'multilabel' : classes === 2 ? 'binary' : 'multiclass';
    const rows = mode === 'binary' ? 1 : classes;
    const weights = new Float32Array(rows * (features + 1));
    const iterations: number[] = [];
    const cost = Float64Array.from(x, (_, i) => o.C * (o.weights?.[i] ?? 1));
    for (let r = 0; r < rows; r++) {
      const positive = mode === 'binary' ? 1 : r;
      const y = Int8Array.from(targets, (t) => (t.includes(positive) ? 1 : -1));
      const fit =
        o.loss === 'logistic' ? fitLogistic(x, y, cost, features, o) : fitSvmDual(x, y, cost, features, o, o.seed + r);
      weights.set(fit.w, r * (features + 1));
      iterations.push(fit.iterations);
    }
    return { model: new LinearModel(weights, features, mode, o.loss), iterations };
  }

  /** The decision values w·x + b of each row. */
  decision(v: SparseVector): Float64Array {
    const stride = this.features + 1;
    const out = new Float64Array(this.rows);
    for (let r = 0; r < out.length; r++) {
      const base = r * stride;
      let s = this.weights[base + this.features]!;
      for (let k = 0; k < v.ids.length; k++) s += v.values[k]! * this.weights[base + v.ids[k]!]!;
      out[r] = s;
    }
    return out;
  }

  /**
   * Scores in [0, 1] per class or label: σ(decision). Binary: [1 − σ, σ]; multi-class: the σ of each
   * one-vs-rest row, normalised to sum 1 (scikit-learn's one-vs-rest predict_proba). Logistic models give
   * probabilities; for SVMs these are monotone scores (σ(0) = 0.5 is the SVM's own decision boundary).
   */
  predictProba(v: SparseVector): Float64Array {
    const d = this.decision(v);
    const s = d.map((z) => 1 / (1 + Math.exp(-z)));
    if (this.mode === 'binary') return Float64Array.of(1 - s[0]!, s[0]!);
    if (this.mode === 'multilabel') return s;
    let sum = 0;
    for (const p of s) sum += p;
    return sum > 0 ? s.map((p) => p / sum) : s.fill(1 / s.length);
  }
}

function dot(w: Float64Array, v: SparseVector): number {
  let s = 0;
  for (let k = 0; k < v.ids.length; k++) s += v.values[k]! * w[v.ids[k]!]!;
  return s;
}

/**
 * liblinear's solve_l2r_l1l2_svc: dual coordinate descent with shrinking for min ½‖w‖² + Σ C_i ξ_i (hinge) or
 * Σ C_i ξ_i² (squared hinge), the bias being feature `features` with value 1. Returns w with the bias last.
 */
function fitSvmDual(
  x: readonly SparseVector[],
  y: Int8Array,
  cost: Float64Array,
  features: number,
  o: LinearFitOptions,
  seed: number,
): { w: Float64Array; iterations: number } {
  const l = x.length;
  const w = new Float64Array(features + 1);
  const alpha = new Float64Array(l);
  const squared = o.loss === 'squared_hinge';
  // Per example: upper bound U_i and diagonal D_i of the dual (hinge: U = C_i, D = 0; squared: U = ∞, D = 1/(2C_i)).
  const upper = Float64Array.from(cost, (c) => (squared ? Infinity : c));
  const diag = Float64Array.from(cost, (c) => (squared ? 0.5 / c : 0));
  const qd = Float64Array.from(x, (v, i) => {
    let s = 1 + diag[i]!; // the bias feature's 1²
    for (const a of v.values) s += a * a;
    return s;
  });
  const index = Int32Array.from({ length: l }, (_, i) => i);
  const rand = seededRandom(seed);
  let active = l;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let iter = 0;
  while (iter < o.maxIter) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    for (let i = 0; i < active; i++) {
      const j = i + Math.floor(rand() * (active - i));
      const t = index[i]!;
      index[i] = index[j]!;
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s]!;
      const v = x[i]!;
      const yi = y[i]!;
      const G = yi * (dot(w, v) + w[features]!) - 1 + diag[i]! * alpha[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (G > pgMaxOld) {
          active--;
          index[s] = index[active]!;
          index[active] = i;
          s--;
          continue;
        } else if (G < 0) pg = G;
      } else if (alpha[i] === upper[i]) {
        if (G < pgMinOld) {
          active--;
          index[s] = index[active]!;
          index[active] = i;
          s--;
          continue;
        } else if (G > 0) pg = G;
      } else pg = G;
      pgMaxNew = Math.max(pgMaxNew, pg);
      pgMinNew = Math.min(pgMinNew, pg);
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        alpha[i] = Math.min(Math.max(old - G / qd[i]!, 0), upper[i]!);
        const d = (alpha[i] - old) * yi;
        for (let k = 0; k < v.ids.length; k++) w[v.ids[k]!]! += d * v.values[k]!;
        w[features]! += d;
      }
    }
    iter++;
    if (pgMaxNew - pgMinNew <= o.tol) {
      if (active === l) break;
      active = l; // converged on the shrunk set: check every example once more
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
    pgMinOld = pgMinNew >= 0 ? -Infinity : pgMinNew;
  }
  return { w, iterations: iter };
}

/** L-BFGS (memory 10, backtracking Armijo line search) on the binary logistic loss; returns w with the bias last. */
function fitLogistic(
  x: readonly SparseVector[],
  y: Int8Array,
  cost: Float64Array,
  features: number,
  o: LinearFitOptions,
): { w: Float64Array; iterations: number } {
  const n = features + 1;
  // f(w) = ½‖w[0..features)‖² + Σ C_i log(1 + e^(−y_i z_i)), z_i = w·x_i + b; g its gradient.
  const evaluate = (w: Float64Array, g: Float64Array): number => {
    let f = 0;
    for (let j = 0; j < features; j++) {
      f += 0.5 * w[j]! * w[j]!;
      g[j] = w[j]!;
    }
    g[features] = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const m = y[i]! * (dot(w, v) + w[features]!);
      // log(1 + e^(−m)) and its derivative −σ(−m), computed without overflow.
      f += cost[i]! * (m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m)));
      const coef = -cost[i]! * y[i]! * (m > 0 ? Math.exp(-m) / (1 + Math.exp(-m)) : 1 / (1 + Math.exp(m)));
      for (let k = 0; k < v.ids.length; k++) g[v.ids[k]!]! += coef * v.values[k]!;
      g[features] += coef;
    }
    return f;
  };
  const memory = 10;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let w = new Float64Array(n);
  let g = new Float64Array(n);
  let f = evaluate(w, g);
  const dir = new Float64Array(n);
  const alphas = new Array<number>(memory);
  let iter = 0;
  const infNorm = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  while (iter < o.maxIter && infNorm(g) > o.tol) {
    // Two-loop recursion: dir = −H·g.
    for (let j = 0; j < n; j++) dir[j] = -g[j]!;
    for (let k = S.length - 1; k >= 0; k--) {
      let a = 0;
      for (let j = 0; j < n; j++) a += S[k]![j]! * dir[j]!;
      a *= rho[k]!;
      alphas[k] = a;
      for (let j = 0; j < n; j++) dir[j]! -= a * Y[k]![j]!;
    }
    if (S.length) {
      const last = S.length - 1;
      let yy = 0;
      for (let j = 0; j < n; j++) yy += Y[last]![j]! * Y[last]![j]!;
      const gamma = 1 / (rho[last]! * yy);
      for (let j = 0; j < n; j++) dir[j]! *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      let b = 0;
      for (let j = 0; j < n; j++) b += Y[k]![j]! * dir[j]!;
      b *= rho[k]!;
      for (let j = 0; j < n; j++) dir[j]! += S[k]![j]! * (alphas[k]! - b);
    }
    let slope = 0;
    for (let j = 0; j < n; j++) slope += g[j]! * dir[j]!;
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let j = 0; j < n; j++) dir[j] = -g[j]!;
      slope = -g.reduce((a, v) => a + v * v, 0);
    }
    let step = iter === 0 && S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const wNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let j = 0; j < n; j++) wNew[j] = w[j]! + step * dir[j]!;
      fNew = evaluate(wNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < f)) break; // no progress possible at this precision
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    let sy = 0;
    for (let j = 0; j < n; j++) {
      s[j] = wNew[j]! - w[j]!;
      yv[j] = gNew[j]! - g[j]!;
      sy += s[j]! * yv[j]!;
    }
    if (sy > 1e-12) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
    }
    w = wNew;
    g = gNew;
    f = fNew;
    iter++;
  }
  return { w, iterations: iter };
}
