// Scoring a classifier on labelled texts: predictions, then the metrics `parley test` prints and manifests record
// (accuracy, per-class precision/recall/F1, macro/micro/weighted averages, confusion matrix, binary ROC-AUC;
// multi-label micro/macro F1 and subset accuracy), and the dev-tuned multi-label threshold.
import {
  accuracyScore,
  confusionMatrix,
  precisionRecallFscore,
  precisionRecallFscoreSupport,
  rocAucScore,
  type LabelIndicator,
} from '@parley/metrics';
import type { LabeledText } from './data';
import { decide, type TextClassifier } from './model';

/** Precision, recall, F1 and support of one class or one average. */
export interface PRF {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Single-label scores (scikit-learn's definitions, computed by @parley/metrics). */
export interface SingleLabelScores {
  kind: 'single';
  texts: number;
  accuracy: number;
  perClass: PRF[];
  macro: PRF;
  micro: PRF;
  weighted: PRF;
  /** confusion[true][predicted]. */
  confusion: number[][];
  /** Binary tasks: ROC-AUC of the second label's probability. */
  rocAuc?: number;
}

/** Multi-label scores. */
export interface MultiLabelScores {
  kind: 'multi';
  texts: number;
  microF1: number;
  macroF1: number;
  microPrecision: number;
  microRecall: number;
  /** Share of texts whose predicted label set is exactly right. */
  subsetAccuracy: number;
  perLabel: PRF[];
}

/** Everything `parley test` reports for one set. */
export type SetScores = SingleLabelScores | MultiLabelScores;

function perClass(
  truth: readonly number[] | LabelIndicator,
  pred: readonly number[] | LabelIndicator,
  labels: number[],
): PRF[] {
  const p = precisionRecallFscoreSupport(truth, pred, { labels });
  return labels.map((_, i) => ({
    precision: p.precision[i]!,
    recall: p.recall[i]!,
    f1: p.f1[i]!,
    support: p.support[i]!,
  }));
}

/** Single-label scores for true and predicted class indices over k classes; `scores` (class-1 probability) adds ROC-AUC. */
export function singleLabelScores(
  truth: readonly number[],
  pred: readonly number[],
  k: number,
  scores?: readonly number[],
): SingleLabelScores {
  const labels = Array.from({ length: k }, (_, i) => i);
  const avg = (a: 'macro' | 'micro' | 'weighted'): PRF => ({
    ...precisionRecallFscore(truth, pred, a, { labels }),
    support: truth.length,
  });
  const auc = scores && k === 2 ? rocAucScore(truth, scores, { posLabel: 1 }) : undefined;
  return {
    kind: 'single',
    texts: truth.length,
    accuracy: accuracyScore(truth, pred),
    perClass: perClass(truth, pred, labels),
    macro: avg('macro'),
    micro: avg('micro'),
    weighted: avg('weighted'),
    confusion: confusionMatrix(truth, pred, { labels }).matrix,
    ...(auc !== undefined && Number.isFinite(auc) ? { rocAuc: auc } : {}),
  };
}

/** Multi-label scores for true and predicted label-index sets over k labels. */
export function multiLabelScores(truth: readonly number[][], pred: readonly number[][], k: number): MultiLabelScores {
  const labels = Array.from({ length: k }, (_, i) => i);
  const indicator = (sets: readonly number[][]) => sets.map((s) => labels.map((l) => (s.includes(l) ? 1 : 0)));
  const t = indicator(truth);
  const p = indicator(pred);
  const micro = precisionRecallFscore(t, p, 'micro', { labels });
  return {
    kind: 'multi',
    texts: truth.length,
    microF1: micro.f1,
    microPrecision: micro.precision,
    microRecall: micro.recall,
    macroF1: precisionRecallFscore(t, p, 'macro', { labels }).f1,
    subsetAccuracy: accuracyScore(t, p),
    perLabel: perClass(t, p, labels),
  };
}

/** The scores of `c` on `items` (probabilities computed once; `probs` may pass them in). */
export function scoreClassifier(
  c: TextClassifier,
  items: readonly LabeledText[],
  probs = c.predict(items.map((x) => x.text)),
): SetScores {
  const k = c.labels.length;
  if (c.head.multiLabel)
    return multiLabelScores(
      items.map((x) => x.labels),
      probs.map((p) => decide(p, c.head)),
      k,
    );
  const truth = items.map((x) => x.labels[0]!);
  const pred = probs.map((p) => decide(p, c.head)[0]!);
  return singleLabelScores(truth, pred, k, k === 2 ? probs.map((p) => p[1]!) : undefined);
}

/** The dev metric a config names (higher is better; `loss` is not computed here). */
export function headline(s: SetScores, metric: 'accuracy' | 'macroF1' | 'microF1' | 'loss'): number {
  if (s.kind === 'multi')
    return metric === 'macroF1' ? s.macroF1 : metric === 'accuracy' ? s.subsetAccuracy : s.microF1;
  return metric === 'macroF1' ? s.macro.f1 : metric === 'microF1' ? s.micro.f1 : s.accuracy;
}

/** The mean and population standard deviation of fold scores (how `crossValidate` reports k folds). */
export function foldMeanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return { mean, std };
}

/** The multi-label threshold (0.05 … 0.95) with the best micro-F1 on `items`; ties go to the one nearest 0.5. */
export function tuneThreshold(
  c: TextClassifier,
  items: readonly LabeledText[],
  probs = c.predict(items.map((x) => x.text)),
): { threshold: number; microF1: number } {
  const truth = items.map((x) => x.labels);
  let best = { threshold: 0.5, microF1: -1 };
  for (let i = 1; i < 20; i++) {
    const threshold = i / 20;
    const pred = probs.map((p) => decide(p, { ...c.head, threshold }));
    const f1 = multiLabelScores(truth, pred, c.labels.length).microF1;
    if (
      f1 > best.microF1 + 1e-12 ||
      (Math.abs(f1 - best.microF1) <= 1e-12 && Math.abs(threshold - 0.5) < Math.abs(best.threshold - 0.5))
    )
      best = { threshold, microF1: f1 };
  }
  return best;
}

/** A per-class table in scikit-learn's classification_report layout, then the confusion matrix (single-label). */
export function formatScores(s: SetScores, labels: readonly string[], digits = 4): string {
  const w = Math.max(12, ...labels.map((l) => l.length)) + 2;
  const f = (x: number) => x.toFixed(digits).padStart(10);
  const row = (name: string, p: PRF) =>
    `${name.padStart(w)}${f(p.precision)}${f(p.recall)}${f(p.f1)}${String(p.support).padStart(10)}`;
  const lines = [
    `${''.padStart(w)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'f1-score'.padStart(10)}${'support'.padStart(10)}`,
    '',
  ];
  const per = s.kind === 'multi' ? s.perLabel : s.perClass;
  per.forEach((p, i) => lines.push(row(labels[i]!, p)));
  lines.push('');
  if (s.kind === 'single') {
    const n = s.macro.support;
    lines.push(`${'accuracy'.padStart(w)}${''.padStart(20)}${f(s.accuracy)}${String(n).padStart(10)}`);
    lines.push(row('macro avg', s.macro), row('weighted avg', s.weighted));
    if (s.rocAuc !== undefined) lines.push('', `ROC-AUC ${s.rocAuc.toFixed(digits)} (${labels[1]} positive)`);
    lines.push('', 'confusion matrix (rows: true label, columns: predicted)');
    const cw = Math.max(
      6,
      ...s.confusion.flat().map((x) => String(x).length + 1),
      ...labels.map((l) => Math.min(l.length, 10) + 1),
    );
    lines.push(`${''.padStart(w)}${labels.map((l) => l.slice(0, 10).padStart(cw)).join('')}`);
    s.confusion.forEach((r, i) =>
      lines.push(`${labels[i]!.padStart(w)}${r.map((x) => String(x).padStart(cw)).join('')}`),
    );
  } else {
    lines.push(
      `micro-F1 ${s.microF1.toFixed(digits)} (precision ${s.microPrecision.toFixed(digits)}, recall ${s.microRecall.toFixed(digits)})  macro-F1 ${s.macroF1.toFixed(digits)}  subset accuracy ${s.subsetAccuracy.toFixed(digits)}`,
    );
  }
  return lines.join('\n');
}
