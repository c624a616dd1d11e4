// The Evaluate screen's label mode: predicted labels (`parley classify` output, one per line) against gold
// labels, scored with @parley/core's singleLabelScores (scikit-learn's definitions, via @parley/metrics).
import { singleLabelScores } from '@parley/core';
import type { LabelReport } from '../services';
import { readTextLines } from '@parley/text';

/** The labels of a file, one per line: the text before the first tab, trimmed; an empty one is an error. */
export function readLabels(file: string): string[] {
  return readTextLines(file).map((line, i) => {
    const label = line.split('\t', 1)[0]?.trim();
    if (!label) throw new Error(`${file}:${i + 1}: empty label`);
    return label;
  });
}

export async function evaluateLabels(predFiles: readonly string[], goldFile: string): Promise<LabelReport> {
  const start = performance.now();
  const gold = readLabels(goldFile);
  const preds = predFiles.map((file) => ({ file, labels: readLabels(file) }));
  for (const p of preds)
    if (p.labels.length !== gold.length)
      throw new Error(`${p.file} has ${p.labels.length} lines but ${goldFile} has ${gold.length}`);
  const labels = [...new Set([...gold, ...preds.flatMap((p) => p.labels)])].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const truth = gold.map((l) => index.get(l)!);
  const systems = preds.map(({ file, labels: predicted }) => {
    const s = singleLabelScores(
      truth,
      predicted.map((l) => index.get(l)!),
      labels.length,
    );
    return {
      file,
      accuracy: s.accuracy,
      macroF1: s.macro.f1,
      weightedF1: s.weighted.f1,
      confusion: s.confusion,
    };
  });
  return { gold: goldFile, labels, texts: gold.length, systems, millis: performance.now() - start };
}
