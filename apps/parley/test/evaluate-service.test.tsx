// The real EvalService: @parley/metrics scores with bootstrap intervals, and a paired test for two systems.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { BLEU } from '@parley/metrics';
import { readTextLines } from '@parley/text';
import { evalService } from '../src/app/real/evaluate';
import { Evaluate } from '../src/app/screens/Evaluate';
import { TAB, settled, type, until } from './scripted';

const dir = mkdtempSync(join(tmpdir(), 'parley-app-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refs = [
  'the cat sat on the mat .',
  'a dog ran in the park .',
  'it is raining today .',
  'she reads a book every night .',
  'we went to the beach .',
  'the sun is shining .',
];
const good = [
  'the cat sat on the mat .',
  'a dog ran in a park .',
  'it rains today .',
  'she reads a book each night .',
  'we went to the beach .',
  'the sun shines .',
];
const bad = ['cat mat .', 'dog park .', 'rain .', 'book night .', 'beach .', 'sun .'];
const file = (name: string, lines: string[]) => {
  writeFileSync(join(dir, name), lines.join('\n') + '\n');
  return join(dir, name);
};
const ref = file('ref.txt', refs);
const hypGood = file('good.txt', good);
const hypBad = file('bad.txt', bad);

describe('EvalService (real metrics)', () => {
  it('scores one system with BLEU, chrF and TER, sacreBLEU signatures and bootstrap intervals', async () => {
    const r = await evalService.evaluate([hypGood], [ref]);
    const [bleu, chrf, ter] = r.systems[0]!.scores;
    expect([bleu!.name, chrf!.name, ter!.name]).toEqual(['BLEU', 'chrF2', 'TER']);
    expect(bleu!.score).toBe(new BLEU().corpusScore(good, [refs]).score);
    expect(bleu!.signature).toContain('version:2.6.0');
    expect(bleu!.ci!.halfWidth).toBeGreaterThan(0);
    expect(r.pairedTest).toBeUndefined();
  });

  it('compares two systems with paired bootstrap resampling', async () => {
    const r = await evalService.evaluate([hypBad, hypGood], [ref]);
    expect(r.pairedTest).toMatch(/paired bootstrap/);
    const better = r.systems[1]!.scores.find((s) => s.name === 'BLEU')!;
    expect(r.systems[0]!.scores[0]!.pValue).toBeUndefined();
    expect(better.score).toBeGreaterThan(r.systems[0]!.scores[0]!.score);
    expect(better.pValue).toBeGreaterThan(0);
    expect(better.pValue).toBeLessThanOrEqual(1);
  });

  it('names both files and counts when line counts differ, and the screen shows it', async () => {
    const short = file('short.txt', good.slice(0, 4));
    await expect(evalService.evaluate([short], [ref])).rejects.toThrow(`${short} has 4 lines but ${ref} has 6`);
    const { stdin, lastFrame, unmount } = render(<Evaluate service={evalService} onBack={() => {}} />);
    await settled();
    await type(stdin, short);
    await type(stdin, TAB);
    await type(stdin, ref);
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('error:'), lastFrame);
    expect(lastFrame()).toContain('has 4 lines but');
    unmount();
  });

  it('draws the table for two systems with intervals and p-values', async () => {
    const { stdin, lastFrame, unmount } = render(
      <Evaluate service={evalService} onBack={() => {}} initialHyps={`${hypBad} ${hypGood}`} initialRefs={ref} />,
    );
    await settled();
    await type(stdin, TAB);
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('p-values vs'), lastFrame, 20_000);
    const frame = lastFrame()!;
    expect(frame).toMatch(/system\s+BLEU\s+chrF2\s+TER/);
    expect(frame).toMatch(/bad\.txt \(baseline\)\s+[\d.]+ ± [\d.]+/);
    expect(frame).toMatch(/good\.txt\s+[\d.]+ ± [\d.]+\s+[\d.]+ ± [\d.]+\s+[\d.]+ ± [\d.]+/);
    expect(frame).toMatch(/p-values vs bad\.txt \(paired bootstrap resampling, n=1000; \* = p < 0\.05\)/);
    expect(frame).toMatch(/good\.txt\s+BLEU 0\.\d{4}/);
    expect(frame).toContain('version:2.6.0');
    unmount();
  });

  it('reads CRLF files and ignores a final newline', () => {
    expect(readTextLines(file('crlf.txt', ['a\r', 'b\r']))).toEqual(['a', 'b']);
  });
});
