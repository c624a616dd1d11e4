import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accuracyScore,
  auc,
  classificationReport,
  confusionMatrix,
  f1Score,
  formatClassificationReport,
  multiLabelIndicator,
  precisionRecallFscore,
  precisionRecallFscoreSupport,
  precisionScore,
  recallScore,
  rocAucScore,
  rocCurve,
} from './index';
import type { Average, ClassLabel, ZeroDivision } from './index';

// Values recorded from scikit-learn 1.9.1 by fixtures/record-classification.py.
type Num = number | 'nan' | 'inf';
interface Scores {
  precision: Num;
  recall: Num;
  f1: Num;
}
interface SingleCase {
  name: string;
  yTrue: ClassLabel[];
  yPred: ClassLabel[];
  labels?: ClassLabel[];
  posLabel?: ClassLabel;
  accuracy: number;
  confusion?: number[][];
  confusionTrue?: number[][];
  confusionAll?: number[][];
  perClass: Record<string, { precision: Num[]; recall: Num[]; f1: Num[]; support: number[] }>;
  averages: Record<string, Record<string, Scores>>;
  f05Macro: { precision: number; recall: number; f: number };
  binaryF1?: number;
  binaryPrecision?: number;
  binaryRecall?: number;
  report: string;
  report4: string;
}
interface MultiCase {
  name: string;
  nLabels: number;
  yTrue: number[][];
  yPred: number[][];
  labels?: number[];
  subsetAccuracy: number;
  perLabel: { precision: Num[]; recall: Num[]; f1: Num[]; support: number[] };
  averages: Record<string, Record<string, Scores>>;
  report: string;
}
interface RocCase {
  name: string;
  yTrue: ClassLabel[];
  yScore: number[];
  auc: number;
  curve: { fpr: Num[]; tpr: Num[]; thresholds: Num[] };
  curveAll: { fpr: Num[]; tpr: Num[] } | null;
}
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/classification-sklearn.json', import.meta.url), 'utf8'),
) as { single: SingleCase[]; multilabel: MultiCase[]; roc: RocCase[] };

const num = (v: Num): number => (v === 'nan' ? Number.NaN : v === 'inf' ? Number.POSITIVE_INFINITY : v);
const nums = (a: Num[]): number[] => a.map(num);
const zd = (k: string): ZeroDivision => (k === 'nan' ? 'nan' : (Number(k) as 0 | 1));
const dense = (rows: number[][], n: number): number[][] =>
  rows.map((r) => Array.from({ length: n }, (_, j) => (r.includes(j) ? 1 : 0)));

describe('single-label metrics match scikit-learn digit for digit', () => {
  for (const c of fixture.single) {
    it(c.name, () => {
      const opts = c.labels ? { labels: c.labels } : {};
      expect(accuracyScore(c.yTrue, c.yPred)).toBe(c.accuracy);
      if (c.confusion) {
        expect(confusionMatrix(c.yTrue, c.yPred, opts).matrix).toEqual(c.confusion);
        expect(confusionMatrix(c.yTrue, c.yPred, { ...opts, normalize: 'true' }).matrix).toEqual(c.confusionTrue);
        expect(confusionMatrix(c.yTrue, c.yPred, { ...opts, normalize: 'all' }).matrix).toEqual(c.confusionAll);
      }
      for (const [z, want] of Object.entries(c.perClass)) {
        const got = precisionRecallFscoreSupport(c.yTrue, c.yPred, { ...opts, zeroDivision: zd(z) });
        expect([got.precision, got.recall, got.f1, got.support]).toEqual([
          nums(want.precision),
          nums(want.recall),
          nums(want.f1),
          want.support,
        ]);
      }
      for (const [z, byAverage] of Object.entries(c.averages)) {
        for (const [average, want] of Object.entries(byAverage)) {
          const got = precisionRecallFscore(c.yTrue, c.yPred, average as Average, { ...opts, zeroDivision: zd(z) });
          expect([got.precision, got.recall, got.f1], `${average} zero_division=${z}`).toEqual([
            num(want.precision),
            num(want.recall),
            num(want.f1),
          ]);
        }
      }
      const f05 = precisionRecallFscore(c.yTrue, c.yPred, 'macro', { ...opts, beta: 0.5 });
      expect(f05.f1).toBe(c.f05Macro.f);
      if (c.posLabel !== undefined) {
        expect(f1Score(c.yTrue, c.yPred, { posLabel: c.posLabel })).toBe(c.binaryF1);
        expect(precisionScore(c.yTrue, c.yPred, { posLabel: c.posLabel })).toBe(c.binaryPrecision);
        expect(recallScore(c.yTrue, c.yPred, { posLabel: c.posLabel })).toBe(c.binaryRecall);
      }
      const report = classificationReport(c.yTrue, c.yPred, opts);
      expect(formatClassificationReport(report)).toBe(c.report);
      expect(formatClassificationReport(report, 4)).toBe(c.report4);
    });
  }
});

