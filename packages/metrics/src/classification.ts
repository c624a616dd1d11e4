// Classification metrics with scikit-learn 1.9's definitions, to the last digit: accuracy, per-class
// precision/recall/F-beta with micro/macro/weighted/samples averages, the confusion matrix,
// classification_report's text, and binary ROC curves/AUC. Digits match because the arithmetic does:
// counts are exact integers, divisions are single IEEE divisions, and every average is numpy's pairwise
// sum (stats.ts) over the same array in the same order. Zero division follows sklearn's default
// ("warn"): the undefined value becomes 0 (no warning is printed); 1 and NaN are options.
import { pyFixed } from './python';
import { pairwiseSum } from './stats';

/** A class label: numbers sort numerically, strings by code point (as numpy sorts them). */
export type ClassLabel = string | number | boolean;
/** Multi-label targets: one row per sample, one 0/1 (or boolean) column per label. */
export type LabelIndicator = readonly (readonly (number | boolean)[])[];
/** Single-label targets (one label per sample) or a multi-label indicator matrix. */
export type Targets = readonly ClassLabel[] | LabelIndicator;
/** How per-class scores are combined (sklearn's `average`). */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'samples';
/** The value of a 0/0 score. sklearn's default "warn" means 0. */
export type ZeroDivision = 0 | 1 | 'nan';

export interface ScoreOptions {
  /** Classes to report, in this order (default: every label in yTrue ∪ yPred, sorted). For
   *  multi-label targets, column indices. Labels absent from the data score 0/0. */
  labels?: readonly ClassLabel[];
  /** The positive class for `average: 'binary'` (default 1). */
  posLabel?: ClassLabel;
  /** Weight of recall in F-beta (default 1: F1). */
  beta?: number;
  /** Value of a score whose denominator is 0 (default 0, as sklearn's "warn"). */
  zeroDivision?: ZeroDivision;
}

export interface PerClassScores {
  labels: ClassLabel[];
  precision: number[];
  recall: number[];
  /** F-beta (F1 unless `beta` was given). */
  f1: number[];
  /** Number of true samples of each class. */
  support: number[];
}

export interface AveragedScores {
  precision: number;
  recall: number;
  f1: number;
}

// ---------------------------------------------------------------------------------------------
// Target validation (sklearn's _check_targets / unique_labels)

type Kind = 'binary' | 'multiclass' | 'multilabel';

function isIndicator(y: Targets): y is LabelIndicator {
  return y.length > 0 && Array.isArray(y[0]);
}

function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/** The sorted distinct labels of one or more label arrays (sklearn's `unique_labels`). */
export function uniqueLabels(...ys: (readonly ClassLabel[])[]): ClassLabel[] {
  const set = new Set<ClassLabel>();
  for (const y of ys) for (const v of y) set.add(v);
  const all = [...set];
  const strings = all.filter((v) => typeof v === 'string').length;
  if (strings > 0 && strings < all.length) throw new Error('Mix of label input types (string and number)');
  if (strings > 0) return (all as string[]).sort(compareCodePoints);
  return all.sort((a, b) => Number(a) - Number(b));
}

function checkTargets(yTrue: Targets, yPred: Targets): Kind {
  if (yTrue.length !== yPred.length) {
    throw new Error(`yTrue has ${yTrue.length} samples but yPred has ${yPred.length}`);
  }
  const mt = isIndicator(yTrue);
  if (mt !== isIndicator(yPred)) throw new Error('Cannot mix multi-label indicator rows and single labels');
  if (mt) {
    const width = (yTrue as LabelIndicator)[0]!.length;
    for (const y of [yTrue, yPred] as LabelIndicator[]) {
      y.forEach((row, i) => {
        if (row.length !== width) throw new Error(`row ${i} has ${row.length} columns, expected ${width}`);
        for (const v of row)
          if (v !== 0 && v !== 1 && v !== true && v !== false) throw new Error(`row ${i}: ${v} is not 0/1`);
      });
    }
    return 'multilabel';
  }
  return uniqueLabels(yTrue as ClassLabel[], yPred as ClassLabel[]).length <= 2 ? 'binary' : 'multiclass';
}

