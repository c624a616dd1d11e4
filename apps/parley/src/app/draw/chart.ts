// A line chart drawn with block characters: each column is one bucket of the series, filled from the
// bottom up to its value in eighth-row steps, with the top and bottom values labelled on the left.

const LEVELS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

export interface ChartOptions {
  /** Columns of plot area (the labels take ~8 more). */
  width: number;
  /** Rows of plot area. */
  height: number;
  /** Digits after the decimal point in the axis labels. */
  digits?: number;
}

/** Averages `values` into `n` buckets (or keeps them when there are fewer). */
export function bucket(values: readonly number[], n: number): number[] {
  if (values.length <= n) return [...values];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * values.length) / n);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / n));
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j]!;
    out.push(sum / (to - from));
  }
  return out;
}

/** The chart as `height` lines of text; an empty series draws an empty frame. */
export function chart(values: readonly number[], options: ChartOptions): string[] {
  const { width, height, digits = 2 } = options;
  const finite = values.filter(Number.isFinite);
  const series = bucket(finite, width);
  const lo = finite.length ? Math.min(...series) : 0;
  const hi = finite.length ? Math.max(...series) : 1;
  const span = hi - lo || 1;
  const top = hi.toFixed(digits);
  const bottom = lo.toFixed(digits);
  const labelWidth = Math.max(top.length, bottom.length);
  const lines: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    let line = '';
    for (const v of series) {
      // Height of this column in eighths of a row; at least one eighth so the minimum still shows.
      const eighths = Math.max(1, Math.round(((v - lo) / span) * (height * 8 - 1)) + 1);
      const inRow = Math.min(8, Math.max(0, eighths - row * 8));
      line += LEVELS[inRow];
    }
    const label = row === height - 1 ? top : row === 0 ? bottom : '';
    lines.push(`${label.padStart(labelWidth)} ┤${line.padEnd(width)}`);
  }
  return lines;
}
