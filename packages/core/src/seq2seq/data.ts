// The data of a config: training pairs, and dev/test either from files or a seeded split of one file,
// with every training pair that shares a sentence with dev or test removed.
import { collect, dedupe, heldOutKey, readPairs, removeHeldOut, splitDataset, type Pair } from '@parley/text';
import type { DataConfig, PairFile } from './config';

export interface Seq2seqData {
  train: Pair[];
  dev: Pair[];
  test: Pair[];
  /** Human-readable notes on what was read, split and removed (for train.log and the model card). */
  notes: string[];
}

export async function readPairFile(f: PairFile): Promise<Pair[]> {
  return collect(readPairs(f.path, { sourceColumn: f.source - 1, targetColumn: f.target - 1, columns: undefined }));
}

export async function loadData(cfg: DataConfig): Promise<Seq2seqData> {
  const notes: string[] = [];
  let train: Pair[] = [];
  for (const f of cfg.train) {
    const pairs = await readPairFile(f);
    notes.push(`train: ${f.path}: ${pairs.length} pairs`);
    train.push(...pairs);
  }
  let dev: Pair[] = [];
  let test: Pair[] = [];
  if (cfg.split) {
    const pairs = await readPairFile(cfg.split);
    // Grouped by target sentence, so one English sentence with several translations lands in one part only.
    const s = splitDataset(pairs, { seed: cfg.split.seed, dev: cfg.split.dev, test: cfg.split.test, groupBy: (p) => heldOutKey(p.target) });
    notes.push(`split: ${cfg.split.path}: ${pairs.length} pairs → dev ${s.dev.length}, test ${s.test.length} (seed ${cfg.split.seed}), train ${s.train.length}`);
    dev = s.dev;
    test = s.test;
    train.push(...s.train);
  }
  if (cfg.dev) dev = await readPairFile(cfg.dev);
  if (cfg.test) test = await readPairFile(cfg.test);
  const before = train.length;
  train = dedupe(train, (p) => `${p.source}\t${p.target}`);
  if (train.length < before) notes.push(`dedupe: removed ${before - train.length} duplicate training pairs`);
  if (cfg.removeHeldOut) {
    const held = new Set([...dev, ...test].flatMap((p) => [heldOutKey(p.source), heldOutKey(p.target)]));
    const r = removeHeldOut(train, held, (p) => [p.source, p.target]);
    notes.push(`held-out removal: ${r.removed} training pairs share a sentence with dev/test and were removed`);
    train = r.kept;
  }
  notes.push(`final: train ${train.length}, dev ${dev.length}, test ${test.length}`);
  return { train, dev, test, notes };
}
