// Streaming line reader with defined behaviour for bad input.
//   - invalid UTF-8 → bad line                   - BOM at the very start of a file → removed
//   - BOM anywhere else → bad line                - CRLF line end → `\r` removed (or a bad line with crlf: 'error')
//   - lone `\r` inside a line → bad line           - empty lines → decided by each reader (`emptyLines`)
// A bad line throws a `CorpusError` naming file:line, or with `skipBadLines` is counted in a `ReadReport` and skipped.
// With `verbatim` (parley eval, which must read as sacreBLEU does) a line is only its bytes up to `\n`, decoded in
// `encoding`: no BOM or CR handling, only undecodable bytes are bad.
// Every streaming reader splits and checks through one LineSplitter (chunks pushed in, lines out).
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
  const splitter = new LineSplitter(name, options, report);
  const lines: Line[] = [];
  const take = (feed: () => void) => {
    try {
      feed();
    } catch (err) {
      return err; // after the good lines before it
    }
    return undefined;
  };
  for await (const chunk of source) {
    const error = take(() => splitter.push(chunk, (l) => lines.push(l)));
    yield* lines.splice(0);
    if (error) throw error;
  }
  const error = take(() => splitter.end((l) => lines.push(l)));
  yield* lines.splice(0);
  if (error) throw error;
}

/**
 * The one line splitter and checker behind every streaming reader: it is fed byte chunks as they arrive and hands
 * each line they complete to `emit`, decoded and checked per `options` (see the top of this file); a bad line
 * throws (after the lines before it were emitted), or with `skipBadLines` goes to `report.skip` and is left out.
 * readLinesFrom pulls chunks through it; parley translate's and classify's live stdin batches push them.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private lineNo = 0;
  private readonly decoder: InstanceType<typeof TextDecoder>;

  constructor(
    /** What errors call the input (a file name, `<stdin>`). */
    readonly name: string,
    private readonly options: ReaderOptions = {},
    readonly report = options.report ?? new ReadReport(name),
  ) {
    this.decoder = new TextDecoder(options.encoding ?? 'utf-8', { fatal: true, ignoreBOM: true });
  }

  /** Emits the lines `chunk` completes. */
  push(chunk: Uint8Array | string, emit: (line: Line) => void): void {
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length ? Buffer.concat([this.pending, bytes]) : bytes;
    // Only the new bytes are searched for newlines, so a long line arriving in many chunks stays linear.
    let from = 0;
    for (let nl = buf.indexOf(10, this.pending.length); nl !== -1; nl = buf.indexOf(10, from)) {
      const line = buf.subarray(from, nl);
      from = nl + 1;
      this.check(line, emit);
    }
    this.pending = Buffer.from(buf.subarray(from));
  }

  /** At the end of the input: emits its last line when it did not end with a newline. */
  end(emit: (line: Line) => void): void {
    const last = this.pending;
    this.pending = Buffer.alloc(0);
    if (last.length) this.check(last, emit);
  }

  /** Decodes and checks one line's bytes (without the `\n`). */
  private check(bytes: Buffer, emit: (line: Line) => void): void {
    const { options, report, name: file } = this;
    const lineNo = ++this.lineNo;
    report.lines++;
    const bad = (problem: string) => badLine(new CorpusError(file, lineNo, problem), options, report);
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      const utf8 = this.decoder.encoding === 'utf-8';
      bad(
        utf8
          ? `invalid UTF-8 (byte offset ${firstInvalidUtf8(bytes)} in the line)`
          : `invalid ${this.decoder.encoding}`,
      );
      return;
    }
    if (!options.verbatim) {
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.endsWith('\r')) {
        if (options.crlf === 'error') return bad('CRLF line end (convert the file to LF line ends)');
        text = text.slice(0, -1);
      }
      if (text.includes('\r')) return bad('carriage return inside the line');
      if (text.includes('\ufeff')) return bad('byte-order mark (U+FEFF) inside the file');
    }
    emit({ line: lineNo, text });
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
