// Evaluate in label mode: classifier predictions against gold labels with the real scoring, and the confusion
// matrix drawn as a heatmap with the right counts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { evalService } from '../src/app/real/evaluate';
import { readLabels } from '../src/app/real/evaluate-labels';
import { Evaluate } from '../src/app/screens/Evaluate';
import { ESC, RIGHT, TAB, settled, type, until } from './scripted';

const dir = mkdtempSync(join(tmpdir(), 'parley-app-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, lines: string[]) => {
  writeFileSync(join(dir, name), lines.join('\n') + '\n');
  return join(dir, name);
};

// True label → predicted: business 3→business, 1→sports; politics-and-government 2→itself, 2→business; sports 2→itself.
const gold = ['business', 'business', 'business', 'business', 'politics-and-government', 'politics-and-government'];
gold.push('politics-and-government', 'politics-and-government', 'sports', 'sports');
const pred = ['business', 'business', 'business', 'sports', 'politics-and-government', 'politics-and-government'];
pred.push('business', 'business', 'sports', 'sports');
const goldFile = file('gold.txt', gold);
// `parley classify --with-score` output: label, tab, probability.
const predFile = file(
  'pred.txt',
  pred.map((l, i) => `${l}\t0.${i}`),
);

describe('Evaluate: labels', () => {
  it('scores predictions against gold labels with the confusion matrix', async () => {
    const r = await evalService.evaluateLabels([predFile], goldFile);
    expect(r.labels).toEqual(['business', 'politics-and-government', 'sports']);
    expect(r.systems[0]!.accuracy).toBeCloseTo(0.7, 10);
    expect(r.systems[0]!.confusion).toEqual([
      [3, 0, 1],
      [2, 2, 0],
      [0, 0, 2],
    ]);
  });

  it('names the file and line of an empty label, and both files when line counts differ', async () => {
    const blank = file('blank.txt', ['pos', '', 'neg']);
    expect(() => readLabels(blank)).toThrow(`${blank}:2: empty label`);
    const short = file('short.txt', pred.slice(0, 3));
    await expect(evalService.evaluateLabels([short], goldFile)).rejects.toThrow(
      `${short} has 3 lines but ${goldFile} has 10`,
    );
  });

  it('switches to labels with →, draws the heatmap with the counts, and goes back with Esc', async () => {
    let back = false;
    const { stdin, lastFrame, unmount } = render(
      <Evaluate service={evalService} onBack={() => (back = true)} initialHyps={predFile} initialRefs={goldFile} />,
    );
    await settled();
    await type(stdin, RIGHT);
    expect(lastFrame()).toContain('‹ labels ›');
    expect(lastFrame()).toContain('predictions');
    expect(lastFrame()).toContain('gold labels');
    await type(stdin, TAB);
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('confusion matrix of pred.txt'), lastFrame);
    const frame = lastFrame()!;
    expect(frame).toMatch(/pred\.txt\s+70\.00\s+[\d.]+\s+[\d.]+/);
    // Rows are true labels; each count carries its row share's shade (3 of 4 → █, 2 of 4 → ▓, 1 of 4 → ▒, 0 → blank).
    expect(frame).toMatch(/^business\s+██ 3\s+0\s+▒▒ 1$/m);
    expect(frame).toMatch(/^politics-and-\S*\s+▓▓ 2\s+▓▓ 2\s+0$/m);
    expect(frame).toMatch(/^sports\s+0\s+0\s+██ 2$/m);
    expect(frame).toContain('rows: true label · columns: predicted');
    await type(stdin, ESC);
    await until(() => back, lastFrame);
    unmount();
  });
});