/** Label sets → indicator rows (sklearn's `MultiLabelBinarizer`); columns in `labels` order
 *  (default: every label seen, sorted). Labels outside `labels` are an error. */
export function multiLabelIndicator(
  sets: readonly (readonly ClassLabel[])[],
  labels: readonly ClassLabel[] = uniqueLabels(...sets),
): { labels: ClassLabel[]; rows: number[][] } {
  const index = new Map(labels.map((l, j) => [l, j]));
  const rows = sets.map((set, i) => {
    const row = labels.map(() => 0);
    for (const l of set) {
      const j = index.get(l);
      if (j === undefined) throw new Error(`sample ${i}: unknown label ${String(l)}`);
      row[j] = 1;
    }
    return row;
  });
  return { labels: [...labels], rows };
}

// ---------------------------------------------------------------------------------------------
// Accuracy and the confusion matrix

/** Fraction of samples whose prediction is exactly right; for multi-label rows, subset accuracy
 *  (every label of the row right). sklearn's `accuracy_score`. */
export function accuracyScore(yTrue: Targets, yPred: Targets): number {
  const kind = checkTargets(yTrue, yPred);
  let right = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (kind === 'multilabel') {
      const t = (yTrue as LabelIndicator)[i]!;
      const p = (yPred as LabelIndicator)[i]!;
      if (t.every((v, j) => Number(v) === Number(p[j]))) right++;
    } else if (yTrue[i] === yPred[i]) right++;
  }
  return right / yTrue.length;
}

export interface ConfusionMatrix {
  /** Row/column order. */
  labels: ClassLabel[];
  /** matrix[i][j]: samples of true class labels[i] predicted as labels[j] (or its normalized share). */
  matrix: number[][];
}

/** sklearn's `confusion_matrix`: rows are true classes, columns predicted, in `labels` order
 *  (default: sorted union). `normalize` divides by row ('true'), column ('pred') or total ('all')
 *  sums; an empty row/column stays 0. Samples whose labels are outside `labels` are ignored. */
export function confusionMatrix(
  yTrue: readonly ClassLabel[],
  yPred: readonly ClassLabel[],
  options: { labels?: readonly ClassLabel[]; normalize?: 'true' | 'pred' | 'all' } = {},
): ConfusionMatrix {
  if (checkTargets(yTrue, yPred) === 'multilabel') throw new Error('confusionMatrix takes single-label targets');
  const labels = options.labels ? [...options.labels] : uniqueLabels(yTrue, yPred);
  const index = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t !== undefined && p !== undefined) matrix[t]![p]!++;
  }
  if (options.normalize === 'true') {
    return {
      labels,
      matrix: matrix.map((row) =>
        divideOrZero(
          row,
          row.reduce((a, b) => a + b, 0),
        ),
      ),
    };
  }
  if (options.normalize === 'pred') {
    const colSums = labels.map((_, j) => matrix.reduce((a, row) => a + row[j]!, 0));
    return { labels, matrix: matrix.map((row) => row.map((v, j) => (colSums[j] === 0 ? 0 : v / colSums[j]!))) };
  }
  if (options.normalize === 'all') {
    const total = matrix.reduce((a, row) => a + row.reduce((b, c) => b + c, 0), 0);
    return { labels, matrix: matrix.map((row) => divideOrZero(row, total)) };
  }
  return { labels, matrix };
}

function divideOrZero(row: number[], d: number): number[] {
  return row.map((v) => (d === 0 ? 0 : v / d));
}

// ---------------------------------------------------------------------------------------------
// Precision, recall, F-beta (sklearn's precision_recall_fscore_support)

interface Counts {
  labels: ClassLabel[];
  tp: number[];
  pred: number[];
  true: number[];
}