describe('multi-label metrics match scikit-learn', () => {
  for (const c of fixture.multilabel) {
    it(c.name, () => {
      const t = dense(c.yTrue, c.nLabels);
      const p = dense(c.yPred, c.nLabels);
      const opts = c.labels ? { labels: c.labels } : {};
      expect(accuracyScore(t, p)).toBe(c.subsetAccuracy);
      const per = precisionRecallFscoreSupport(t, p, opts);
      expect([per.precision, per.recall, per.f1, per.support]).toEqual([
        nums(c.perLabel.precision),
        nums(c.perLabel.recall),
        nums(c.perLabel.f1),
        c.perLabel.support,
      ]);
      for (const [z, byAverage] of Object.entries(c.averages)) {
        for (const [average, want] of Object.entries(byAverage)) {
          const got = precisionRecallFscore(t, p, average as Average, { ...opts, zeroDivision: zd(z) });
          expect([got.precision, got.recall, got.f1], `${average} zero_division=${z}`).toEqual([
            num(want.precision),
            num(want.recall),
            num(want.f1),
          ]);
        }
      }
      expect(formatClassificationReport(classificationReport(t, p, opts))).toBe(c.report);
    });
  }
});

describe('binary ROC matches scikit-learn', () => {
  for (const c of fixture.roc) {
    it(c.name, () => {
      const posLabel = c.name === 'strings' ? 'pos' : undefined;
      expect(rocAucScore(c.yTrue, c.yScore)).toBe(c.auc);
      const curve = rocCurve(c.yTrue, c.yScore, { posLabel });
      expect(curve.fpr).toEqual(nums(c.curve.fpr));
      expect(curve.tpr).toEqual(nums(c.curve.tpr));
      expect(curve.thresholds).toEqual(nums(c.curve.thresholds));
      if (c.curveAll) {
        const all = rocCurve(c.yTrue, c.yScore, { posLabel, dropIntermediate: false });
        expect([all.fpr, all.tpr]).toEqual([nums(c.curveAll.fpr), nums(c.curveAll.tpr)]);
      }
    });
  }
});

describe('hand-checked cases and errors', () => {
  it('ROC-AUC counts a tied positive/negative pair as half a win', () => {
    // pairs (pos, neg): (0.8>0.2) 1, (0.8>0.5) 1, (0.5=0.5) ½, (0.5>0.2) 1 → 3.5 / 4
    expect(rocAucScore([1, 0, 1, 0], [0.8, 0.5, 0.5, 0.2])).toBe(0.875);
    expect(rocAucScore([1, 1, 1], [0.1, 0.2, 0.3])).toBeNaN();
    expect(auc([0, 0.5, 1], [0, 1, 1])).toBe(0.75);
  });

  it('multi-label helpers: label sets become indicator rows; micro-F1 pools every label', () => {
    const truth = multiLabelIndicator([['grain', 'wheat'], ['earn'], []]);
    expect(truth.labels).toEqual(['earn', 'grain', 'wheat']);
    expect(truth.rows).toEqual([
      [0, 1, 1],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    const pred = multiLabelIndicator([['grain'], ['earn', 'wheat'], []], truth.labels).rows;
    // tp 2, predicted 3, true 3 → micro F1 = 4/6
    expect(precisionRecallFscore(truth.rows, pred, 'micro').f1).toBe(4 / 6);
    expect(accuracyScore(truth.rows, pred)).toBe(1 / 3);
    expect(() => multiLabelIndicator([['corn']], truth.labels)).toThrow(/unknown label corn/);
  });

  it('says what is wrong with bad targets', () => {
    expect(() => accuracyScore([1, 2], [1])).toThrow(/2 samples but yPred has 1/);
    expect(() => f1Score(['a', 'b', 'c'], ['a', 'b', 'c'])).toThrow(/multiclass but average='binary'/);
    expect(() => f1Score([0, 1], [2, 2])).toThrow();
    expect(() => accuracyScore(['a', 1], ['a', 1])).toThrow(/Mix of label input types/);
    expect(() => rocCurve(['x', 'y'], [0.1, 0.2])).toThrow(/give posLabel/);
  });
});
