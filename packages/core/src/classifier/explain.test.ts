// Word-by-word explanations: the naive Bayes split adds up to the decision's log-odds and credits the words that
// carry the label; leave-one-out (character n-grams here, as for neural models) measures dropping each word.
import { describe, expect, it } from 'vitest';
import { explainPrediction, NaiveBayes, TextClassifier, Tfidf, type AnalyzerOptions } from '../index';

const texts = [
  'a wonderful warm film',
  'wonderful acting and a fine story',
  'fine and wonderful',
  'a dull boring film',
  'boring acting and a dull story',
  'dull and boring',
];
const targets = [[0], [0], [0], [1], [1], [1]];

function fitted(analyzer: AnalyzerOptions['analyzer'], ngrams: [number, number]): TextClassifier {
  const tfidf = Tfidf.fit(texts, { analyzer, ngrams, lowercase: true, sublinearTf: true, minDf: 1 });
  const model = NaiveBayes.fit(
    texts.map((t) => tfidf.transform(t)),
    targets,
    2,
    tfidf.size,
    { alpha: 1, multiLabel: false },
  );
  return new TextClassifier({ labels: ['pos', 'neg'], multiLabel: false, threshold: 0.5 }, { tfidf, model }, undefined);
}

describe('explainPrediction', () => {
  it('splits a word n-gram naive Bayes decision into per-word log-likelihood ratios that add up to its log-odds', async () => {
    const c = fitted('word', [1, 2]);
    const text = 'A  wonderful film, but DULL';
    const e = await explainPrediction(c, text);
    expect(e.method).toBe('log-likelihood ratio');
    expect(e.words.map((w) => w.word)).toEqual(['A', 'wonderful', 'film,', 'but', 'DULL']);
    const p = c.predict([text])[0]!;
    const other = 1 - e.label;
    const logOdds = Math.log(p[e.label]! / p[other]!);
    const prior = c.nb!.model.classLogPrior[e.label]! - c.nb!.model.classLogPrior[other]!;
    const sum = e.words.reduce((s, w) => s + w.weight, 0);
    expect(sum + prior).toBeCloseTo(logOdds, 5);
    const weight = (word: string) => e.words.find((w) => w.word === word)!.weight;
    // "wonderful" pushes towards pos and "dull" towards neg, whichever label won.
    expect(Math.sign(weight('wonderful'))).toBe(e.label === 0 ? 1 : -1);
    expect(Math.sign(weight('DULL'))).toBe(e.label === 0 ? -1 : 1);
    // A word outside the vocabulary (and the one-letter "a", which the analyzer skips) weighs nothing.
    expect(weight('but')).toBe(0);
    expect(weight('A')).toBe(0);
  });

  it('uses leave-one-out where the features are not words: dropping the deciding word lowers the label most', async () => {
    const c = fitted('char_wb', [2, 4]);
    const e = await explainPrediction(c, 'the story was boring');
    expect(e.method).toBe('leave-one-out');
    expect(c.labels[e.label]).toBe('neg');
    const top = [...e.words].sort((a, b) => b.weight - a.weight)[0]!;
    expect(top.word).toBe('boring');
    expect(top.weight).toBeGreaterThan(0);
  });

  it('stops when its signal aborts', async () => {
    const c = fitted('char_wb', [2, 4]);
    const controller = new AbortController();
    controller.abort(new Error('newer text'));
    await expect(explainPrediction(c, 'dull film', { signal: controller.signal })).rejects.toThrow('newer text');
  });
});
