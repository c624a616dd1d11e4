// `parley eval`: sacreBLEU's command line on @parley/metrics. A sacrebleu command line works
// unchanged after `parley eval`: reference files are positional, hypotheses come with -i (several
// for multi-system tables and paired tests) or on stdin, and the output is sacreBLEU 2.6.0's.
// Its options are declared once, in FLAGS (argparse-style: sacreBLEU's short names such as -tok, several values
// after -i and -m), which the parser and --help read; defineCommand's flags could not spell them.
import { createReadStream } from 'node:fs';
import { errorMessage } from '@parley/engine/errors';
import { CorpusError, readLinesFrom } from '@parley/text/lines';
import {
  SACREBLEU_VERSION,
  evaluate,
  formatReport,
  TOKENIZERS,
  type EvalOptions,
  type EvalReport,
  type MetricKey,
  type SmoothMethod,
  type TokenizerName,
} from '@parley/metrics';
import type { Command } from '../cli';

/** An error to print as `sacreBLEU: <message>` with exit code 1 (2 for an EvalUsageError). */
export class EvalError extends Error {}
/** A wrong command line (as argparse: exit code 2). */
export class EvalUsageError extends EvalError {}

// ---------------------------------------------------------------------------------------------
// Reading text

/**
 * Reads a file (or stdin when `path` is undefined or '-') as lines, as sacreBLEU does: @parley/text's line reader
 * in its `verbatim` mode (split at `\n` only, decoded strictly in `encoding`, a BOM or `\r` kept), then Python's
 * `rstrip()` (trailing whitespace, `\r` included). Invalid input names the file and line.
 */
export async function readLines(path: string | undefined, encoding = 'utf-8'): Promise<string[]> {
  const name = path === undefined || path === '-' ? '<stdin>' : path;
  try {
    new TextDecoder(encoding);
  } catch {
    throw new EvalError(`unknown encoding '${encoding}'`);
  }
  const lines: string[] = [];
  try {
    const source = name === '<stdin>' ? process.stdin : createReadStream(name);
    for await (const { text } of readLinesFrom(source, name, { verbatim: true, encoding })) lines.push(pyRstrip(text));
  } catch (err) {
    if (err instanceof CorpusError) throw new EvalError(`${name}: line ${err.line} is not valid ${encoding}`);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new EvalError(`${name}: no such file`);
    if (code === 'EISDIR') throw new EvalError(`${name}: is a directory`);
    throw new EvalError(`${name}: ${errorMessage(err)}`);
  }
  return lines;
}

const TRAILING_WS = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/u;
function pyRstrip(s: string): string {
  return s.replace(TRAILING_WS, '');
}

// ---------------------------------------------------------------------------------------------
// Arguments (sacreBLEU's names)

/** Parsed command line. */
export interface EvalArgs {
  refs: string[];
  inputs: string[] | undefined;
  options: EvalOptions;
  numRefs: number;
  encoding: string;
  format: 'json' | 'text';
  width: number;
  scoreOnly: boolean;
  short: boolean;
  quiet: boolean;
  version: boolean;
  help: boolean;
  noColor: boolean;
}

/** Reads a flag's argument(s) from the command line. */
interface Take {
  /** The one argument (usage error when there is none). */
  one(): string;
  /** Every argument up to the next option (several files, several metrics). */
  many(): string[];
}

/** One of sacreBLEU's options: declared once here; the parser, its short names and --help come from this table. */
interface EvalFlag {
  /** The long name, then the short ones (sacreBLEU's: -tok, -nr, …). */
  names: readonly [string, ...string[]];
  /** The argument as --help shows it (none: a switch). */
  arg?: string;
  help: string;
  /** The metric whose section of --help lists it (none: the general options). */
  metric?: 'BLEU' | 'chrF' | 'TER';
  /** Applies the flag; `name` is how errors call it (`--width/-w`). */
  set(a: EvalArgs, take: Take, name: string): void;
}

