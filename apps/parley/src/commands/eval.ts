// `parley eval`: sacreBLEU's command line on @parley/metrics. A sacrebleu command line works
// unchanged after `parley eval`: reference files are positional, hypotheses come with -i (several
// for multi-system tables and paired tests) or on stdin, and the output is sacreBLEU 2.6.0's.
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

const USAGE = `usage: parley eval [REFS ...] [-i INPUT [INPUT ...]] [-m {bleu,chrf,ter} ...] [options]

sacreBLEU 2.6.0's command line: scores hypotheses (-i, or stdin) against reference files.
  -i, --input FILE ...          hypothesis files (several: multi-system table / paired tests)
  -m, --metrics {bleu,chrf,ter} metrics (default: bleu)
  -f, --format {json,text}      output format (default: json)
  -w, --width N                 decimal places (default: 1)
  -b, --score-only              print only the scores
  -sh, --short                  short signatures
  -q, --quiet                   no info messages on stderr
  -nc, --no-color               no ANSI colours (also $NO_COLOR; never when piped)
  -nr, --num-refs N             references per line of a single tab-separated reference file
  -e, --encoding ENC            input encoding (default: utf-8)
  -sl, --sentence-level         one score per segment (one metric)
  -ci, --confidence             bootstrap mean and 95% CI;  -cin, --confidence-n N (default 1000)
  -pbs, --paired-bs             paired bootstrap resampling; -pbsn, --paired-bs-n N (default 1000)
  -par, --paired-ar             paired approximate randomization; -parn, --paired-ar-n N (default 10000)
 BLEU:  -tok, --tokenize {${TOKENIZERS.join(',')}}  -s, --smooth-method {none,floor,add-k,exp}
        -sv, --smooth-value X  -lc, --lowercase  --force  --use-effective-order  --max-ngram-order N
 chrF:  -cc, --chrf-char-order N  -cw, --chrf-word-order N  --chrf-beta N  --chrf-whitespace
        --chrf-lowercase  --chrf-eps-smoothing
 TER:   --ter-case-sensitive  --ter-asian-support  --ter-no-punct  --ter-normalized
 $SACREBLEU_SEED sets the seed of the resampling tests (default 12345).
`;

