// A horizontal progress bar in eighth-cell resolution: `bar(0.42, 10)` → `████▏     `.

const PARTIALS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * Draws `fraction` (clamped to 0…1) of a bar `width` cells wide, padded with `empty`.
 * @param empty the character of the unfilled part (a space, or `░` to show the track)
 */
export function bar(fraction: number, width: number, empty = '░'): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIALS[eighths % 8]!;
  const filled = '█'.repeat(full) + partial;
  return filled + empty.repeat(Math.max(0, width - full - (partial ? 1 : 0)));
}

/** Seconds as `1:02:03` or `2:03`; `--:--` when unknown. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** A count in a few characters: 950, 12.3k, 4.56M. */
export function compact(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(a >= 1e7 ? 1 : 2)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(a >= 1e4 ? 1 : 2)}k`;
  return a >= 100 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
}