/** Per-label true positives, predicted and true counts over `labels` (sklearn's multilabel_confusion_matrix). */
function countPerLabel(yTrue: Targets, yPred: Targets, kind: Kind, labels: ClassLabel[]): Counts {
  const tp = labels.map(() => 0);
  const pred = labels.map(() => 0);
  const tru = labels.map(() => 0);
  if (kind === 'multilabel') {
    const t = yTrue as LabelIndicator;
    const p = yPred as LabelIndicator;
    labels.forEach((l, k) => {
      const j = Number(l);
      for (let i = 0; i < t.length; i++) {
        const a = Number(t[i]![j]);
        const b = Number(p[i]![j]);
        tp[k]! += a & b;
        pred[k]! += b;
        tru[k]! += a;
      }
    });
  } else {
    const index = new Map(labels.map((l, i) => [l, i]));
    for (let i = 0; i < yTrue.length; i++) {
      const t = index.get(yTrue[i] as ClassLabel);
      const p = index.get(yPred[i] as ClassLabel);
      if (t !== undefined) tru[t]!++;
      if (p !== undefined) pred[p]!++;
      if (t !== undefined && t === p) tp[t]!++;
    }
  }
  return { labels, tp, pred, true: tru };
}

function zeroValue(z: ZeroDivision): number {
  return z === 'nan' ? Number.NaN : z;
}

function divide(num: number[], den: number[], z: ZeroDivision): number[] {
  return num.map((v, i) => (den[i] === 0 ? zeroValue(z) : v / den[i]!));
}

function scores(
  c: Pick<Counts, 'tp' | 'pred' | 'true'>,
  beta: number,
  z: ZeroDivision,
): Omit<PerClassScores, 'labels' | 'support'> {
  const precision = divide(c.tp, c.pred, z);
  const recall = divide(c.tp, c.true, z);
  let f1: number[];
  if (beta === Number.POSITIVE_INFINITY) f1 = recall;
  else if (beta === 0) f1 = precision;
  else {
    // (1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp) = (1 + β²)·tp / (β²·true + pred)
    const b2 = beta * beta;
    f1 = divide(
      c.tp.map((t) => (1 + b2) * t),
      c.true.map((t, i) => b2 * t + c.pred[i]!),
      z,
    );
  }
  return { precision, recall, f1 };
}

function resolveLabels(yTrue: Targets, yPred: Targets, kind: Kind, labels?: readonly ClassLabel[]): ClassLabel[] {
  if (labels) return [...labels];
  if (kind === 'multilabel') return Array.from({ length: (yTrue as LabelIndicator)[0]!.length }, (_, j) => j);
  return uniqueLabels(yTrue as ClassLabel[], yPred as ClassLabel[]);
}

/** Per-class precision, recall, F-beta and support (sklearn's `precision_recall_fscore_support` with
 *  `average=None`). */
export function precisionRecallFscoreSupport(
  yTrue: Targets,
  yPred: Targets,
  options: ScoreOptions = {},
): PerClassScores {
  const kind = checkTargets(yTrue, yPred);
  const labels = resolveLabels(yTrue, yPred, kind, options.labels);
  const c = countPerLabel(yTrue, yPred, kind, labels);
  return { labels, ...scores(c, options.beta ?? 1, options.zeroDivision ?? 0), support: c.true };
}

/** numpy/sklearn `_nanaverage`: NaN entries are ignored; weights summing to 0 fall back to the mean. */
function nanAverage(a: number[], weights?: number[]): number {
  if (a.length === 0 || a.every(Number.isNaN)) return Number.NaN;
  if (!weights) {
    const zeroed = a.map((v) => (Number.isNaN(v) ? 0 : v));
    return pairwiseSum(zeroed) / a.filter((v) => !Number.isNaN(v)).length;
  }
  const keep = a.map((v) => !Number.isNaN(v));
  const av = a.filter((_, i) => keep[i]);
  const w = weights.filter((_, i) => keep[i]);
  const scale = pairwiseSum(w);
  if (scale === 0) return pairwiseSum(av) / av.length;
  return pairwiseSum(av.map((v, i) => v * w[i]!)) / scale;
}

