// The attention heatmap: target tokens down the side, source tokens across the top, each cell shaded
// by the attention weight (blank ░ ▒ ▓ █) and, where the terminal has colour, tinted from blue to red.

export const SHADES = [' ', '░', '▒', '▓', '█'];

export interface HeatCell {
  /** The cell's characters (the shade repeated to the column width). */
  text: string;
  weight: number;
  /** A colour for the weight (hex), for terminals that show colour. */
  color: string;
}

export interface HeatRow {
  /** Target token, padded to the label column. */
  label: string;
  cells: HeatCell[];
}

export interface Heatmap {
  /** The header line: source tokens, each fitted to its column. */
  header: string;
  rows: HeatRow[];
  /** Source tokens that did not fit the width (the map shows the first ones). */
  hiddenColumns: number;
}

/** The shade for an attention weight in 0…1. */
export function shade(weight: number): string {
  const w = Math.min(1, Math.max(0, weight));
  if (w < 0.05) return SHADES[0]!;
  return SHADES[Math.min(4, 1 + Math.floor(w * 4))]!;
}

/** A blue → yellow → red ramp for weights in 0…1. */
export function heatColor(weight: number): string {
  const w = Math.min(1, Math.max(0, weight));
  const r = Math.round(w < 0.5 ? 60 + w * 2 * 195 : 255);
  const g = Math.round(w < 0.5 ? 80 + w * 2 * 150 : 230 - (w - 0.5) * 2 * 180);
  const b = Math.round(w < 0.5 ? 200 - w * 2 * 150 : 50);
  const hex = (x: number) => x.toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text.padEnd(width) : chars.slice(0, width - 1).join('') + '…';
}

/**
 * Lays out `attention[t][s]` for drawing within `maxWidth` columns.
 * @param cellWidth characters per source column (labels are cut to fit)
 */
export function heatmap(
  sourceTokensIn: readonly string[],
  targetTokensIn: readonly string[],
  attention: readonly (readonly number[])[],
  maxWidth = 100,
  cellWidth = 6,
): Heatmap {
  // Subword tokens may carry their word-initial space; a blank token is shown as ␣.
  const label = (t: string) => t.trim() || '␣';
  const sourceTokens = sourceTokensIn.map(label);
  const targetTokens = targetTokensIn.map(label);
  const labelWidth = Math.min(14, Math.max(4, ...targetTokens.map((t) => [...t].length))) + 1;
  const columns = Math.max(1, Math.min(sourceTokens.length, Math.floor((maxWidth - labelWidth) / cellWidth)));
  const header =
    ' '.repeat(labelWidth) +
    sourceTokens
      .slice(0, columns)
      .map((s) => fit(s, cellWidth - 1) + ' ')
      .join('');
  const rows = targetTokens.map((t, ti) => ({
    label: fit(t, labelWidth - 1) + ' ',
    cells: sourceTokens.slice(0, columns).map((_, si) => {
      const weight = attention[ti]?.[si] ?? 0;
      return { text: shade(weight).repeat(cellWidth - 1) + ' ', weight, color: heatColor(weight) };
    }),
  }));
  return { header: header.trimEnd(), rows, hiddenColumns: sourceTokens.length - columns };
}
