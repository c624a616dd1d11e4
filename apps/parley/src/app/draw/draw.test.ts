import { describe, expect, it } from 'vitest';
import { bar, duration } from './bar';
import { bucket, chart } from './chart';
import { abbreviate, confusionLayout } from './confusion';
import { heatmap, shade } from './heatmap';
import { strongest, weightColor, wordLines } from './word-weights';

describe('bar', () => {
  it('fills the fraction of the width in eighth cells', () => {
    expect(bar(0, 4)).toBe('░░░░');
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(0.5 + 1 / 32, 4)).toBe('██▏░');
    expect(bar(2, 3)).toBe('███');
  });
  it('formats durations', () => {
    expect(duration(65)).toBe('1:05');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(undefined)).toBe('--:--');
  });
});

describe('chart', () => {
  it('draws a falling curve high on the left and low on the right, labelled with its range', () => {
    const lines = chart([4, 3, 2, 1], { width: 4, height: 2, digits: 1 });
    expect(lines).toHaveLength(2);
    // 16 eighths of height between 1 and 4: 4 → 16, 3 → 11, 2 → 6, 1 → 1 (the minimum still shows).
    expect(lines[0]).toBe('4.0 ┤█▃  ');
    expect(lines[1]).toBe('1.0 ┤██▆▁');
  });
  it('averages long series into the width', () => {
    expect(bucket([1, 3, 5, 7], 2)).toEqual([2, 6]);
    expect(
      chart(
        Array.from({ length: 1000 }, (_, i) => i),
        { width: 10, height: 3 },
      )[0],
    ).toHaveLength('999.00 ┤'.length + 10);
  });
});

describe('heatmap', () => {
  it('shades each cell by its weight and labels rows and columns', () => {
    expect([shade(0), shade(0.2), shade(0.4), shade(0.6), shade(1)]).toEqual([' ', '░', '▒', '▓', '█']);
    const map = heatmap(
      ['o', 'gato'],
      ['the', 'cat'],
      [
        [0.9, 0.1],
        [0.3, 0.7],
      ],
    );
    expect(map.header).toMatch(/^\s+o\s+gato$/);
    expect(map.rows.map((r) => r.label.trim())).toEqual(['the', 'cat']);
    expect(map.rows[0]!.cells.map((c) => c.text.trim())).toEqual(['█████', '░░░░░']);
    expect(map.rows[1]!.cells.map((c) => c.text.trim())).toEqual(['▒▒▒▒▒', '▓▓▓▓▓']);
    expect(map.rows[0]!.cells[0]!.color).not.toBe(map.rows[0]!.cells[1]!.color);
  });
  it('labels subword tokens without their leading space', () => {
    const map = heatmap([' gost', 'o', ' '], [' like'], [[0.5, 0.5, 0]]);
    expect(map.header).toMatch(/^\s+gost\s+o\s+␣$/);
    expect(map.rows[0]!.label.trim()).toBe('like');
  });
  it('keeps to the width and says how many source tokens it left out', () => {
    const src = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const map = heatmap(src, ['x'], [src.map(() => 1 / 30)], 60);
    expect(map.hiddenColumns).toBeGreaterThan(0);
    expect(map.rows[0]!.label.length + map.rows[0]!.cells.length * 6).toBeLessThanOrEqual(60);
  });
});

describe('confusion matrix layout', () => {
  const labels = ['business', 'sports', 'politics-and-government'];
  const matrix = [
    [8, 1, 1],
    [0, 10, 0],
    [2, 3, 5],
  ];
  it('shades each cell by its share of the row and prints the count', () => {
    const m = confusionLayout(labels, matrix, 100);
    expect(m.rows.map((r) => r.total)).toEqual([10, 10, 10]);
    expect(m.rows[1]!.cells.map((c) => c.share)).toEqual([0, 1, 0]);
    expect(m.rows[1]!.cells[1]!.text.trim()).toBe('██ 10');
    expect(m.rows[0]!.cells[0]!.text.trim()).toBe('██ 8'); // 0.8 → the darkest shade
    expect(m.rows[2]!.cells[2]!.text.trim()).toBe('▓▓ 5');
    expect(m.rows[1]!.cells[0]!.text.trim()).toBe('0');
  });
  it('abbreviates labels to fit a narrow width, and says so', () => {
    const m = confusionLayout(labels, matrix, 40);
    expect(m.abbreviated).toBe(true);
    for (const r of m.rows)
      expect(r.label.length + 1 + r.cells.map((c) => c.text).join(' ').length).toBeLessThanOrEqual(40);
    expect(m.header).toContain('…');
    expect(abbreviate('politics', 4)).toBe('pol…');
    expect(abbreviate('neg', 4)).toBe('neg');
  });
});

describe('word weights layout', () => {
  const words = [
    { word: 'a', weight: 0 },
    { word: 'wonderful', weight: 0.8 },
    { word: 'but', weight: -0.2 },
    { word: 'dull', weight: -0.4 },
  ];
  it('wraps words to the width, marking each with a shade as wide as the word', () => {
    const lines = wordLines(words, 12);
    expect(lines.map((l) => l.map((w) => w.word).join(' '))).toEqual(['a wonderful', 'but dull']);
    expect(lines[0]!.map((w) => w.mark)).toEqual([' ', '█████████']);
    expect(lines[1]!.map((w) => w.mark)).toEqual(['▒▒▒', '▓▓▓▓']);
  });
  it('tints towards green and against red, grey near zero', () => {
    expect(weightColor(0.8, 0.8)).toBe('#28c846');
    expect(weightColor(-0.8, 0.8)).toBe('#e13737');
    expect(weightColor(0, 0.8)).toBe('#8a8a8a');
  });
  it('lists the strongest words each way', () => {
    const top = strongest(words, 1);
    expect(top.towards.map((w) => w.word)).toEqual(['wonderful']);
    expect(top.against.map((w) => w.word)).toEqual(['dull']);
  });
});