/** Averaged precision, recall and F-beta (sklearn's `precision_recall_fscore_support(average=…)`).
 *  'binary' scores `posLabel` alone (binary targets only); 'micro' pools the counts of all `labels`
 *  (equals accuracy for single-label targets with every label); 'macro' is the unweighted mean of
 *  the per-class scores; 'weighted' weights them by support; 'samples' (multi-label only) averages
 *  per-sample scores. */
export function precisionRecallFscore(
  yTrue: Targets,
  yPred: Targets,
  average: Average,
  options: ScoreOptions = {},
): AveragedScores {
  const kind = checkTargets(yTrue, yPred);
  const beta = options.beta ?? 1;
  const z = options.zeroDivision ?? 0;
  let labels = options.labels ? [...options.labels] : undefined;
  if (average === 'binary') {
    if (kind !== 'binary') {
      throw new Error(
        `Target is ${kind} but average='binary'. Choose another average: micro, macro, weighted${kind === 'multilabel' ? ', samples' : ''}.`,
      );
    }
    const pos = options.posLabel ?? 1;
    const present = uniqueLabels(yTrue as ClassLabel[], yPred as ClassLabel[]);
    if (!present.includes(pos) && present.length >= 2) {
      throw new Error(
        `posLabel=${String(pos)} is not a valid label. It should be one of ${present.map(String).join(', ')}`,
      );
    }
    labels = [pos];
  }
  if (average === 'samples') {
    if (kind !== 'multilabel') throw new Error("average='samples' needs multi-label targets");
    const cols = resolveLabels(yTrue, yPred, kind, labels).map(Number);
    const t = yTrue as LabelIndicator;
    const p = yPred as LabelIndicator;
    const tp = t.map((row, i) => cols.reduce((s, j) => s + (Number(row[j]) & Number(p[i]![j])), 0));
    const pred = p.map((row) => cols.reduce((s, j) => s + Number(row[j]), 0));
    const tru = t.map((row) => cols.reduce((s, j) => s + Number(row[j]), 0));
    const s = scores({ tp, pred, true: tru }, beta, z);
    return { precision: nanAverage(s.precision), recall: nanAverage(s.recall), f1: nanAverage(s.f1) };
  }
  const c = countPerLabel(yTrue, yPred, kind, resolveLabels(yTrue, yPred, kind, labels));
  if (average === 'micro') {
    const sum = (a: number[]): number[] => [a.reduce((x, y) => x + y, 0)];
    const s = scores({ tp: sum(c.tp), pred: sum(c.pred), true: sum(c.true) }, beta, z);
    return { precision: s.precision[0]!, recall: s.recall[0]!, f1: s.f1[0]! };
  }
  const s = scores(c, beta, z);
  const w = average === 'weighted' ? c.true : undefined;
  return { precision: nanAverage(s.precision, w), recall: nanAverage(s.recall, w), f1: nanAverage(s.f1, w) };
}

/** F1 (or F-beta with `beta`) with sklearn `f1_score`'s default `average: 'binary'`. */
export function f1Score(yTrue: Targets, yPred: Targets, options: ScoreOptions & { average?: Average } = {}): number {
  return precisionRecallFscore(yTrue, yPred, options.average ?? 'binary', options).f1;
}

/** Precision with sklearn `precision_score`'s default `average: 'binary'`. */
export function precisionScore(
  yTrue: Targets,
  yPred: Targets,
  options: ScoreOptions & { average?: Average } = {},
): number {
  return precisionRecallFscore(yTrue, yPred, options.average ?? 'binary', options).precision;
}