/** sacreBLEU's test-set options: parley eval scores the files it is given. */
const unsupported = (_a: EvalArgs, _t: Take, name: string): never => {
  throw new EvalError(
    `${name.split('/')[0]} is not supported by parley eval: pass reference files (no test-set downloads)`,
  );
};

const FLAGS: readonly EvalFlag[] = [
  {
    names: ['--input', '-i'],
    arg: 'FILE ...',
    help: 'hypothesis files (several: multi-system table / paired tests)',
    set: (a, t) => (a.inputs = t.many()),
  },
  {
    names: ['--metrics', '-m'],
    arg: '{bleu,chrf,ter} ...',
    help: 'metrics (default: bleu)',
    set: (a, t, name) => {
      const ms = t.many();
      if (ms.length === 0) throw new EvalError(`argument ${name}: expected at least one argument`);
      a.options.metrics = ms.map((m) => choice(name, m, ['bleu', 'chrf', 'ter'] as const)) as MetricKey[];
    },
  },
  {
    names: ['--format', '-f'],
    arg: '{json,text}',
    help: 'output format (default: json)',
    set: (a, t, name) => {
      const f = t.one();
      if (f === 'latex') throw new EvalError('--format latex is not supported by parley eval (use json or text)');
      a.format = choice(name, f, ['json', 'text'] as const);
    },
  },
  {
    names: ['--width', '-w'],
    arg: 'N',
    help: 'decimal places (default: 1)',
    set: (a, t, n) => (a.width = intArg(n, t.one(), 0, 100)),
  },
  { names: ['--score-only', '-b'], help: 'print only the scores', set: (a) => (a.scoreOnly = true) },
  { names: ['--short', '-sh'], help: 'short signatures', set: (a) => (a.short = true) },
  { names: ['--quiet', '-q'], help: 'no info messages on stderr', set: (a) => (a.quiet = true) },
  {
    names: ['--no-color', '-nc'],
    help: 'no ANSI colours (also $NO_COLOR; never when piped)',
    set: (a) => (a.noColor = true),
  },
  {
    names: ['--num-refs', '-nr'],
    arg: 'N',
    help: 'references per line of a single tab-separated reference file',
    set: (a, t, n) => (a.numRefs = intArg(n, t.one(), 1)),
  },
  {
    names: ['--encoding', '-e'],
    arg: 'ENC',
    help: 'input encoding (default: utf-8); -e alone is --use-effective-order, as in sacreBLEU',
    set: (a, t) => (a.encoding = t.one()),
  },
  {
    names: ['--sentence-level', '-sl'],
    help: 'one score per segment (one metric)',
    set: (a) => (a.options.sentenceLevel = true),
  },
  { names: ['--confidence', '-ci'], help: 'bootstrap mean and 95% CI', set: (a) => (a.options.confidence = true) },
  {
    names: ['--confidence-n', '-cin'],
    arg: 'N',
    help: 'bootstrap resamples (default: 1000)',
    set: (a, t, n) => (a.options.confidenceN = intArg(n, t.one(), 1)),
  },
  { names: ['--paired-bs', '-pbs'], help: 'paired bootstrap resampling', set: (a) => (a.options.pairedBs = true) },
  {
    names: ['--paired-bs-n', '-pbsn'],
    arg: 'N',
    help: 'paired bootstrap resamples (default: 1000)',
    set: (a, t, n) => (a.options.pairedBsN = intArg(n, t.one(), 1)),
  },
  {
    names: ['--paired-ar', '-par'],
    help: 'paired approximate randomization',
    set: (a) => (a.options.pairedAr = true),
  },
  {
    names: ['--paired-ar-n', '-parn'],
    arg: 'N',
    help: 'approximate randomization trials (default: 10000)',
    set: (a, t, n) => (a.options.pairedArN = intArg(n, t.one(), 1)),
  },
  {
    names: ['--paired-jobs', '-j'],
    arg: 'N',
    help: 'accepted for compatibility (the tests run in this process)',
    set: (_, t, n) => void intArg(n, t.one(), 0),
  },
  { names: ['--version', '-V'], help: 'print the version', set: (a) => (a.version = true) },
  { names: ['--help', '-h'], help: 'show this help', set: (a) => (a.help = true) },
  ...[
    '--test-set/-t',
    '--language-pair/-l',
    '--origlang',
    '--subset',
    '--download',
    '--echo',
    '--list',
    '--citation',
    '--detail/-d',
  ].map((n): EvalFlag => ({ names: n.split('/') as [string, ...string[]], help: '', set: unsupported })),
  {
    names: ['--tokenize', '-tok'],
    arg: `{${TOKENIZERS.join(',')}}`,
    help: 'tokenizer',
    metric: 'BLEU',
    set: (a, t, n) => (bleu(a).tokenize = choice(n, t.one(), TOKENIZERS) as TokenizerName),
  },
  {
    names: ['--smooth-method', '-s'],
    arg: '{none,floor,add-k,exp}',
    help: 'smoothing',
    metric: 'BLEU',
    set: (a, t, n) =>
      (bleu(a).smoothMethod = choice(n, t.one(), ['none', 'floor', 'add-k', 'exp'] as const) as SmoothMethod),
  },
  {
    names: ['--smooth-value', '-sv'],
    arg: 'X',
    help: 'smoothing value',
    metric: 'BLEU',
    set: (a, t, n) => (bleu(a).smoothValue = floatArg(n, t.one(), 0)),
  },
  { names: ['--lowercase', '-lc'], help: 'lowercase', metric: 'BLEU', set: (a) => (bleu(a).lowercase = true) },
  { names: ['--force'], help: 'score tokenized input anyway', metric: 'BLEU', set: (a) => (bleu(a).force = true) },
  {
    names: ['--use-effective-order'],
    help: 'effective n-gram order (sentence BLEU)',
    metric: 'BLEU',
    set: (a) => (bleu(a).effectiveOrder = true),
  },
  {
    names: ['--max-ngram-order'],
    arg: 'N',
    help: 'highest n-gram order (1-4)',
    metric: 'BLEU',
    set: (a, t, n) => (bleu(a).maxNgramOrder = intArg(n, t.one(), 1, 4)),
  },
  {
    names: ['--chrf-char-order', '-cc'],
    arg: 'N',
    help: 'character n-gram order',
    metric: 'chrF',
    set: (a, t, n) => (chrf(a).charOrder = intArg(n, t.one(), 0)),
  },
  {
    names: ['--chrf-word-order', '-cw'],
    arg: 'N',
    help: 'word n-gram order (2 = chrF++)',
    metric: 'chrF',
    set: (a, t, n) => (chrf(a).wordOrder = intArg(n, t.one(), 0)),
  },
  {
    names: ['--chrf-beta'],
    arg: 'N',
    help: 'recall weight β',
    metric: 'chrF',
    set: (a, t, n) => (chrf(a).beta = intArg(n, t.one(), 0)),
  },
  { names: ['--chrf-whitespace'], help: 'keep whitespace', metric: 'chrF', set: (a) => (chrf(a).whitespace = true) },
  { names: ['--chrf-lowercase'], help: 'lowercase', metric: 'chrF', set: (a) => (chrf(a).lowercase = true) },
  {
    names: ['--chrf-eps-smoothing'],
    help: 'epsilon smoothing',
    metric: 'chrF',
    set: (a) => (chrf(a).epsSmoothing = true),
  },
  { names: ['--ter-case-sensitive'], help: 'case-sensitive', metric: 'TER', set: (a) => (ter(a).caseSensitive = true) },
  { names: ['--ter-asian-support'], help: 'Asian scripts', metric: 'TER', set: (a) => (ter(a).asianSupport = true) },
  { names: ['--ter-no-punct'], help: 'remove punctuation', metric: 'TER', set: (a) => (ter(a).noPunct = true) },
  { names: ['--ter-normalized'], help: 'normalize', metric: 'TER', set: (a) => (ter(a).normalized = true) },
];

