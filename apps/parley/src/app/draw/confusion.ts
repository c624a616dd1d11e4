// Lays out a confusion matrix as a terminal heatmap for the Evaluate screen: true labels down, predicted labels
// across, each cell shaded (░▒▓█, and tinted where the terminal has colour) by its share of the row, with the
// count printed. Labels are abbreviated so that the matrix fits the width.
import { heatColor, shade } from './heatmap';

export interface ConfusionCell {
  count: number;
  /** count / the row's total (0 for an empty row). */
  share: number;
  /** The shade mark and the count, padded to the column. */
  text: string;
  color: string;
}

export interface ConfusionLayout {
  /** The header line: the predicted labels, abbreviated to the column width. */
  header: string;
  rows: { label: string; cells: ConfusionCell[]; total: number }[];
  /** Labels as shown, for the legend when they were cut. */
  shown: string[];
  abbreviated: boolean;
}

/** `label` in at most `width` characters: whole, or its start and a `…`. */
export function abbreviate(label: string, width: number): string {
  const chars = [...label];
  if (chars.length <= width) return label;
  return width <= 1 ? chars.slice(0, width).join('') : chars.slice(0, width - 1).join('') + '…';
}

/**
 * Lays out `matrix[true][predicted]` within `maxWidth` columns. Each cell is two shade marks, a space and the
 * count, right-aligned; columns widen (up to 12) to show labels whole when there is room, and labels are cut to the cell otherwise.
 */
export function confusionLayout(
  labels: readonly string[],
  matrix: readonly (readonly number[])[],
  maxWidth = 100,
): ConfusionLayout {
  const digits = Math.max(1, ...matrix.flat().map((c) => String(c).length));
  const minCell = 3 + digits;
  const longest = Math.max(1, ...labels.map((l) => [...l].length));
  const k = Math.max(1, labels.length);
  // Room for the row labels (at most 14 wide) and k columns separated by a space.
  let labelWidth = Math.min(14, longest);
  let cell = Math.max(minCell, Math.min(longest, 12, Math.floor((maxWidth - labelWidth - 1) / k) - 1));
  if (labelWidth + 1 + k * (cell + 1) > maxWidth) labelWidth = Math.max(4, maxWidth - 1 - k * (cell + 1));
  cell = Math.max(minCell, cell);
  const shown = labels.map((l) => abbreviate(l, cell));
  const header = ' '.repeat(labelWidth + 1) + shown.map((l) => l.padStart(cell)).join(' ');
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return {
      label: abbreviate(labels[i] ?? '', labelWidth).padEnd(labelWidth),
      total,
      cells: row.map((count) => {
        const share = total > 0 ? count / total : 0;
        const mark = shade(share).repeat(2);
        return { count, share, text: `${mark} ${count}`.padStart(cell), color: heatColor(share) };
      }),
    };
  });
  return {
    header: header.trimEnd(),
    rows,
    shown,
    abbreviated: shown.some((s, i) => s !== labels[i]) || rows.some((r, i) => r.label.trim() !== labels[i]),
  };
}
