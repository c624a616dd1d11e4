// Binary ROC curves and ROC-AUC exactly as scikit-learn 1.9 computes them: scores sorted descending,
// one point per distinct score (ties move both rates at once, so a tie contributes a diagonal
// segment), collinear points dropped, then the trapezoidal area with numpy's pairwise sum. The area
// equals the probability that a random positive outscores a random negative, ties counting half.
import type { ClassLabel } from './classification';
import { uniqueLabels } from './classification';
import { pairwiseSum } from './stats';

export interface RocCurve {
  /** False-positive rate at each threshold, increasing from 0 to 1. */
  fpr: number[];
  /** True-positive rate at each threshold. */
  tpr: number[];
  /** Decreasing score thresholds; the first is Infinity (nothing predicted positive). */
  thresholds: number[];
}

export interface RocOptions {
  /** The positive class. rocCurve's default is 1 (labels must then be 0/1, -1/1 or booleans);
   *  rocAucScore's default is the greater of the two labels, as sklearn's roc_auc_score. */
  posLabel?: ClassLabel;
  /** Drop points on straight segments of the curve (default true, as sklearn); the area is unchanged. */
  dropIntermediate?: boolean;
}

function positives(yTrue: readonly ClassLabel[], pos: ClassLabel): number[] {
  return yTrue.map((v) => (v === pos || (typeof v === 'boolean' && Number(v) === pos) ? 1 : 0));
}

function defaultPosLabel(yTrue: readonly ClassLabel[]): ClassLabel {
  const labels = uniqueLabels(yTrue);
  const numeric = labels.every((l) => typeof l === 'boolean' || l === 0 || l === 1 || l === -1);
  if (!numeric) {
    throw new Error(`yTrue takes values ${labels.map(String).join(', ')}: give posLabel (the positive class)`);
  }
  return 1;
}

/** sklearn's `roc_curve` for binary targets and scores where higher means more positive. */
export function rocCurve(yTrue: readonly ClassLabel[], yScore: readonly number[], options: RocOptions = {}): RocCurve {
  if (yTrue.length !== yScore.length)
    throw new Error(`yTrue has ${yTrue.length} samples but yScore has ${yScore.length}`);
  for (const s of yScore) if (!Number.isFinite(s)) throw new Error(`scores must be finite, got ${s}`);
  const y = positives(yTrue, options.posLabel ?? defaultPosLabel(yTrue));
  const order = yScore.map((_, i) => i).sort((a, b) => yScore[b]! - yScore[a]! || a - b);
  let tps: number[] = [];
  let fps: number[] = [];
  let thresholds: number[] = [];
  let cum = 0;
  order.forEach((idx, i) => {
    cum += y[idx]!;
    const next = order[i + 1];
    if (next === undefined || yScore[next] !== yScore[idx]) {
      tps.push(cum);
      fps.push(1 + i - cum);
      thresholds.push(yScore[idx]!);
    }
  });
  if ((options.dropIntermediate ?? true) && fps.length > 2) {
    const keep = fps.map((_, i) => {
      if (i === 0 || i === fps.length - 1) return true;
      const d2 = (a: number[]): number => a[i + 1]! - a[i]! - (a[i]! - a[i - 1]!);
      return d2(fps) !== 0 || d2(tps) !== 0;
    });
    tps = tps.filter((_, i) => keep[i]);
    fps = fps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  tps.unshift(0);
  fps.unshift(0);
  thresholds.unshift(Number.POSITIVE_INFINITY);
  const lastF = fps[fps.length - 1]!;
  const lastT = tps[tps.length - 1]!;
  return {
    fpr: fps.map((f) => (lastF <= 0 ? Number.NaN : f / lastF)),
    tpr: tps.map((t) => (lastT <= 0 ? Number.NaN : t / lastT)),
    thresholds,
  };
}

/** Area under a curve by the trapezoidal rule (sklearn's `auc`; x monotonic). */
export function auc(x: readonly number[], y: readonly number[]): number {
  if (x.length < 2) throw new Error(`at least 2 points are needed to compute an area, got ${x.length}`);
  const dx = x.slice(1).map((v, i) => v - x[i]!);
  let direction = 1;
  if (dx.some((d) => d < 0)) {
    if (dx.every((d) => d <= 0)) direction = -1;
    else throw new Error('x is neither increasing nor decreasing');
  }
  return direction * pairwiseSum(dx.map((d, i) => (d * (y[i + 1]! + y[i]!)) / 2.0));
}

/** sklearn's `roc_auc_score` for a binary task; NaN when yTrue holds a single class. */
export function rocAucScore(yTrue: readonly ClassLabel[], yScore: readonly number[], options: RocOptions = {}): number {
  const labels = uniqueLabels(yTrue);
  if (labels.length > 2) throw new Error(`rocAucScore is for binary targets; yTrue has ${labels.length} classes`);
  if (labels.length < 2) return Number.NaN;
  const { fpr, tpr } = rocCurve(yTrue, yScore, { posLabel: options.posLabel ?? labels[1]!, dropIntermediate: true });
  return auc(fpr, tpr);
}
