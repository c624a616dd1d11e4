// Streaming line reader with defined behaviour for bad input.
//   - invalid UTF-8 → bad line                   - BOM at the very start of a file → removed
//   - BOM anywhere else → bad line                - CRLF line end → `\r` removed (or a bad line with crlf: 'error')
//   - lone `\r` inside a line → bad line           - empty lines → decided by each reader (`emptyLines`)
// A bad line throws a `CorpusError` naming file:line, or with `skipBadLines` is counted in a `ReadReport` and skipped.
// With `verbatim` (parley eval, which must read as sacreBLEU does) a line is only its bytes up to `\n`, decoded in
// `encoding`: no BOM or CR handling, only undecodable bytes are bad.
// For text already in memory (or a small file read at once), splitLines / readTextLines split the same way.
import { createReadStream, readFileSync } from 'node:fs';

/** A problem at one line of one file. The message reads `file:line: problem`. */
export class CorpusError extends Error {
  constructor(
    /** The file being read. */
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    /** What is wrong, e.g. "invalid UTF-8". */
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'CorpusError';
  }
}

/** What a read saw: lines, records yielded, and bad lines skipped by kind (filled in as the reader runs). */
export class ReadReport {
  /** Lines read (good and bad). */
  lines = 0;
  /** Records yielded. */
  records = 0;
  /** Bad lines skipped (only with `skipBadLines`). */
  skipped = 0;
  /** Skipped lines per problem kind (the problem text without details). */
  readonly byProblem = new Map<string, number>();
  /** The first few skipped lines, for messages. */
  readonly examples: CorpusError[] = [];

  constructor(readonly file: string) {}

  /** Records a skipped line. */
  skip(error: CorpusError): void {
    this.skipped++;
    const kind = error.problem.replace(/\s*\(.*$/, '');
    this.byProblem.set(kind, (this.byProblem.get(kind) ?? 0) + 1);
    if (this.examples.length < 5) this.examples.push(error);
  }

  /** One line for users, e.g. "data.tsv: 1000 lines, 998 records, skipped 2 (invalid UTF-8: 1, empty line: 1)". */
  summary(): string {
    const kinds = [...this.byProblem].map(([k, n]) => `${k}: ${n}`).join(', ');
    return `${this.file}: ${this.lines} lines, ${this.records} records, skipped ${this.skipped}${kinds ? ` (${kinds})` : ''}`;
  }
}

/** Options every reader takes. */
export interface ReaderOptions {
  /** Skip bad lines (counted in `report`) instead of throwing on the first one. Default false. */
  skipBadLines?: boolean;
  /** Receives the counts; pass one in to read them after the iteration ends. */
  report?: ReadReport;
  /** What a CRLF line end does: 'strip' removes the `\r` (default), 'error' makes it a bad line. */
  crlf?: 'strip' | 'error';
  /**
   * Lines as Python's `open(file, encoding=…, newline='\n')` gives them (sacreBLEU's reader): split at `\n` only,
   * a BOM and every `\r` kept as characters; only bytes that do not decode make a bad line. Default false.
   */
  verbatim?: boolean;
  /** The text encoding, a WHATWG label (`utf-8`, `latin1`, …). Default `utf-8`; an unknown label is a RangeError. */
  encoding?: string;
}

/** One decoded line. */
export interface Line {
  /** 1-based line number in the file. */
  line: number;
  text: string;
}

/** Throws `error`, or counts and swallows it when skipping bad lines. */
export function badLine(error: CorpusError, options: ReaderOptions, report: ReadReport): void {
  if (!options.skipBadLines) throw error;
  report.skip(error);
}

/**
 * Streams the lines of a UTF-8 file (without line ends), validating each one. Bad lines are thrown or skipped
 * per `options`; empty lines are passed through for the caller to judge.
 */
export function readLines(
  file: string,
  options: ReaderOptions = {},
  report = options.report ?? new ReadReport(file),
): AsyncGenerator<Line> {
  return readLinesFrom(createReadStream(file), file, options, report);
}

/** As `readLines`, from any byte stream (e.g. `process.stdin`); `name` is what errors call it (e.g. '<stdin>'). */
export async function* readLinesFrom(
  source: AsyncIterable<Uint8Array | string>,
  name: string,
  options: ReaderOptions = {},
  report = options.report ?? new ReadReport(name),
): AsyncGenerator<Line> {
  const file = name;
  const decoder = new TextDecoder(options.encoding ?? 'utf-8', { fatal: true, ignoreBOM: true });
  const utf8 = decoder.encoding === 'utf-8';
  let pending: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  const handle = (bytes: Buffer): Line | undefined => {
    lineNo++;
    report.lines++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      const problem = utf8
        ? `invalid UTF-8 (byte offset ${firstInvalidUtf8(bytes)} in the line)`
        : `invalid ${decoder.encoding}`;
      badLine(new CorpusError(file, lineNo, problem), options, report);
      return undefined;
    }
    if (options.verbatim) return { line: lineNo, text };
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) {
      if (options.crlf === 'error') {
        badLine(new CorpusError(file, lineNo, 'CRLF line end (convert the file to LF line ends)'), options, report);
        return undefined;
      }
      text = text.slice(0, -1);
    }
    if (text.includes('\r')) {
      badLine(new CorpusError(file, lineNo, 'carriage return inside the line'), options, report);
      return undefined;
    }
    if (text.includes('\ufeff')) {
      badLine(new CorpusError(file, lineNo, 'byte-order mark (U+FEFF) inside the file'), options, report);
      return undefined;
    }
    return { line: lineNo, text };
  };
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const line = handle(buf.subarray(start, nl));
      start = nl + 1;
      if (line) yield line;
    }
    pending = Buffer.from(buf.subarray(start));
    buf = pending;
  }
  if (pending.length) {
    const line = handle(pending);
    if (line) yield line;
  }
}

/**
 * Splits text into lines: a leading BOM is dropped, LF and CRLF both end a line, a final line without a newline
 * still counts (and a final newline makes no extra empty line).
 */
export function splitLines(text: string): string[] {
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The lines of a small UTF-8 file, read at once and split as splitLines does. An unreadable file is an Error
 * naming it; invalid UTF-8 is a CorpusError naming file:line.
 */
export function readTextLines(file: string): string[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return splitLines(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).filter((b) => b === 10).length + 1;
    throw new CorpusError(file, line, 'invalid UTF-8');
  }
}

/** Byte offset of the first invalid UTF-8 sequence in `bytes` (for error messages). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // Binary search for the shortest invalid prefix; a prefix cut mid-character is only "incomplete", so use stream mode.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
