import { describe, expect, it } from 'vitest';
import { sharedFile, skipReason } from '../../../test/support/shared';
import { tempFile } from '../test/tmp';
import { dedupe, filterByLength, loadHeldOut, removeHeldOut, splitDataset } from './prep';
import { collect, readDialogue } from './readers';

const items = Array.from({ length: 200 }, (_, i) => ({ id: i, episode: `E${i % 17}` }));

describe('dataset preparation', () => {
  it('dedupes keeping the first occurrence, in order', () => {
    const pairs = [
      { s: 'a', t: 'x' },
      { s: 'b', t: 'y' },
      { s: 'a', t: 'x' },
      { s: 'a', t: 'z' },
    ];
    expect(dedupe(pairs, (p) => `${p.s}\t${p.t}`)).toEqual([pairs[0], pairs[1], pairs[3]]);
  });

  it('filters by length and length ratio', () => {
    const pairs = [
      [1, 1],
      [0, 3],
      [5, 5],
      [2, 9],
      [4, 3],
    ] as const;
    expect(filterByLength(pairs, { lengths: (p) => p, min: 1, max: 5 })).toEqual([
      [1, 1],
      [5, 5],
      [4, 3],
    ]);
    expect(filterByLength(pairs, { lengths: (p) => p, min: 1, maxRatio: 2 })).toEqual([
      [1, 1],
      [5, 5],
      [4, 3],
    ]);
  });

  it('splits deterministically from a seed, without overlap, and differently for another seed', () => {
    const a = splitDataset(items, { seed: 7, dev: 0.1, test: 20 });
    const b = splitDataset(items, { seed: 7, dev: 0.1, test: 20 });
    expect(b).toEqual(a);
    expect([a.train.length, a.dev.length, a.test.length]).toEqual([160, 20, 20]);
    const ids = [...a.train, ...a.dev, ...a.test].map((x) => x.id).sort((x, y) => x - y);
    expect(ids).toEqual(items.map((x) => x.id));
    expect(splitDataset(items, { seed: 8, dev: 0.1, test: 20 }).test).not.toEqual(a.test);
  });

  it('splits by group so no group is in two parts', () => {
    const s = splitDataset(items, { seed: 1, dev: 2, test: 2, groupBy: (x) => x.episode });
    const groups = (xs: typeof items) => new Set(xs.map((x) => x.episode));
    expect(groups(s.test).size).toBe(2);
    expect(groups(s.dev).size).toBe(2);
    for (const g of groups(s.test)) expect(groups(s.train).has(g) || groups(s.dev).has(g)).toBe(false);
    for (const g of groups(s.dev)) expect(groups(s.train).has(g)).toBe(false);
  });

  it('removes every pair whose source or target occurs in the held-out file (either column, whitespace-insensitive)', async () => {
    const heldOut = await loadHeldOut(tempFile('Eu sou.\tI am.\nOlá  mundo.\tHello world.\n'));
    const pairs = [
      { source: 'Eu sou.', target: 'I was.' },
      { source: 'Ele é.', target: ' Hello world. ' },
      { source: 'Olá mundo.', target: 'Hi world.' },
      { source: 'Tchau.', target: 'Bye.' },
    ];
    const { kept, removed } = removeHeldOut(pairs, heldOut, (p) => [p.source, p.target]);
    expect(kept).toEqual([{ source: 'Tchau.', target: 'Bye.' }]);
    expect(removed).toBe(3);
  });

  const reason = skipReason('corpora/tbbt/dialogue.tsv');
  it.skipIf(!!reason)('splits the shared dialogue by episode, the same way every time', async () => {
    const utts = await collect(readDialogue(sharedFile('corpora/tbbt/dialogue.tsv')!));
    const split = () => splitDataset(utts, { seed: 42, dev: 8, test: 8, groupBy: (u) => u.episode });
    const a = split();
    expect(new Set(a.test.map((u) => u.episode)).size).toBe(8);
    expect(a.train.length + a.dev.length + a.test.length).toBe(utts.length);
    expect(split().test.map((u) => u.line)).toEqual(a.test.map((u) => u.line));
  });
});