const bleu = (a: EvalArgs) => (a.options.bleu ??= {});
const chrf = (a: EvalArgs) => (a.options.chrf ??= {});
const ter = (a: EvalArgs) => (a.options.ter ??= {});

/** Every name (long and short) → its flag. */
const BY_NAME = new Map(FLAGS.flatMap((f) => f.names.map((n) => [n, f] as const)));

/** --help, from FLAGS. */
function usage(): string {
  const line = (f: EvalFlag) => {
    const left = `  ${[...f.names.slice(1), f.names[0]].join(', ')}${f.arg ? ` ${f.arg}` : ''}`;
    return left.length < 32 ? `${left.padEnd(32)} ${f.help}` : `${left}\n${' '.repeat(33)}${f.help}`;
  };
  const shown = FLAGS.filter((f) => f.set !== unsupported);
  const sections = [
    shown.filter((f) => !f.metric).map(line),
    ...(['BLEU', 'chrF', 'TER'] as const).map((m) => [` ${m}:`, ...shown.filter((f) => f.metric === m).map(line)]),
  ];
  return (
    'usage: parley eval [REFS ...] [-i INPUT [INPUT ...]] [-m {bleu,chrf,ter} ...] [options]\n\n' +
    "sacreBLEU 2.6.0's command line: scores hypotheses (-i, or stdin) against reference files.\n" +
    sections.map((l) => l.join('\n')).join('\n') +
    '\n $SACREBLEU_SEED sets the seed of the resampling tests (default 12345).\n'
  );
}

