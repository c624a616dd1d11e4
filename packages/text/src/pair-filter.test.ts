import { describe, expect, it } from 'vitest';
import { filterPairs, model1Scores, pairWords } from './pair-filter';

// A tiny consistent "lexicon": each Portuguese word always translates to the same English word.
const LEX: [string, string][] = [
  ['eu', 'i'],
  ['gosto', 'like'],
  ['de', 'of'],
  ['café', 'coffee'],
  ['chá', 'tea'],
  ['ela', 'she'],
  ['bebe', 'drinks'],
  ['água', 'water'],
  ['nós', 'we'],
  ['queremos', 'want'],
  ['pão', 'bread'],
  ['leite', 'milk'],
];
function parallel(n: number): [string, string][] {
  const out: [string, string][] = [];
  for (let k = 0; k < n; k++) {
    const picks = [LEX[k % LEX.length]!, LEX[(k * 7 + 3) % LEX.length]!, LEX[(k * 5 + 1) % LEX.length]!];
    out.push([picks.map((p) => p[0]).join(' ') + ` ${k}`, picks.map((p) => p[1]).join(' ') + ` ${k}`]);
  }
  return out;
}

describe('filterPairs', () => {
  it('removes identical, copied, too long, length-mismatched and duplicate pairs, each under its first rule', () => {
    const pairs: [string, string][] = [
      ['Olá, mundo!', 'Hello, world!'],
      ['Janice!', 'Janice?'], // identical after normalisation
      ['Daniel Day-Lewis, Sting e Parker Stevenson.', '...Daniel Day-Lewis, Sting and Parker Stevenson.'], // untranslated
      ['um dois três quatro cinco', 'one'], // ratio
      ['Olá, mundo.', 'hello world'], // near duplicate of the first
      ['a b c d e f', 'x'], // length with maxWords 5
    ];
    const r = filterPairs(pairs, { maxWords: 5 });
    expect(r.verdicts.map((v) => v.rule ?? 'kept')).toEqual([
      'kept',
      'identical',
      'untranslated',
      'ratio',
      'duplicate',
      'length',
    ]);
    expect(r.kept).toBe(1);
    expect(r.removed).toMatchObject({ identical: 1, untranslated: 1, ratio: 1, duplicate: 1, length: 1, noisy: 0 });
  });

  it('tells exact from near duplicates and keeps one pair per source in source mode', () => {
    const pairs: [string, string][] = [
      ['Olá, mundo!', 'Hello!'],
      ['olá mundo', 'Hello!'],
      ['Olá, mundo!', 'Hi there!'],
    ];
    expect(filterPairs(pairs, { dedupe: 'exact' }).kept).toBe(3);
    expect(filterPairs(pairs, { dedupe: 'near' }).kept).toBe(2);
    expect(filterPairs(pairs, { dedupe: 'source' }).kept).toBe(1);
  });

  it('drops the misaligned pairs first when filtering the noisiest share', () => {
    const pairs = parallel(60);
    pairs.splice(10, 0, ['eu gosto de café', 'we want bread milk']); // misaligned
    pairs.splice(40, 0, ['ela bebe água', 'tea tea i']); // misaligned
    const r = filterPairs(pairs, { noisyShare: 2 / 62 });
    expect(r.removed.noisy).toBe(2);
    expect(r.verdicts[10]!.rule).toBe('noisy');
    expect(r.verdicts[40]!.rule).toBe('noisy');
  });

  it('rejects a share outside [0, 1)', () => {
    expect(() => filterPairs([], { noisyShare: 1 })).toThrow(/noisyShare/);
  });
});

describe('model1Scores', () => {
  it('scores a consistent translation above a shuffled one and is deterministic', () => {
    const data = parallel(30).map(([s, t]) => [pairWords(s), pairWords(t)] as [string[], string[]]);
    data.push([pairWords('eu gosto de café'), pairWords('water bread she drinks')]);
    const a = model1Scores(data);
    expect(a[a.length - 1]!).toBeLessThan(Math.min(...a.slice(0, -1)));
    expect(model1Scores(data)).toEqual(a);
  });
});
