// Shared helpers for `npm run bench`: timing, medians, table and JSON output.

/** One measurement: a case of a suite on one backend, with an optional baseline from the same run. */
export interface Measurement {
  suite: string;
  case: string;
  backend: string;
  [metric: string]: unknown;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns the median seconds per run. */
export async function timeMedian(fn: () => unknown | Promise<unknown>, runs = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** Prints measurements as a JSON array (`--json`) or as a readable table. */
export function report(measurements: Measurement[], json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(measurements, null, 2) + '\n');
    return;
  }
  const rows = measurements.map((m) =>
    Object.entries(m)
      .filter(([k]) => k !== 'suite')
      .map(
        ([k, v]) =>
          `${k}=${typeof v === 'number' ? formatNumber(v) : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
      )
      .join('  '),
  );
  process.stdout.write(rows.join('\n') + '\n');
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v.toPrecision(3);
}
