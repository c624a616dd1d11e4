// Dataset preparation: de-duplication, length filters, seeded train/dev/test splits, held-out removal.
import { readLines } from './lines';
import { shuffled } from '@parley/engine';

/** Keeps the first item of each key (default key: the item's JSON). Order is preserved. */
export function dedupe<T>(items: readonly T[], key: (item: T) => string = (x) => JSON.stringify(x)): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = key(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Options for `filterByLength`. */
export interface LengthFilter<T> {
  /** The lengths of an item to check (e.g. token counts of source and target). Every one must lie in [min, max]. */
  lengths: (item: T) => readonly number[];
  /** Smallest allowed length. Default 1. */
  min?: number;
  /** Largest allowed length. Default unlimited. */
  max?: number;
  /** Largest allowed ratio longer/shorter between an item's lengths (e.g. 3 drops badly aligned pairs). Default unlimited. */
  maxRatio?: number;
}

/** Keeps items whose lengths all lie in [min, max] (and whose length ratio is at most maxRatio). */
export function filterByLength<T>(items: readonly T[], filter: LengthFilter<T>): T[] {
  const min = filter.min ?? 1;
  const max = filter.max ?? Infinity;
  const ratio = filter.maxRatio ?? Infinity;
  return items.filter((x) => {
    const ls = filter.lengths(x);
    if (!ls.every((l) => l >= min && l <= max)) return false;
    return ratio === Infinity || Math.max(...ls) <= ratio * Math.max(1, Math.min(...ls));
  });
}

/** A train/dev/test split. */
export interface Split<T> {
  train: T[];
  dev: T[];
  test: T[];
}

/** Options for `splitDataset`. */
export interface SplitOptions<T> {
  /** Seed of the shuffle: the same seed and items always give the same split. */
  seed: number;
  /** Size of dev: a fraction in (0, 1) of the items (or groups), or a count ≥ 1. Default 0.05. */
  dev?: number;
  /** Size of test, as for `dev`. Default 0.05. */
  test?: number;
  /**
   * Keeps each group together in one part (e.g. `u => u.episode` splits dialogue by episode, so no episode
   * leaks between train and test). Sizes then count groups. Default: every item is its own group.
   */
  groupBy?: (item: T) => string;
}

/**
 * Splits items into train/dev/test deterministically: groups are shuffled with the seed, the first go to test,
 * the next to dev, the rest to train. Within each part the original order is kept.
 */
export function splitDataset<T>(items: readonly T[], options: SplitOptions<T>): Split<T> {
  const groupOf = options.groupBy ?? ((_: T, i: number) => String(i));
  const groups = new Map<string, number[]>();
  items.forEach((x, i) => {
    const g = options.groupBy ? options.groupBy(x) : groupOf(x, i);
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  });
  const keys = shuffled([...groups.keys()], options.seed);
  const count = (size: number | undefined) => {
    const s = size ?? 0.05;
    if (s < 0) throw new Error(`splitDataset: size must be ≥ 0, got ${s}`);
    return s < 1 ? Math.round(s * keys.length) : Math.floor(s);
  };
  const nTest = count(options.test);
  const nDev = count(options.dev);
  if (nTest + nDev > keys.length)
    throw new Error(`splitDataset: dev + test (${nDev + nTest}) exceed the ${keys.length} groups`);
  const part = new Map<string, keyof Split<T>>();
  keys.forEach((k, i) => part.set(k, i < nTest ? 'test' : i < nTest + nDev ? 'dev' : 'train'));
  const out: Split<T> = { train: [], dev: [], test: [] };
  items.forEach((x, i) => {
    const g = options.groupBy ? options.groupBy(x) : groupOf(x, i);
    out[part.get(g)!].push(x);
  });
  return out;
}

/** How held-out sentences are compared: trimmed, inner whitespace collapsed, NFC. */
export function heldOutKey(sentence: string): string {
  return sentence.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/**
 * Reads every sentence of a held-out file: each tab-separated column of each line counts (so both sides of a
 * `Portuguese<TAB>English` test file are held out). Bad lines throw, as in every reader.
 */
export async function loadHeldOut(file: string): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const { text } of readLines(file)) {
    for (const field of text.split('\t')) {
      const k = heldOutKey(field);
      if (k) out.add(k);
    }
  }
  return out;
}

/** Removes every item any of whose sentences (e.g. source and target) occurs in `heldOut` (keys from `heldOutKey`). */
export function removeHeldOut<T>(
  items: readonly T[],
  heldOut: ReadonlySet<string>,
  sentences: (item: T) => readonly string[],
): { kept: T[]; removed: number } {
  const kept = items.filter((x) => !sentences(x).some((s) => heldOut.has(heldOutKey(s))));
  return { kept, removed: items.length - kept.length };
}
