// Corpus readers for the layouts Parley trains on. Each streams records, validates UTF-8 and line layout
// (see lines.ts), and throws a `CorpusError` naming file:line — or, with `skipBadLines`, counts and skips.
import type { ReaderOptions } from './lines';
import { CorpusError, ReadReport, badLine, readLines } from './lines';

/** A source/target sentence pair with where it came from. */
export interface Pair {
  source: string;
  target: string;
  /** 1-based line number in the file (the source file for parallel files). */
  line: number;
}

/** Options for `readPairs`. */
export interface PairReaderOptions extends ReaderOptions {
  /**
   * 0-based column of the source sentence. Default 0. The Tatoeba/manythings layout is
   * `English<TAB>Portuguese<TAB>attribution`, so Portuguese→English is `{ sourceColumn: 1, targetColumn: 0 }`.
   */
  sourceColumn?: number;
  /** 0-based column of the target sentence. Default 1. */
  targetColumn?: number;
  /**
   * Exact number of tab-separated columns every line must have. Default: the count on the first good line, so a
   * stray tab inside a sentence is reported instead of silently shifting columns.
   */
  columns?: number;
}

/**
 * The tab-separated lines of a file, each with a `bad(problem)` that reports that line (or throws, without
 * skipBadLines). Empty lines are reported here and not yielded.
 */
async function* readTsvRows(
  file: string,
  options: ReaderOptions,
  report: ReadReport,
): AsyncGenerator<{ line: number; fields: string[]; bad: (problem: string) => void }> {
  for await (const { line, text } of readLines(file, options, report)) {
    const bad = (problem: string) => badLine(new CorpusError(file, line, problem), options, report);
    if (text.trim() === '') bad('empty line');
    else yield { line, fields: text.split('\t'), bad };
  }
}

/** Streams sentence pairs from a tab-separated file. Empty lines and empty source/target fields are bad lines. */
export async function* readPairs(file: string, options: PairReaderOptions = {}): AsyncGenerator<Pair> {
  const report = options.report ?? new ReadReport(file);
  const src = options.sourceColumn ?? 0;
  const tgt = options.targetColumn ?? 1;
  let columns = options.columns;
  const need = Math.max(src, tgt) + 1;
  for await (const { line, fields, bad } of readTsvRows(file, options, report)) {
    if (columns === undefined && fields.length >= need) columns = fields.length;
    if (fields.length < need || fields.length !== columns) {
      bad(
        `wrong column count (expected ${columns ?? `at least ${need}`} tab-separated columns, found ${fields.length})`,
      );
      continue;
    }
    const source = fields[src]!.trim();
    const target = fields[tgt]!.trim();
    if (!source || !target) {
      bad(`empty ${!source ? 'source' : 'target'} (column ${(!source ? src : tgt) + 1})`);
      continue;
    }
    report.records++;
    yield { source, target, line };
  }
}

/** Streams pairs from two line-aligned files (source line i ↔ target line i). Different line counts are an error; so is an empty line. */
export async function* readParallel(
  sourceFile: string,
  targetFile: string,
  options: ReaderOptions = {},
): AsyncGenerator<Pair> {
  const report = options.report ?? new ReadReport(sourceFile);
  // Encoding problems (invalid UTF-8, BOM, CR) always throw here: skipping a line in one file would misalign the pairs.
  // With skipBadLines, only pairs with an empty side are skipped.
  const raw = { ...options, skipBadLines: false };
  const targets = readLines(targetFile, raw, new ReadReport(targetFile));
  for await (const s of readLines(sourceFile, raw, report)) {
    const t = await targets.next();
    if (t.done) throw new CorpusError(targetFile, s.line, `has fewer lines than ${sourceFile} (${s.line - 1})`);
    const source = s.text.trim();
    const target = t.value.text.trim();
    if (!source || !target) {
      badLine(new CorpusError(!source ? sourceFile : targetFile, s.line, 'empty line'), options, report);
      continue;
    }
    report.records++;
    yield { source, target, line: s.line };
  }
  const extra = await targets.next();
  if (!extra.done) throw new CorpusError(targetFile, extra.value.line, `has more lines than ${sourceFile}`);
}

/** Options for `readText`. */
export interface TextReaderOptions extends ReaderOptions {
  /** What empty (or all-whitespace) lines do: 'skip' them silently (default) or treat them as bad lines ('error'). */
  emptyLines?: 'skip' | 'error';
}

