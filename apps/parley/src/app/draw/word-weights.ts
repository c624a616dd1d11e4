// Lays out a classifier's word weights for the Classify screen: the input's words in lines that fit the width,
// each word tinted green (towards the label) or red (against it) by strength, with a shade mark (░▒▓█) under it
// so strength shows without colour too; and the strongest words each way, for reading the direction as text.
import { shade } from './heatmap';

/** A word placed on a line, with its tint and the mark drawn under it (as wide as the word). */
export interface PlacedWord {
  word: string;
  weight: number;
  /** Hex colour: grey near 0, green towards the label, red against it. */
  color: string;
  mark: string;
}

/** Strength in 0…1: |weight| over the largest |weight| of the text. */
export function strength(weight: number, max: number): number {
  return max > 0 ? Math.min(1, Math.abs(weight) / max) : 0;
}

/** Grey (#8a8a8a) blended towards green or red by strength. */
export function weightColor(weight: number, max: number): string {
  const s = strength(weight, max);
  const to = weight >= 0 ? [40, 200, 70] : [225, 55, 55];
  const hex = (grey: number, c: number) =>
    Math.round(grey + (c - grey) * s)
      .toString(16)
      .padStart(2, '0');
  return `#${hex(138, to[0]!)}${hex(138, to[1]!)}${hex(138, to[2]!)}`;
}

/** The words in lines of at most `width` columns (a longer word gets a line of its own). */
export function wordLines(words: readonly { word: string; weight: number }[], width: number): PlacedWord[][] {
  const max = Math.max(0, ...words.map((w) => Math.abs(w.weight)));
  const lines: PlacedWord[][] = [];
  let line: PlacedWord[] = [];
  let used = 0;
  for (const w of words) {
    const len = [...w.word].length;
    if (line.length && used + 1 + len > width) {
      lines.push(line);
      line = [];
      used = 0;
    }
    used += (line.length ? 1 : 0) + len;
    line.push({
      word: w.word,
      weight: w.weight,
      color: weightColor(w.weight, max),
      mark: shade(strength(w.weight, max)).repeat(len),
    });
  }
  if (line.length) lines.push(line);
  return lines;
}

/** The `n` strongest words with a positive (towards) and a negative (against) weight, strongest first. */
export function strongest<T extends { weight: number }>(words: readonly T[], n = 3): { towards: T[]; against: T[] } {
  const by = [...words].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  return {
    towards: by.filter((w) => w.weight > 0).slice(0, n),
    against: by.filter((w) => w.weight < 0).slice(0, n),
  };
}
