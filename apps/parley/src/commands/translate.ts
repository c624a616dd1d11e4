// `parley translate`: translate sentences with a seq2seq model directory.
//   piped:        stdin → stdout, exactly one output line per input line (empty stays empty; a line that
//                 fails is reported on stderr and still gets an (empty) output line). Streams: lines are
//                 translated as they arrive and a batch is written as soon as the input pauses, not at EOF
//   -i FILE:      the whole file is read, then translated (to stdout or -o FILE)
//   terminal:     an interactive prompt showing the n-best list with scores (Ctrl-D / Ctrl-C to quit)
//   -o FILE:      progress (sentences/s, ETA) on stderr; output goes to FILE.partial, renamed to FILE at the end;
//                 --resume continues a partial output (see ../output-job.ts: checks, lock, fingerprint, signals)
// Input must be UTF-8: a bad line is an error naming file:line, or with --skip-bad-lines an empty output line.
// Output line format: the translation; with --with-score `translation<TAB>score`; with --n-best N > 1 the
// hypotheses (each followed by its score with --with-score) are joined by tabs on the one line.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { initBackend } from '@parley/engine';
import { TRANSLATE_DEFAULTS, Translator, type TranslateOptions, type TranslationResult } from '@parley/core';
import { readLinesFrom, ReadReport } from '@parley/text';
import { errorMessage } from '@parley/engine/errors';
import { defineCommand, UsageError, type OptionValues } from '../command';
import { lineBatches } from '../line-batches';
import { checkOutputTarget, fingerprint, OutputJob, refuseAsUsage } from '../output-job';
import { DEFAULT_SEQ2SEQ_MODEL } from '../paths';
import { letEventsIn, writeStdout } from '../process-guard';

const OPTIONS = {
  model: {
    type: 'string',
    arg: 'DIR',
    default: DEFAULT_SEQ2SEQ_MODEL,
    defaultText: 'the bundled pt-en model',
    help: 'model directory',
  },
  input: {
    type: 'string',
    short: 'i',
    arg: 'FILE',
    help: 'read sentences from FILE (default stdin; a terminal gets an interactive prompt)',
  },
  output: {
    type: 'string',
    short: 'o',
    arg: 'FILE',
    help: 'write translations to FILE (via FILE.partial), with progress on stderr',
  },
  beam: {
    type: 'int',
    arg: 'K',
    min: 1,
    defaultText: `the model's testing.beamSize, else ${TRANSLATE_DEFAULTS.beamSize}`,
    help: 'beam width, 1 = greedy',
  },
  nBest: {
    type: 'int',
    min: 1,
    defaultText: '1; 5 in the prompt',
    help: 'hypotheses per sentence, tab-separated on the line',
  },
  withScore: { type: 'boolean', help: 'follow each hypothesis by a tab and its score' },
  batchTokens: {
    type: 'int',
    min: 1,
    defaultText: `the model's, else ${TRANSLATE_DEFAULTS.batchTokens}`,
    help: 'source tokens per decoding batch',
  },
  alpha: {
    type: 'number',
    arg: 'A',
    min: 0,
    defaultText: `the model's, else ${TRANSLATE_DEFAULTS.alpha}`,
    help: 'GNMT length penalty',
  },
  resume: {
    type: 'boolean',
    help: 'with -o: continue FILE.partial (made from the same input and settings) instead of starting over',
  },
  skipBadLines: {
    type: 'boolean',
    help: 'a line that is not valid UTF-8 gets an empty output line and a warning instead of stopping',
  },
} as const;

type Args = OptionValues<typeof OPTIONS>;

/** One output line for a result (never contains a newline). */
export function formatLine(r: TranslationResult | undefined, nBest: number, withScore: boolean): string {
  if (!r || r.hypotheses.length === 0) return '';
  return r.hypotheses
    .slice(0, nBest)
    .map((h) => {
      const text = h.text.replace(/[\r\n\t]+/g, ' ');
      return withScore ? `${text}\t${h.score.toFixed(4)}` : text;
    })
    .join('\t');
}

/** Lines per translateBatch call (a chunk is also the unit of retry when a batch fails). */
const CHUNK = 128;

/**
 * Translates one chunk of lines and returns one output line per input line. If the batch fails, it is retried
 * line by line; a line that still fails is reported on stderr (as line `firstLineNo + j`) and comes out empty.
 */