const FLAG_ALIASES: Record<string, string> = {
  '-i': '--input',
  '-m': '--metrics',
  '-f': '--format',
  '-w': '--width',
  '-b': '--score-only',
  '-sh': '--short',
  '-q': '--quiet',
  '-nr': '--num-refs',
  '-sl': '--sentence-level',
  '-ci': '--confidence',
  '-cin': '--confidence-n',
  '-pbs': '--paired-bs',
  '-pbsn': '--paired-bs-n',
  '-par': '--paired-ar',
  '-parn': '--paired-ar-n',
  '-j': '--paired-jobs',
  '-tok': '--tokenize',
  '-s': '--smooth-method',
  '-sv': '--smooth-value',
  '-lc': '--lowercase',
  '-cc': '--chrf-char-order',
  '-cw': '--chrf-word-order',
  '-nc': '--no-color',
  '-V': '--version',
  '-h': '--help',
  '-t': '--test-set',
  '-l': '--language-pair',
  '-d': '--detail',
};

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
  const o = a.options;
  const bleu = o.bleu!;
  const chrf = o.chrf!;
  const ter = o.ter!;
  let i = 0;
  const isOption = (s: string | undefined) => s !== undefined && s.startsWith('-') && s !== '-' && !/^-\d/.test(s);
  const values = (): string[] => {
    const out: string[] = [];
    while (i < argv.length && !isOption(argv[i])) out.push(argv[i++]!);
    return out;
  };
  const value = (flag: string): string => {
    const v = argv[i++];
    if (v === undefined) throw new EvalUsageError(`argument ${flag}: expected one argument`);
    return v;
  };
  while (i < argv.length) {
    const raw = argv[i++]!;
    if (!isOption(raw)) {
      a.refs.push(raw);
      continue;
    }
    let [flag, inline] =
      raw.startsWith('--') && raw.includes('=')
        ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)]
        : [raw, undefined];
    if (inline !== undefined) argv.splice(i, 0, inline);
    if (flag === '-e') {
      // sacreBLEU's -e is --encoding; `-e` alone (or before another option) asks for effective order.
      flag = i < argv.length && ENCODING_LIKE.test(argv[i]!) ? '--encoding' : '--use-effective-order';
    }
    flag = FLAG_ALIASES[flag] ?? flag;
    switch (flag) {
      case '--input':
        a.inputs = values();
        break;
      case '--metrics': {
        const ms = values();
        if (ms.length === 0) throw new EvalError('argument --metrics/-m: expected at least one argument');
        o.metrics = ms.map((m) => choice('--metrics/-m', m, ['bleu', 'chrf', 'ter'] as const)) as MetricKey[];
        break;
      }
      case '--format': {
        const f = value(flag);
        if (f === 'latex') throw new EvalError('--format latex is not supported by parley eval (use json or text)');
        a.format = choice('--format/-f', f, ['json', 'text'] as const);
        break;
      }
      case '--width':
        a.width = intArg('--width/-w', value(flag), 0, 100);
        break;
      case '--score-only':
        a.scoreOnly = true;
        break;
      case '--short':
        a.short = true;
        break;
      case '--quiet':
        a.quiet = true;
        break;
      case '--no-color':
        a.noColor = true;
        break;
      case '--num-refs':
        a.numRefs = intArg('--num-refs/-nr', value(flag), 1);
        break;
      case '--encoding':
        a.encoding = value(flag);
        break;
      case '--sentence-level':
        o.sentenceLevel = true;
        break;
      case '--confidence':
        o.confidence = true;
        break;
      case '--confidence-n':
        o.confidenceN = intArg('--confidence-n/-cin', value(flag), 1);
        break;
      case '--paired-bs':
        o.pairedBs = true;
        break;
      case '--paired-bs-n':
        o.pairedBsN = intArg('--paired-bs-n/-pbsn', value(flag), 1);
        break;
      case '--paired-ar':
        o.pairedAr = true;
        break;
      case '--paired-ar-n':
        o.pairedArN = intArg('--paired-ar-n/-parn', value(flag), 1);
        break;
      case '--paired-jobs':
        intArg('--paired-jobs/-j', value(flag), 0);
        break;
      case '--tokenize':
        bleu.tokenize = choice('--tokenize/-tok', value(flag), TOKENIZERS) as TokenizerName;
        break;
      case '--smooth-method':
        bleu.smoothMethod = choice('--smooth-method/-s', value(flag), [
          'none',
          'floor',
          'add-k',
          'exp',
        ] as const) as SmoothMethod;
        break;
      case '--smooth-value':
        bleu.smoothValue = floatArg('--smooth-value/-sv', value(flag), 0);
        break;
      case '--lowercase':
        bleu.lowercase = true;
        break;
      case '--force':
        bleu.force = true;
        break;
      case '--use-effective-order':
        bleu.effectiveOrder = true;
        break;
      case '--max-ngram-order':
        bleu.maxNgramOrder = intArg('--max-ngram-order', value(flag), 1, 4);
        break;
      case '--chrf-char-order':
        chrf.charOrder = intArg('--chrf-char-order/-cc', value(flag), 0);
        break;
      case '--chrf-word-order':
        chrf.wordOrder = intArg('--chrf-word-order/-cw', value(flag), 0);
        break;
      case '--chrf-beta':
        chrf.beta = intArg('--chrf-beta', value(flag), 0);
        break;
      case '--chrf-whitespace':
        chrf.whitespace = true;
        break;
      case '--chrf-lowercase':
        chrf.lowercase = true;
        break;
      case '--chrf-eps-smoothing':
        chrf.epsSmoothing = true;
        break;
      case '--ter-case-sensitive':
        ter.caseSensitive = true;
        break;
      case '--ter-asian-support':
        ter.asianSupport = true;
        break;
      case '--ter-no-punct':
        ter.noPunct = true;
        break;
      case '--ter-normalized':
        ter.normalized = true;
        break;
      case '--version':
        a.version = true;
        break;
      case '--help':
        a.help = true;
        break;
      case '--test-set':
      case '--language-pair':
      case '--origlang':
      case '--subset':
      case '--download':
      case '--echo':
      case '--list':
      case '--citation':
      case '--detail':
        throw new EvalError(`${flag} is not supported by parley eval: pass reference files (no test-set downloads)`);
      default:
        throw new EvalUsageError(`unrecognized arguments: ${raw}`);
    }
  }
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
        process.stdout.write(USAGE);
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
