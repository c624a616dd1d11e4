// The Classify screen's service: a classifier model directory from @parley/core; probabilities for a text, and
// its words' weights (explainPrediction: exact log-likelihood ratios for naive Bayes, leave-one-out otherwise).
import { decide, explainPrediction, loadClassifier, nextTurn } from '@parley/core';
import type { ClassifyService } from '../services';
import { describeClassifier, shortPath } from './models';

/** Loads a classifier model directory (the backend must be initialised). */
export async function loadClassifyService(dir: string): Promise<ClassifyService> {
  const c = await loadClassifier(dir);
  const m = c.manifest!;
  return {
    model: {
      name: m.name ?? 'classifier',
      dir: shortPath(dir),
      summary: describeClassifier(m.architecture, m.tokenizer, m.metrics),
    },
    labels: c.labels,
    async classify(text) {
      await nextTurn(); // pending keys are handled before the (synchronous) model call
      const start = performance.now();
      const probs = c.predict([text])[0]!;
      return { probabilities: Array.from(probs), predicted: decide(probs, c.head), millis: performance.now() - start };
    },
    explain: (text, signal) => explainPrediction(c, text, { signal }),
  };
}
