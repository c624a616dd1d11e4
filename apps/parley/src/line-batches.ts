// Reads lines from a live stream (e.g. piped stdin) and hands them out in batches as they arrive, so a program
// that writes one line and waits for the answer gets it without the input having to end.
// Lines are split and checked by @parley/text's LineSplitter, as every corpus reader and `parley translate -o`
// read them: a leading BOM is dropped, LF and CRLF end a line, a final line without a newline still counts, and
// invalid UTF-8, a `\r` or a BOM inside a line make a bad line.
// A batch is closed when it reaches the cost budget or the line cap, when the input pauses (no data for
// `idleMs`), when its first line has waited `maxWaitMs`, or at the end of the input.
// A bad line ends the input with a CorpusError naming it (after the lines before it are handed out), or with
// `badLines: 'empty'` becomes an empty line.
import type { Readable } from 'node:stream';
import { CorpusError, LineSplitter, ReadReport } from '@parley/text';

export interface LineBatchOptions {
  /** Upper bound on a batch's summed line cost (a single costlier line still forms a batch of its own). */
  budget: number;
  /** The cost of one line, e.g. its number of source tokens. */
  cost: (line: string) => number;
  /** At most this many lines per batch (default 128). */
  maxLines?: number;
  /** Close a batch once the input has been quiet this long (default 50 ms). */
  idleMs?: number;
  /** …and at the latest this long after its first line arrived, even if data keeps trickling in (default 500 ms). */
  maxWaitMs?: number;
  /** Stop reading while this many lines wait to be taken, so a fast producer cannot fill memory (default 10000). */
  highWaterLines?: number;
  /** A bad line (see the top of this file): 'error' (default) ends the input with a CorpusError, 'empty' makes it an empty line. */
  badLines?: 'error' | 'empty';
  /** Told about each bad line made empty (the CorpusError names its line). */
  onBadLine?: (error: CorpusError) => void;
  /** The input's name in errors (default `<stdin>`). */
  name?: string;
}

interface QueuedLine {
  text: string;
  cost: number;
  /** performance.now() when the line was complete. */
  at: number;
}

/** Collects complete lines from a stream and wakes the (single) consumer on every change. */
class LineQueue {
  readonly lines: QueuedLine[] = [];
  queuedCost = 0;
  ended = false;
  error: Error | undefined;
  lastDataAt = 0;
  private readonly splitter: LineSplitter;
  private readonly emit = (l: { text: string }) => this.push(l.text);
  private wake: (() => void) | undefined;

  constructor(
    private readonly input: Readable,
    private readonly cost: (line: string) => number,
    private readonly highWater: number,
    o: Pick<LineBatchOptions, 'badLines' | 'onBadLine' | 'name'> = {},
  ) {
    const name = o.name ?? '<stdin>';
    // With 'empty', a bad line is skipped by the splitter and queued here as an empty line, in its place.
    const report =
      o.badLines === 'empty' ? new EmptyLineReport(name, (e) => (o.onBadLine?.(e), this.push(''))) : undefined;
    this.splitter = new LineSplitter(name, { skipBadLines: !!report, report });
    input.on('data', this.onData);
    input.on('end', this.onEnd);
    input.on('error', this.onError);
  }

  /** Detaches from the stream and stops reading it. */
  close(): void {
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.off('error', this.onError);
    this.input.pause();
  }

  /** Resolves on the next data / end / error, or after `ms` (whichever comes first). */
  changed(ms = Infinity): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.notify(), Math.max(0, ms)) : undefined;
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Removes and returns the first `n` lines, resuming reading if it was paused for backpressure. */
  take(n: number): string[] {
    const taken = this.lines.splice(0, n);
    for (const l of taken) this.queuedCost -= l.cost;
    if (this.input.isPaused() && this.lines.length < this.highWater) this.input.resume();
    return taken.map((l) => l.text);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.ended) return;
    this.feed(() => this.splitter.push(chunk, this.emit));
    this.lastDataAt = performance.now();
    if (this.lines.length >= this.highWater) this.input.pause();
    this.notify();
  };

  private readonly onEnd = (): void => {
    if (this.ended) return;
    this.feed(() => this.splitter.end(this.emit)); // the last line had no newline
    this.ended = true;
    this.notify();
  };

  /** Runs the splitter; a bad line (with 'error') ends the input after the lines before it. */
  private feed(f: () => void): void {
    try {
      f();
    } catch (err) {
      if (!(err instanceof CorpusError)) throw err;
      this.onError(err);
    }
  }

  private readonly onError = (err: Error): void => {
    this.error = err;
    this.ended = true;
    this.notify();
  };

  private push(text: string): void {
    const cost = this.cost(text);
    this.lines.push({ text, cost, at: performance.now() });
    this.queuedCost += cost;
  }
}

/** How many of the queued lines fit in one batch (at least one). */
function batchSize(lines: readonly QueuedLine[], budget: number, maxLines: number): number {
  let n = 0;
  let cost = 0;
  while (n < lines.length && n < maxLines && (n === 0 || cost + lines[n]!.cost <= budget)) cost += lines[n++]!.cost;
  return n;
}

/** Waits until a batch should be closed: budget or line cap reached, input idle, first line waited long enough, or end. */
async function settle(
  q: LineQueue,
  budget: number,
  maxLines: number,
  idleMs: number,
  maxWaitMs: number,
): Promise<void> {
  while (!q.ended && q.queuedCost < budget && q.lines.length < maxLines) {
    const deadline = Math.min(q.lastDataAt + idleMs, q.lines[0]!.at + maxWaitMs);
    const wait = deadline - performance.now();
    if (wait <= 0) return;
    await q.changed(wait);
  }
}

/**
 * Yields the lines of `input`, in order, in batches (see the top of this file for when a batch closes).
 * If the stream fails, the lines read before the failure are yielded and then its error is thrown; the stream is detached when the consumer stops.
 */
export async function* lineBatches(input: Readable, o: LineBatchOptions): AsyncGenerator<string[], void, undefined> {
  const maxLines = o.maxLines ?? 128;
  const q = new LineQueue(input, o.cost, o.highWaterLines ?? 10_000, o);
  try {
    for (;;) {
      while (q.lines.length === 0 && !q.ended) await q.changed();
      if (q.lines.length === 0) {
        if (q.error) throw q.error; // lines read before the failure have been handed out
        return;
      }
      await settle(q, o.budget, maxLines, o.idleMs ?? 50, o.maxWaitMs ?? 500);
      yield q.take(batchSize(q.lines, o.budget, maxLines));
    }
  } finally {
    q.close();
  }
}

/** A ReadReport that also hands each skipped line's error to `onSkip`, in input order. */
class EmptyLineReport extends ReadReport {
  constructor(
    file: string,
    private readonly onSkip: (error: CorpusError) => void,
  ) {
    super(file);
  }

  override skip(error: CorpusError): void {
    super.skip(error);
    this.onSkip(error);
  }
}