export async function translateChunk(
  translator: Translator,
  lines: readonly string[],
  opts: TranslateOptions,
  format: (r: TranslationResult | undefined) => string,
  firstLineNo: number,
): Promise<{ out: string[]; failures: number }> {
  const chunk = lines.map((l) => l.trim());
  let failures = 0;
  let results: (TranslationResult | undefined)[];
  try {
    results = await translator.translateBatch(chunk, opts);
  } catch {
    results = [];
    for (const [j, sentence] of chunk.entries()) {
      try {
        results.push(await translator.translate(sentence, opts));
      } catch (err) {
        failures++;
        process.stderr.write(`parley translate: line ${firstLineNo + j}: ${errorMessage(err)}\n`);
        results.push(undefined);
      }
    }
  }
  return { out: chunk.map((src, j) => (src === '' ? '' : format(results[j]))), failures };
}

/**
 * Translates `lines` in chunks, calling `emit(index, line)` in input order. A chunk that fails is retried
 * line by line; a line that still fails is reported on stderr and emitted empty.
 */
export async function translateLines(
  translator: Translator,
  lines: readonly string[],
  opts: TranslateOptions,
  format: (r: TranslationResult | undefined) => string,
  emit: (index: number, line: string) => void | Promise<void>,
  start = 0,
): Promise<number> {
  let failures = 0;
  for (let i = start; i < lines.length; i += CHUNK) {
    const r = await translateChunk(translator, lines.slice(i, i + CHUNK), opts, format, i + 1);
    failures += r.failures;
    for (const [j, line] of r.out.entries()) await emit(i + j, line);
  }
  return failures;
}

/**
 * Piped stdin → stdout, live: lines are translated as they arrive, in batches of up to --batch-tokens source
 * tokens that close as soon as the input pauses, and each batch's output is written as soon as it is done.
 */
async function streamStdin(translator: Translator, a: Args, opts: TranslateOptions): Promise<number> {
  const nBest = translator.options(opts).nBest;
  const format = (r: TranslationResult | undefined) => formatLine(r, nBest, a.withScore);
  const cost = (line: string) => translator.tokenizer.encode(line.trim()).length;
  let lineNo = 1;
  let failures = 0;
  const badLines = a.skipBadLines ? 'empty' : 'error';
  const onBadLine = (e: Error) => process.stderr.write(`parley translate: ${e.message}; its output line is empty\n`);
  for await (const batch of lineBatches(process.stdin, {
    budget: translator.options(opts).batchTokens,
    cost,
    maxLines: CHUNK,
    badLines,
    onBadLine,
  })) {
    const r = await translateChunk(translator, batch, opts, format, lineNo);
    await writeStdout(r.out.map((line) => `${line}\n`).join(''));
    lineNo += batch.length;
    failures += r.failures;
  }
  return failures > 0 ? 1 : 0;
}

/** All of stdin, read asynchronously (readFileSync(0) fails with EAGAIN when stdin is a non-blocking pipe). */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * The lines of the input, validated as the corpus readers do (UTF-8, BOM, CR): a bad line throws `file:line: …`,
 * or with `skipBad` is reported on stderr and becomes an empty line, so output lines still match input lines.
 */
export async function inputLines(bytes: Uint8Array, name: string, skipBad: boolean): Promise<string[]> {
  const report = new ReadReport(name);
  const lines: string[] = [];
  for await (const l of readLinesFrom(
    (async function* () {
      yield bytes;
    })(),
    name,
    { skipBadLines: skipBad, report },
  )) {
    while (lines.length < l.line - 1) lines.push('');
    lines.push(l.text);
  }
  while (lines.length < report.lines) lines.push(''); // bad last lines
  for (const e of report.examples) process.stderr.write(`parley translate: ${e.message}; its output line is empty\n`);
  if (report.skipped > report.examples.length)
    process.stderr.write(`parley translate: ${report.skipped - report.examples.length} more bad lines skipped\n`);
  return lines;
}