const ENCODING_LIKE = /^(utf-?8|utf-?16(le|be)?|latin-?1|iso-?8859-\d+|ascii|us-ascii|cp\d+|windows-\d+)$/i;

/** An integer argument in [min, max]. */
function intArg(flag: string, v: string | undefined, min: number, max = Infinity): number {
  if (v === undefined || !/^-?\d+$/.test(v))
    throw new EvalUsageError(`argument ${flag}: expected an integer, got '${v ?? ''}'`);
  const x = Number(v);
  if (x < min || x > max)
    throw new EvalUsageError(
      `argument ${flag}: must be ${max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`}, got ${v}`,
    );
  return x;
}

/** A number argument ≥ min. */
function floatArg(flag: string, v: string | undefined, min: number): number {
  const x = Number(v);
  if (v === undefined || v.trim() === '' || !Number.isFinite(x))
    throw new EvalUsageError(`argument ${flag}: expected a number, got '${v ?? ''}'`);
  if (x < min) throw new EvalUsageError(`argument ${flag}: must be ≥ ${min}, got ${v}`);
  return x;
}

function choice<T extends string>(flag: string, v: string | undefined, choices: readonly T[]): T {
  if (v === undefined || !choices.includes(v as T)) {
    throw new EvalUsageError(
      `argument ${flag}: invalid choice: '${v ?? ''}' (choose from ${choices.map((c) => `'${c}'`).join(', ')})`,
    );
  }
  return v as T;
}

export function parseArgs(argv: string[]): EvalArgs {
  const a: EvalArgs = {
    refs: [],
    inputs: undefined,
    options: { bleu: {}, chrf: {}, ter: {} },
    numRefs: 1,
    encoding: 'utf-8',
    format: 'json',
    width: 1,
    scoreOnly: false,
    short: false,
    quiet: false,
    version: false,
    help: false,
    noColor: false,
  };
  let i = 0;
  const isOption = (s: string | undefined) => s !== undefined && s.startsWith('-') && s !== '-' && !/^-\d/.test(s);
  while (i < argv.length) {
    const raw = argv[i++]!;
    if (!isOption(raw)) {
      a.refs.push(raw);
      continue;
    }
    const [given, inline] =
      raw.startsWith('--') && raw.includes('=')
        ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)]
        : [raw, undefined];
    if (inline !== undefined) argv.splice(i, 0, inline);
    // sacreBLEU's -e is --encoding; `-e` alone (or before another option) asks for effective order.
    const name = given === '-e' && !(i < argv.length && ENCODING_LIKE.test(argv[i]!)) ? '--use-effective-order' : given;
    const flag = BY_NAME.get(name);
    if (!flag) throw new EvalUsageError(`unrecognized arguments: ${raw}`);
    const take: Take = {
      one: () => {
        const v = argv[i++];
        if (v === undefined) throw new EvalUsageError(`argument ${flag.names[0]}: expected one argument`);
        return v;
      },
      many: () => {
        const out: string[] = [];
        while (i < argv.length && !isOption(argv[i])) out.push(argv[i++]!);
        return out;
      },
    };
    flag.set(a, take, flag.names.join('/'));
  }
  const o = a.options;
  if (o.pairedBs && o.pairedAr) throw new EvalError('--paired-bs and --paired-ar cannot be used together.');
  return a;
}

// ---------------------------------------------------------------------------------------------
// Running

/** Reads the files named by `args` and evaluates them (info messages go to `log`). */
export async function evalFiles(args: EvalArgs, log: (m: string) => void = () => {}): Promise<EvalReport> {
  if (args.refs.length === 0) throw new EvalError('no reference files given (pass them as positional arguments)');
  const refFiles = await Promise.all(args.refs.map((r) => readLines(r, args.encoding)));
  let refs: Array<Array<string | null>>;
  if (args.numRefs > 1) {
    if (refFiles.length > 1) throw new EvalError('--num-refs needs a single tab-separated reference file');
    refs = Array.from({ length: args.numRefs }, () => []);
    refFiles[0]!.forEach((line, n) => {
      const fields = line.split('\t');
      if (fields.length !== args.numRefs) {
        throw new EvalError(
          `${args.refs[0]}: line ${n + 1} has ${fields.length} tab-separated fields, expected ${args.numRefs} (--num-refs)`,
        );
      }
      fields.forEach((f, k) => refs[k]!.push(f));
    });
  } else refs = refFiles;
  const inputs = args.inputs === undefined || args.inputs.length === 0 ? ['-'] : args.inputs;
  const systems = [];
  for (const file of inputs)
    systems.push({ name: file === '-' ? '<stdin>' : file, hyps: await readLines(file, args.encoding) });
  for (const s of systems) {
    refs.forEach((r, k) => {
      if (r.length !== s.hyps.length) {
        throw new EvalError(
          `System and reference streams have different lengths: ${s.name} has ${s.hyps.length} lines, ` +
            `${args.numRefs > 1 ? `${args.refs[0]} (field ${k + 1})` : args.refs[k]} has ${r.length} lines.`,
        );
      }
    });
    if (s.hyps.length === 0) throw new EvalError(`${s.name} and the references are empty: nothing to score.`);
  }
  if (systems.length > 1) log(`Found ${systems.length} systems.`);
  try {
    return evaluate(systems, refs, { ...args.options, log });
  } catch (err) {
    throw new EvalError(errorMessage(err));
  }
}

export const command: Command = {
  summary: "score translations with sacreBLEU's BLEU / chrF / TER (same arguments and output as sacrebleu)",
  async run(argv) {
    try {
      const args = parseArgs([...argv]);
      if (args.help) {
        process.stdout.write(usage());
        return 0;
      }
      if (args.version) {
        process.stdout.write(`sacrebleu ${SACREBLEU_VERSION}\n`);
        return 0;
      }
      const log = args.quiet ? () => {} : (m: string) => process.stderr.write(`sacreBLEU: ${m}\n`);
      const report = await evalFiles(args, log);
      // Colours only on a terminal, unless --no-color or $NO_COLOR (as sacreBLEU).
      const color = !!process.stdout.isTTY && !args.noColor && !process.env.NO_COLOR;
      process.stdout.write(
        formatReport(report, {
          format: args.format,
          width: args.width,
          scoreOnly: args.scoreOnly,
          short: args.short,
          color,
        }),
      );
      return 0;
    } catch (err) {
      if (!(err instanceof EvalError)) throw err;
      process.stderr.write(`sacreBLEU: ${err.message}\n`);
      return err instanceof EvalUsageError ? 2 : 1;
    }
  },
};