/** Recall with sklearn `recall_score`'s default `average: 'binary'`. */
export function recallScore(
  yTrue: Targets,
  yPred: Targets,
  options: ScoreOptions & { average?: Average } = {},
): number {
  return precisionRecallFscore(yTrue, yPred, options.average ?? 'binary', options).recall;
}

// ---------------------------------------------------------------------------------------------
// classification_report

export interface ReportRow extends AveragedScores {
  /** The class name as printed (or the average's heading, e.g. 'macro avg'). */
  name: string;
  support: number;
}

export interface ClassificationReport {
  /** One row per class, in label order. */
  classes: (ReportRow & { label: ClassLabel })[];
  /** Set when micro-averaged F1 equals accuracy (single-label targets, all labels reported). */
  accuracy?: number;
  /** 'micro avg' (when it is not accuracy), 'macro avg', 'weighted avg', and for multi-label 'samples avg'. */
  averages: ReportRow[];
  /** Total support. */
  support: number;
}

/** sklearn's `classification_report` as data; `formatClassificationReport` prints it like sklearn. */
export function classificationReport(
  yTrue: Targets,
  yPred: Targets,
  options: { labels?: readonly ClassLabel[]; targetNames?: readonly string[]; zeroDivision?: ZeroDivision } = {},
): ClassificationReport {
  const kind = checkTargets(yTrue, yPred);
  const opts: ScoreOptions = { labels: options.labels, zeroDivision: options.zeroDivision };
  const per = precisionRecallFscoreSupport(yTrue, yPred, opts);
  const names = options.targetNames ? [...options.targetNames] : per.labels.map(String);
  if (names.length !== per.labels.length) {
    throw new Error(`${per.labels.length} classes but ${names.length} target names`);
  }
  const classes = per.labels.map((label, i) => ({
    label,
    name: names[i]!,
    precision: per.precision[i]!,
    recall: per.recall[i]!,
    f1: per.f1[i]!,
    support: per.support[i]!,
  }));
  const support = per.support.reduce((a, b) => a + b, 0);
  let microIsAccuracy = kind !== 'multilabel';
  if (microIsAccuracy && options.labels) {
    const given = new Set(options.labels);
    microIsAccuracy = uniqueLabels(yTrue as ClassLabel[], yPred as ClassLabel[]).every((l) => given.has(l));
  }
  const report: ClassificationReport = { classes, averages: [], support };
  const kinds: Average[] =
    kind === 'multilabel' ? ['micro', 'macro', 'weighted', 'samples'] : ['micro', 'macro', 'weighted'];
  for (const average of kinds) {
    const s = precisionRecallFscore(yTrue, yPred, average, opts);
    if (average === 'micro' && microIsAccuracy) report.accuracy = s.f1;
    else report.averages.push({ name: `${average} avg`, ...s, support });
  }
  return report;
}

/** The report's text exactly as sklearn's `classification_report(..., digits)` prints it. */
export function formatClassificationReport(report: ClassificationReport, digits = 2): string {
  const len = (s: string): number => [...s].length;
  const width = Math.max(...report.classes.map((c) => len(c.name)), len('weighted avg'), digits);
  const right = (s: string, w: number): string => ' '.repeat(Math.max(0, w - len(s))) + s;
  // sklearn: "{:>{width}s} " + " {:>9}" per column
  const line = (name: string, cells: string[]): string =>
    `${right(name, width)} ${cells.map((c) => ` ${right(c, 9)}`).join('')}\n`;
  const row = (r: ReportRow): string =>
    line(r.name, [pyFixed(r.precision, digits), pyFixed(r.recall, digits), pyFixed(r.f1, digits), String(r.support)]);
  let out = `${line('', ['precision', 'recall', 'f1-score', 'support'])}\n`;
  for (const c of report.classes) out += row(c);
  out += '\n';
  if (report.accuracy !== undefined)
    out += line('accuracy', ['', '', pyFixed(report.accuracy, digits), String(report.support)]);
  for (const a of report.averages) out += row(a);
  return out;
}