/** The command line that continues an interrupted `-o` job. */
function resumeCommand(): string {
  const args = process.argv.slice(2);
  const quoted = [...args, ...(args.includes('--resume') ? [] : ['--resume'])].map((a) =>
    /^[\w./=:,@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`,
  );
  return `parley ${quoted.join(' ')}`;
}

function progressBar(done: number, total: number, startMs: number): string {
  const secs = (performance.now() - startMs) / 1000;
  const rate = done / Math.max(secs, 1e-9);
  const eta = rate > 0 ? (total - done) / rate : 0;
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  const fmt = (s: number) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}`;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} sentences  ${rate.toFixed(1)} sent/s  ETA ${fmt(eta)} `;
}

async function toFile(
  translator: Translator,
  model: string,
  lines: string[],
  input: Uint8Array,
  a: Args,
  opts: TranslateOptions,
): Promise<number> {
  const o = translator.options(opts); // the settings the output is made with, resolved
  const settings = {
    model,
    beam: o.beamSize,
    nBest: o.nBest,
    withScore: a.withScore,
    alpha: o.alpha,
    batchTokens: o.batchTokens,
  };
  const job = new OutputJob(a.output!, {
    resume: a.resume,
    fingerprint: fingerprint(input, settings),
    resumeCommand: resumeCommand(),
    name: 'parley translate',
  });
  const start = Math.min(job.start, lines.length);
  if (job.start > 0)
    process.stderr.write(`resuming ${job.partial}: ${start} of ${lines.length} lines already translated\n`);
  else if (!a.resume && existsSync(job.partial))
    process.stderr.write(`note: starting ${job.partial} over (--resume continues it)\n`);
  const t0 = performance.now();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  let failures: number;
  try {
    failures = await translateLines(
      translator,
      lines,
      opts,
      (r) => formatLine(r, o.nBest, a.withScore),
      (_, line) => {
        job.write(line);
        if (performance.now() - lastPrint > 250 || job.lines === lines.length) {
          lastPrint = performance.now();
          process.stderr.write(tty ? progressBar(job.lines - start, lines.length - start, t0) : '');
        }
        return letEventsIn(); // so a stop signal is handled at once
      },
      start,
    );
  } catch (err) {
    job.abandon();
    throw err;
  }
  job.finish();
  process.stderr.write(
    `${tty ? '\n' : ''}translated ${lines.length - start} sentences in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${a.output}\n`,
  );
  return failures > 0 ? 1 : 0;
}

async function interactive(translator: Translator, a: Args, opts: TranslateOptions): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'pt> ' });
  process.stdout.write('Type a sentence and press Enter (Ctrl-D or Ctrl-C to quit).\n');
  rl.prompt();
  for await (const line of rl) {
    const src = line.trim();
    if (src) {
      try {
        const r = await translator.translate(src, {
          ...opts,
          nBest: a.nBest ?? Math.min(5, translator.options(opts).beamSize),
        });
        r.hypotheses.forEach((h, i) => process.stdout.write(`  ${i + 1}. ${h.text}   (score ${h.score.toFixed(3)})\n`));
      } catch (err) {
        process.stderr.write(`error: ${errorMessage(err)}\n`);
      }
    }
    rl.prompt();
  }
  process.stdout.write('\n');
  return 0;
}

export const command = defineCommand(
  {
    name: 'translate',
    summary: 'translate sentences (stdin, a file or an interactive prompt) with a seq2seq model',
    description:
      'Piped input gives exactly one output line per input line, written as each batch is done; -i FILE reads\n' +
      'a whole file; -o FILE shows progress and --resume continues an interrupted run.',
    options: OPTIONS,
  },
  async ({ opts: a }) => {
    if (a.resume && !a.output) throw new UsageError('--resume needs -o FILE');
    if (a.input !== undefined && !existsSync(a.input)) throw new Error(`${a.input}: input file not found`);
    if (a.input !== undefined && statSync(a.input).isDirectory())
      throw new Error(`${a.input}: is a directory; -i needs a text file`);
    // before any work; a refusal exits 2, as every writer's does
    if (a.output) refuseAsUsage(() => checkOutputTarget(a.output!, a.input !== undefined ? [a.input] : []));
    await initBackend();
    const translator = await Translator.load(a.model);
    // Unset options come from the model's testing section, then the library (resolveTranslateOptions).
    const opts: TranslateOptions = {
      beamSize: a.beam,
      nBest: a.nBest,
      alpha: a.alpha,
      batchTokens: a.batchTokens,
      returnAttention: false,
    };
    if (a.input === undefined && !a.output)
      return process.stdin.isTTY ? interactive(translator, a, opts) : streamStdin(translator, a, opts);
    // A file, or stdin going to -o FILE: read it all (the progress bar and --resume need the line count).
    const input = a.input !== undefined ? readFileSync(a.input) : await readStdin();
    const lines = await inputLines(input, a.input ?? '<stdin>', a.skipBadLines);
    if (a.output) return toFile(translator, translator.manifest.weights.sha256 ?? a.model, lines, input, a, opts);
    const failures = await translateLines(
      translator,
      lines,
      opts,
      (r) => formatLine(r, translator.options(opts).nBest, a.withScore),
      (_, line) => writeStdout(line + '\n'),
    );
    return failures > 0 ? 1 : 0;
  },
);
