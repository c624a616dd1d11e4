// Classifier data: the labelled texts of a config's file, the label set (sorted, as scikit-learn's LabelEncoder),
// and seeded stratified train/dev/test splits and k-fold cross-validation folds — or the file's own split column.
import { CorpusError, collect, readLabeled, shuffled } from '@parley/text';
import { checkDataFile } from '../common/data-files';
import type { ClassifierDataConfig } from './config';
import { sklearnCourseSplit } from './numpy-split';

/** One text with its label indices (into `ClassifierData.labels`); exactly one index for single-label data. */
export interface LabeledText {
  text: string;
  labels: number[];
  /** 1-based line in the data file. */
  line: number;
}

export interface ClassifierData {
  /** Label names, sorted; a model's outputs are in this order. */
  labels: string[];
  multiLabel: boolean;
  train: LabeledText[];
  dev: LabeledText[];
  test: LabeledText[];
  /** What loading did, for train.log (e.g. labels dropped for being rare). */
  notes: string[];
}

/** A fraction (< 1) of `n`, or a count (≥ 1), as a whole number of items. */
function sizeOf(x: number, n: number): number {
  return x < 1 ? Math.round(x * n) : Math.min(n, Math.round(x));
}

/** The indices of `items` in a seeded shuffle, grouped by class (each item's first label; -1 for none). */
function shuffledByClass(items: readonly LabeledText[], seed: number): Map<number, number[]> {
  const byClass = new Map<number, number[]>();
  for (const i of shuffled(
    items.map((_, i) => i),
    seed,
  )) {
    const c = items[i]!.labels[0] ?? -1;
    byClass.set(c, [...(byClass.get(c) ?? []), i]);
  }
  return byClass;
}

/**
 * Indices of `items` in a seeded order that interleaves the classes (each item's first label): taking any prefix
 * gives about the same class proportions as the whole. The basis of stratified splits and folds.
 */
function stratifiedOrder(items: readonly LabeledText[], seed: number): number[] {
  const byClass = shuffledByClass(items, seed);
  // Each item gets the key (rank within its class + 0.5) / class size; sorting by it interleaves proportionally.
  const keyed: [number, number][] = [];
  for (const idx of byClass.values()) idx.forEach((i, r) => keyed.push([(r + 0.5) / idx.length, i]));
  keyed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return keyed.map(([, i]) => i);
}

/** Splits `items` into train/dev/test, stratified by first label and seeded; `dev`/`test` are fractions or counts. */
export function stratifiedSplit(
  items: readonly LabeledText[],
  dev: number,
  test: number,
  seed: number,
): { train: LabeledText[]; dev: LabeledText[]; test: LabeledText[] } {
  const order = stratifiedOrder(items, seed);
  const nTest = sizeOf(test, items.length);
  const nDev = sizeOf(dev, items.length);
  const pick = (from: number, to: number) =>
    order
      .slice(from, to)
      .sort((a, b) => a - b)
      .map((i) => items[i]!);
  return { test: pick(0, nTest), dev: pick(nTest, nTest + nDev), train: pick(nTest + nDev, order.length) };
}

/**
 * k stratified folds of `items` (seeded): within each class (first label) the shuffled items are dealt to the folds
 * in turn, each class starting where the previous one stopped, so fold sizes differ by at most one.
 */
export function stratifiedFolds(items: readonly LabeledText[], k: number, seed: number): LabeledText[][] {
  const byClass = shuffledByClass(items, seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b))
    for (const i of byClass.get(c)!) folds[next++ % k]!.push(i);
  return folds.map((f) => f.sort((a, b) => a - b).map((i) => items[i]!));
}

/** Reads the config's file into labelled texts and splits it (see ClassifierDataConfig). Bad lines throw `file:line: problem`. */
export async function loadClassifierData(cfg: ClassifierDataConfig): Promise<ClassifierData> {
  checkDataFile('data.file', cfg.file);
  const rows = await collect(
    readLabeled(cfg.file, {
      labelColumn: cfg.labelColumn - 1,
      textColumn: cfg.textColumn - 1,
      ...(cfg.splitColumn > 0 ? { splitColumn: cfg.splitColumn - 1 } : {}),
      multiLabel: cfg.multiLabel,
    }),
  );
  if (rows.length === 0) throw new Error(`${cfg.file}: no labelled texts`);
  const notes: string[] = [];
  // Label set: from training rows only when the file has its own split (a test-only label cannot be learnt).
  const isTrain = (split: string | undefined) => split === undefined || split === 'train' || split === 'dev';
  const counts = new Map<string, number>();
  for (const r of rows) if (isTrain(r.split)) for (const l of r.labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const labels = [...counts]
    .filter(([, n]) => n >= cfg.minLabelCount)
    .map(([l]) => l)
    .sort();
  if (labels.length < counts.size)
    notes.push(`${counts.size - labels.length} labels with fewer than ${cfg.minLabelCount} training examples dropped`);
  if (!cfg.multiLabel && labels.length < 2)
    throw new Error(`${cfg.file}: needs at least two labels, found ${labels.length} (${labels.join(', ')})`);
  const index = new Map(labels.map((l, i) => [l, i]));
  const items: (LabeledText & { split?: string })[] = rows.map((r) => ({
    text: r.text,
    line: r.line,
    labels: r.labels.map((l) => index.get(l)).filter((i): i is number => i !== undefined),
    ...(r.split !== undefined ? { split: r.split } : {}),
  }));
  if (!cfg.multiLabel) {
    const unknown = items.find((x) => x.labels.length === 0);
    if (unknown)
      throw new CorpusError(
        cfg.file,
        unknown.line,
        `label ${JSON.stringify(rows.find((r) => r.line === unknown.line)!.labels[0])} is not in the training rows`,
      );
  }
  if (cfg.splitColumn > 0) {
    const bad = items.find((x) => !['train', 'dev', 'test'].includes(x.split!));
    if (bad)
      throw new CorpusError(
        cfg.file,
        bad.line,
        `split column ${cfg.splitColumn} is ${JSON.stringify(bad.split)}; expected train, dev or test`,
      );
    const strip = (xs: typeof items): LabeledText[] =>
      xs.map(({ text, labels: l, line }) => ({ text, labels: l, line }));
    const train = strip(items.filter((x) => x.split === 'train'));
    const test = strip(items.filter((x) => x.split === 'test'));
    let dev = strip(items.filter((x) => x.split === 'dev'));
    if (dev.length === 0 && cfg.dev > 0) {
      const s = stratifiedSplit(train, cfg.dev, 0, cfg.seed);
      notes.push(`dev: ${s.dev.length} of the file's ${train.length} train rows (stratified, seed ${cfg.seed})`);
      return { labels, multiLabel: cfg.multiLabel, train: s.train, dev: s.dev, test, notes };
    }
    return { labels, multiLabel: cfg.multiLabel, train, dev, test, notes };
  }
  if (cfg.splitMethod === 'sklearn') {
    const s = sklearnCourseSplit(items.length, cfg.dev, cfg.seed);
    notes.push(
      `split: pandas sample(frac=1, random_state=${cfg.seed}) + train_test_split(test_size=${cfg.dev}, random_state=${cfg.seed})`,
    );
    return {
      labels,
      multiLabel: cfg.multiLabel,
      train: s.train.map((i) => items[i]!),
      dev: s.dev.map((i) => items[i]!),
      test: [],
      notes,
    };
  }
  const s = stratifiedSplit(items, cfg.dev, cfg.test, cfg.seed);
  return { labels, multiLabel: cfg.multiLabel, ...s, notes };
}