/** Streams the non-empty lines of a plain text file. */
export async function* readText(
  file: string,
  options: TextReaderOptions = {},
): AsyncGenerator<{ text: string; line: number }> {
  const report = options.report ?? new ReadReport(file);
  for await (const { line, text } of readLines(file, options, report)) {
    if (text.trim() === '') {
      if (options.emptyLines === 'error') badLine(new CorpusError(file, line, 'empty line'), options, report);
      continue;
    }
    report.records++;
    yield { text, line };
  }
}

/** One utterance of a dialogue corpus. */
export interface Utterance {
  /** Name of the episode (text after `#EPISODE<TAB>`), '' before the first episode line. */
  episode: string;
  speaker: string;
  text: string;
  line: number;
}

/**
 * Streams a dialogue TSV: `speaker<TAB>utterance` lines, with `#EPISODE<TAB>name` lines starting each episode
 * (the layout of ../shared/corpora/tbbt/dialogue.tsv). Empty lines, a missing tab, extra tabs and empty fields are bad lines.
 */
export async function* readDialogue(file: string, options: ReaderOptions = {}): AsyncGenerator<Utterance> {
  const report = options.report ?? new ReadReport(file);
  let episode = '';
  for await (const { line, fields, bad } of readTsvRows(file, options, report)) {
    if (fields.length !== 2) {
      bad(`wrong column count (expected 2 tab-separated columns speaker<TAB>utterance, found ${fields.length})`);
      continue;
    }
    const [first, second] = [fields[0]!.trim(), fields[1]!.trim()];
    if (first === '#EPISODE') {
      if (!second) bad('empty episode name');
      else episode = second;
      continue;
    }
    if (!first || !second) {
      bad(`empty ${!first ? 'speaker' : 'utterance'}`);
      continue;
    }
    report.records++;
    yield { episode, speaker: first, text: second, line };
  }
}

/** A labelled text: `label<TAB>text` (several labels comma-joined for multi-label data), optionally with a split column. */
export interface Labeled {
  /** The label(s); one for single-label data. */
  labels: string[];
  text: string;
  /** The split column's value (e.g. `train` / `test`), when the reader was given one. */
  split?: string;
  /** 1-based line number. */
  line: number;
}

/** Options for `readLabeled`. */
export interface LabeledReaderOptions extends ReaderOptions {
  /** 0-based column of the label(s). Default 0. */
  labelColumn?: number;
  /** 0-based column of the text. Default 1. */
  textColumn?: number;
  /** 0-based column naming each line's split (e.g. `train`/`test`); undefined = none. */
  splitColumn?: number;
  /** Labels are comma-separated lists (multi-label data, e.g. Reuters). Default false. */
  multiLabel?: boolean;
}

/**
 * Streams labelled texts from a tab-separated file (the layout of ../shared/corpora/classification). A missing
 * column, an empty label or text, or an empty line is a bad line naming file:line.
 */
export async function* readLabeled(file: string, options: LabeledReaderOptions = {}): AsyncGenerator<Labeled> {
  const report = options.report ?? new ReadReport(file);
  const lc = options.labelColumn ?? 0;
  const tc = options.textColumn ?? 1;
  const sc = options.splitColumn;
  const need = Math.max(lc, tc, sc ?? -1) + 1;
  for await (const { line, fields, bad } of readTsvRows(file, options, report)) {
    if (fields.length < need) {
      bad(
        `wrong column count (expected at least ${need} tab-separated columns: label, text${sc !== undefined ? ', split' : ''}; found ${fields.length})`,
      );
      continue;
    }
    const raw = fields[lc]!.trim();
    const labels = options.multiLabel
      ? raw
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean)
      : [raw];
    const text = fields[tc]!.trim();
    const split = sc !== undefined ? fields[sc]!.trim() : undefined;
    if (!raw || labels.length === 0) bad(`empty label (column ${lc + 1})`);
    else if (!text) bad(`empty text (column ${tc + 1})`);
    else if (split === '') bad(`empty split (column ${sc! + 1})`);
    else {
      report.records++;
      yield { labels, text, line, ...(split !== undefined ? { split } : {}) };
    }
  }
}

/** Collects an async iterable into an array (e.g. `await collect(readPairs(file))`). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}
