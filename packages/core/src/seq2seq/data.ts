// The data of a config: training pairs, and dev/test either from files or a seeded split of one file,
// with every training pair that shares a sentence with dev or test removed.
import { collect, dedupe, heldOutKey, readPairs, removeHeldOut, splitDataset, type Pair } from '@parley/text';
import { checkDataFile } from '../common/data-files';
import type { DataConfig, PairFile } from './config';

export interface Seq2seqData {
  /** Training pairs (repeated as the config's `repeat` says). */
  train: Pair[];
  dev: Pair[];
  test: Pair[];
  /** Human-readable notes on what was read, split and removed (for train.log and the model card). */
  notes: string[];
}

export async function readPairFile(f: PairFile): Promise<Pair[]> {
  return collect(readPairs(f.path, { sourceColumn: f.source - 1, targetColumn: f.target - 1 }));
}

/** Checks that every data file of the config is there and holds text, before anything is read or written (DataFileError). */
export function checkDataFiles(cfg: DataConfig): void {
  const files: [string, PairFile | undefined][] = [
    ...cfg.train.map((f, i): [string, PairFile] => [`data.train[${i}]`, f]),
    ['data.split', cfg.split],
    ['data.dev', cfg.dev],
    ['data.test', cfg.test],
  ];
  for (const [key, f] of files) if (f) checkDataFile(key, f.path);
}

export async function loadData(cfg: DataConfig): Promise<Seq2seqData> {
  checkDataFiles(cfg);
  const notes: string[] = [];
  const groups: { pairs: Pair[]; repeat: number; path: string }[] = [];
  for (const f of cfg.train) {
    const pairs = await readPairFile(f);
    notes.push(`train: ${f.path}: ${pairs.length} pairs${f.repeat > 1 ? `, repeated ×${f.repeat}` : ''}`);
    groups.push({ pairs, repeat: f.repeat, path: f.path });
  }
  let dev: Pair[] = [];
  let test: Pair[] = [];
  if (cfg.split) {
    const pairs = await readPairFile(cfg.split);
    // Grouped by target sentence, so one English sentence with several translations lands in one part only.
    const s = splitDataset(pairs, {
      seed: cfg.split.seed,
      dev: cfg.split.dev,
      test: cfg.split.test,
      groupBy: (p) => heldOutKey(p.target),
    });
    notes.push(
      `split: ${cfg.split.path}: ${pairs.length} pairs → dev ${s.dev.length}, test ${s.test.length} (seed ${cfg.split.seed}, grouped by target), ` +
        `train ${s.train.length}${cfg.split.repeat > 1 ? ` repeated ×${cfg.split.repeat}` : ''}`,
    );
    dev = s.dev;
    test = s.test;
    groups.push({ pairs: s.train, repeat: cfg.split.repeat, path: cfg.split.path });
  }
  if (cfg.dev) dev = await readPairFile(cfg.dev);
  if (cfg.test) test = await readPairFile(cfg.test);
  const held = new Set([...dev, ...test].flatMap((p) => [heldOutKey(p.source), heldOutKey(p.target)]));
  const seen = new Set<string>();
  const train: Pair[] = [];
  for (const g of groups) {
    let pairs = dedupe(g.pairs, (p) => `${p.source}\t${p.target}`).filter((p) => !seen.has(`${p.source}\t${p.target}`));
    const deduped = g.pairs.length - pairs.length;
    pairs.forEach((p) => seen.add(`${p.source}\t${p.target}`));
    let removed = 0;
    if (cfg.removeHeldOut) ({ kept: pairs, removed } = removeHeldOut(pairs, held, (p) => [p.source, p.target]));
    notes.push(
      `${g.path}: ${deduped} duplicate pairs dropped, ${removed} pairs sharing a sentence with dev/test removed, ${pairs.length} kept`,
    );
    for (let r = 0; r < g.repeat; r++) train.push(...pairs);
  }
  notes.push(`final: train ${train.length} (with repeats), dev ${dev.length}, test ${test.length}`);
  return { train, dev, test, notes };
}
