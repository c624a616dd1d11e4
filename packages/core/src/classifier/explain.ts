// Why a classifier chose its label, word by word (the app's Classify screen colours the input with it).
// Naive Bayes on word n-grams decomposes exactly: each n-gram adds tfidf(x)·(log P(x|label) − log P(x|rest)) to
// the label's log-odds, and that share is split among the n-gram's words, so the words' weights plus the prior
// difference are the log-odds. Other models (neural encoders, character n-grams) use leave-one-out: drop one
// word, run the model again, and the fall of the label's probability is the word's weight.
import { nextTurn } from '../common/events';
import { analyze } from './tfidf';
import type { TextClassifier } from './model';

/** One word of the input and how much it pushed the explained label (> 0 towards it, < 0 away). */
export interface WordWeight {
  word: string;
  weight: number;
}

export interface Explanation {
  /** The label explained: the top prediction. */
  label: number;
  /** `log-likelihood ratio`: weights are nats of log-odds; `leave-one-out`: probability points (0…1). */
  method: 'log-likelihood ratio' | 'leave-one-out';
  /** The text's whitespace-separated words in order. */
  words: WordWeight[];
}

export interface ExplainOptions {
  /** Stops the work between batches (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Leave-one-out texts per model call; the event loop gets a turn between calls. */
  batchSize?: number;
}

const argmax = (p: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
};

/** log P(feature | label) − log P(feature | the other rows), per feature, for the NB row(s) of `label`. */
function nbContrast(c: TextClassifier, label: number): (feature: number) => number {
  const m = c.nb!.model;
  const row = (r: number, f: number) => m.featureLogProb[r * m.features + f]!;
  if (m.oneVsRest) return (f) => row(2 * label + 1, f) - row(2 * label, f);
  const rows = m.classLogPrior.length;
  return (f) => {
    let rest = 0;
    for (let r = 0; r < rows; r++) if (r !== label) rest += row(r, f);
    return row(label, f) - rest / (rows - 1);
  };
}

/** The exact per-word log-likelihood-ratio split of a word-n-gram naive Bayes decision. */
function explainNaiveBayes(c: TextClassifier, words: string[], label: number): WordWeight[] {
  const { tfidf } = c.nb!;
  const o = tfidf.analyzer;
  const vector = tfidf.transform(words.join(' '));
  const value = new Map<number, number>();
  vector.ids.forEach((id, k) => value.set(id, vector.values[k]!));
  // The analyzer's tokens never cross whitespace, so each token belongs to one input word.
  const tokens: { token: string; word: number }[] = [];
  words.forEach((w, i) => analyze(w, { ...o, ngrams: [1, 1] }).forEach((token) => tokens.push({ token, word: i })));
  const occurrences: { feature: number; words: number[] }[] = [];
  for (let n = o.ngrams[0]; n <= o.ngrams[1]; n++)
    for (let i = 0; i + n <= tokens.length; i++) {
      const span = tokens.slice(i, i + n);
      const feature = tfidf.featureId(span.map((t) => t.token).join(' '));
      if (feature !== undefined) occurrences.push({ feature, words: span.map((t) => t.word) });
    }
  const count = new Map<number, number>();
  for (const x of occurrences) count.set(x.feature, (count.get(x.feature) ?? 0) + 1);
  const contrast = nbContrast(c, label);
  const weights = words.map((word) => ({ word, weight: 0 }));
  for (const x of occurrences) {
    const share = (value.get(x.feature)! * contrast(x.feature)) / count.get(x.feature)! / x.words.length;
    for (const w of x.words) weights[w]!.weight += share;
  }
  return weights;
}

/** Leave-one-out: each word's weight is the label's probability minus its probability without that word. */
async function explainLeaveOneOut(
  c: TextClassifier,
  words: string[],
  label: number,
  full: number,
  o: ExplainOptions,
): Promise<WordWeight[]> {
  const variants = words.map((_, i) => words.filter((__, j) => j !== i).join(' '));
  const size = o.batchSize ?? 8;
  const weights: WordWeight[] = [];
  for (let i = 0; i < variants.length; i += size) {
    await nextTurn();
    o.signal?.throwIfAborted();
    c.predict(variants.slice(i, i + size)).forEach((p, k) =>
      weights.push({ word: words[i + k]!, weight: full - p[label]! }),
    );
  }
  return weights;
}

/** How much each word of `text` weighed in `c`'s top prediction. */
export async function explainPrediction(c: TextClassifier, text: string, o: ExplainOptions = {}): Promise<Explanation> {
  const words = text.split(/\s+/).filter(Boolean);
  const probs = c.predict([words.join(' ')])[0]!;
  const label = argmax(probs);
  if (c.nb && c.nb.tfidf.analyzer.analyzer === 'word')
    return { label, method: 'log-likelihood ratio', words: explainNaiveBayes(c, words, label) };
  return { label, method: 'leave-one-out', words: await explainLeaveOneOut(c, words, label, probs[label]!, o) };
}
