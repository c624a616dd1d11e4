// Shared helpers for `npm run bench`: timing, medians, table and JSON output, and the suites' command lines, which
// each suite declares once and parses with the parley CLI's own parser (apps/parley/src/command.ts), so flags
// are typed, checked and listed by `npm run bench -- <suite> --help` the way `parley` commands' are.
import { errorMessage } from '@parley/engine/errors';
import {
  parseCommandLine,
  usageText,
  type CommandSpec,
  type OptionSpecs,
  type Parsed,
  type PositionalSpec,
} from '../apps/parley/src/command';

/** How a suite is started, before its name (bench/run.ts). */
const PROGRAM = 'npm run bench --';

/** What bench/run.ts takes for every suite (and removes before the suite's own flags), shown in each --help. */
const COMMON = { json: { type: 'boolean', help: 'print one JSON array on stdout instead of a table' } } as const;

/** A suite's command-line declaration (`name` is the suite): what suiteArgs parses and --help shows. */
export function suiteSpec<const O extends OptionSpecs>(name: string, summary: string, options: O): CommandSpec<O, []> {
  return { name, summary, options };
}

/** The `--runs N` option every timing suite has: `fallback` timed runs per case, whose median is reported. */
export function runsOption<const D extends number>(fallback: D, help = 'timed runs per case (medians are reported)') {
  return { type: 'int', min: 1, default: fallback, help } as const;
}

/**
 * A suite's options, parsed against its declaration (`spec.name` is the suite): `--help` prints the usage text
 * generated from it and exits 0; a wrong command line prints `bench <suite>: problem` and exits 2.
 */
export function suiteArgs<const O extends OptionSpecs, const P extends readonly PositionalSpec[] = []>(
  spec: CommandSpec<O, P>,
  args: readonly string[],
): Parsed<O, P> {
  const full = { ...spec, options: { ...spec.options, ...COMMON } };
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usageText(full as CommandSpec<OptionSpecs, readonly PositionalSpec[]>, PROGRAM));
    process.exit(0);
  }
  try {
    return parseCommandLine(spec, args);
  } catch (err) {
    process.stderr.write(`bench ${spec.name}: ${errorMessage(err)}\nRun '${PROGRAM} ${spec.name} --help' for usage.\n`);
    process.exit(2);
  }
}

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
