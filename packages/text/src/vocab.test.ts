import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tempPath } from '../test/tmp';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID, Vocab } from './vocab';

describe('Vocab', () => {
  it('reserves pad=0, unk, bos, eos and maps unknown tokens to unk', () => {
    const v = new Vocab(['a', 'b']);
    expect([v.id('<pad>'), v.id('<unk>'), v.id('<s>'), v.id('</s>')]).toEqual([PAD_ID, UNK_ID, BOS_ID, EOS_ID]);
    expect(PAD_ID).toBe(0);
    expect(v.encode(['a', 'b', 'zzz'])).toEqual([4, 5, UNK_ID]);
    expect(v.decode([4, 5])).toEqual(['a', 'b']);
    expect(v.size).toBe(6);
    expect(() => v.token(6)).toThrow(/out of range/);
    expect(() => new Vocab(['a', 'a'])).toThrow(/duplicate token "a"/);
    expect(() => new Vocab(['<unk>'])).toThrow(/duplicate token/);
  });

  it('builds from counts: frequent first, deterministic ties, minCount and maxSize', () => {
    const counts = new Map([
      ['x', 1],
      ['b', 5],
      ['a', 5],
      ['c', 2],
    ]);
    expect(Vocab.fromCounts(counts).list().slice(4)).toEqual(['a', 'b', 'c', 'x']);
    expect(Vocab.fromCounts(counts, { minCount: 2 }).list().slice(4)).toEqual(['a', 'b', 'c']);
    expect(Vocab.fromCounts(counts, { maxSize: 6 }).size).toBe(6);
  });

  it('saves versioned JSON and loads it back; rejects newer versions and other files', () => {
    const v = new Vocab(['é', '日本', ' ']);
    const path = tempPath('vocab.json');
    v.save(path);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    expect(json).toMatchObject({ format: 'parley-vocab', version: 1 });
    expect(Vocab.load(path).list()).toEqual(v.list());
    writeFileSync(path, JSON.stringify({ ...json, version: 99 }));
    expect(() => Vocab.load(path)).toThrow(/version 99 is not supported/);
    writeFileSync(path, '{"tokens": []}');
    expect(() => Vocab.load(path)).toThrow(/not a parley-vocab file/);
  });
});
