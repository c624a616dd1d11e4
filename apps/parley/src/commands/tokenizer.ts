// `parley tokenizer train|encode|decode`: train a tokenizer on text files; encode/decode stdin → stdout, one
// output line per input line (an empty line stays empty).
import { createReadStream } from 'node:fs';
import type { PieceTokenizer, ReadReport as Report, ReaderOptions } from '@parley/text';
import {
  CharTokenizer,
  ReadReport,
  WordTokenizer,
  loadTokenizer,
  readLines,
  readLinesFrom,
  trainSentencePiece,
} from '@parley/text';
import { checkOutputTarget, refuseAsUsage } from '../output-job';
import { defineCommand, defineCommandGroup, UsageError } from '../command';

const SKIP = {
  type: 'boolean',
  help: 'skip lines with invalid UTF-8 or a wrong column count (encode writes an empty line for them) and report how many',
} as const;
const MODEL = {
  type: 'string',
  arg: 'FILE',
  help: 'a .model (SentencePiece, also from spm_train) or a char/word .json; required',
} as const;
/** How encode writes and decode reads a line (its --output-format / --input-format). */
const PIECES_FORMAT = {
  type: 'string',
  choices: ['piece', 'id'],
  default: 'piece',
  help: 'space-separated pieces or ids',
} as const;

/** The options of all three subcommands, as one shape (train's and encode/decode's are disjoint). */
interface Args {
  inputs: string[];
  vocabSize?: number;
  output?: string;
  modelType: string;
  columns?: number[];
  coverage?: number;
  normalization: 'nmt_nfkc' | 'identity';
  model?: string;
  format: string;
  skipBadLines: boolean;
}

/** Encode's and decode's Args: a model, a line format and the bad-line rule (train's fields left empty). */
function codingArgs(model: string | undefined, format: string, skipBadLines: boolean): Args {
  return { inputs: [], modelType: '', normalization: 'nmt_nfkc', model, format, skipBadLines };
}

const trainCommand = defineCommand(
  {
    name: 'tokenizer train',
    summary: 'train a tokenizer on text files',
    positionals: [{ name: 'files', help: 'more training files (files may also follow --input)', variadic: true }],
    options: {
      input: { type: 'list', arg: 'FILE...', help: 'training text, one sentence per line; required' },
      vocabSize: {
        type: 'int',
        min: 5,
        help: 'vocabulary size, reserved ids included (pad 0, unk 1, bos 2, eos 3); required',
      },
      output: {
        type: 'string',
        arg: 'PREFIX',
        help: 'bpe/unigram write PREFIX.model and PREFIX.vocab; char/word write PREFIX.json; required',
      },
      modelType: {
        type: 'string',
        choices: ['bpe', 'unigram', 'char', 'word'],
        default: 'bpe',
        help: 'bpe/unigram: SentencePiece .model; char/word: Parley JSON',
      },
      columns: {
        type: 'list',
        arg: '0,1',
        help: 'treat lines as tab-separated and train on these 0-based columns (e.g. a pairs TSV)',
        check: (v: string[]) =>
          v.every((c) => /^\d+$/.test(c)) ? undefined : `needs 0-based column numbers like 0,1, got '${v.join(',')}'`,
      },
      characterCoverage: {
        type: 'number',
        arg: 'F',
        min: 0,
        max: 1,
        defaultText: '0.9995',
        help: 'bpe/unigram: share of characters to cover, rarer ones become unk',
      },
      normalization: {
        type: 'string',
        choices: ['nmt_nfkc', 'identity'],
        default: 'nmt_nfkc',
        help: 'bpe/unigram: normalization rule, as spm_train',
      },
      skipBadLines: SKIP,
    },
  },
  async ({ opts, args }) => {
    return train({
      inputs: [...opts.input, ...args.files],
      vocabSize: opts.vocabSize,
      output: opts.output,
      modelType: opts.modelType,
      ...(opts.columns.length ? { columns: opts.columns.map(Number) } : {}),
      ...(opts.characterCoverage !== undefined ? { coverage: opts.characterCoverage } : {}),
      normalization: opts.normalization,
      format: 'piece',
      skipBadLines: opts.skipBadLines,
    });
  },
);

const encodeCommand = defineCommand(
  {
    name: 'tokenizer encode',
    summary: 'encode stdin → stdout, one line of pieces or ids per input line',
    options: {
      model: MODEL,
      outputFormat: PIECES_FORMAT,
      skipBadLines: SKIP,
    },
  },
  async ({ opts }) => encode(codingArgs(opts.model, opts.outputFormat, opts.skipBadLines)),
);

const decodeCommand = defineCommand(
  {
    name: 'tokenizer decode',
    summary: 'decode stdin → stdout, one line of text per line of pieces or ids',
    options: {
      model: MODEL,
      inputFormat: PIECES_FORMAT,
      skipBadLines: SKIP,
    },
  },
  async ({ opts }) => decode(codingArgs(opts.model, opts.inputFormat, opts.skipBadLines)),
);

async function train(a: Args): Promise<number> {
  if (!a.inputs.length) throw new UsageError('train needs --input FILE...');
  if (!a.vocabSize) throw new UsageError('train needs --vocab-size N');
  if (!a.output) throw new UsageError('train needs --output PREFIX');
  const log = (line: string) => process.stderr.write(line + '\n');
  // The files this writes, checked before any reading or training (none may be an input, a directory, read-only).
  const outputs = a.modelType === 'bpe' || a.modelType === 'unigram' ? ['.model', '.vocab'] : ['.json'];
  for (const ext of outputs) refuseAsUsage(() => checkOutputTarget(`${a.output}${ext}`, a.inputs));
  if (a.modelType === 'bpe' || a.modelType === 'unigram') {
    const r = await trainSentencePiece(a.inputs, a.output, {
      modelType: a.modelType,
      vocabSize: a.vocabSize,
      columns: a.columns,
      characterCoverage: a.coverage,
      normalization: a.normalization,
      skipBadLines: a.skipBadLines,
      log,
    });
    reportSkips(r.reports);
    log(
      `wrote ${r.modelPath} and ${r.vocabPath}: ${r.model.pieces.length} pieces from ${r.sentences} sentences (${r.words} distinct words, ${r.characters} characters) in ${r.seconds.toFixed(1)} s`,
    );
    return 0;
  }
  const texts: string[] = [];
  const reports: Report[] = [];
  for (const file of a.inputs) {
    const report = new ReadReport(file);
    reports.push(report);
    for await (const { line, text } of readLines(file, { skipBadLines: a.skipBadLines, report })) {
      if (!a.columns) texts.push(text);
      else {
        const fields = text.split('\t');
        if (fields.length <= Math.max(...a.columns)) {
          const msg = `${file}:${line}: wrong column count (need at least ${Math.max(...a.columns) + 1} tab-separated columns, found ${fields.length})`;
          if (!a.skipBadLines) throw new Error(msg);
          report.skipped++;
          report.byProblem.set('wrong column count', (report.byProblem.get('wrong column count') ?? 0) + 1);
          continue;
        }
        for (const c of a.columns) texts.push(fields[c]!);
      }
    }
  }
  reportSkips(reports);
  if (!texts.some((t) => t.trim())) throw new Error(`${a.inputs.join(', ')}: no text to train on (the input is empty)`);
  const tok =
    a.modelType === 'char'
      ? CharTokenizer.train(texts, { maxSize: a.vocabSize })
      : WordTokenizer.train(texts, { maxTokens: a.vocabSize });
  tok.save(`${a.output}.json`);
  log(`wrote ${a.output}.json: ${tok.vocabSize} ids from ${texts.length} lines`);
  return 0;
}

function reportSkips(reports: Report[]): void {
  for (const r of reports) if (r.skipped) process.stderr.write(`skipped bad lines: ${r.summary()}\n`);
}

/** Runs `convert` on every stdin line and writes one stdout line each, in order. */
async function mapLines(a: Args, convert: (text: string, line: number) => string): Promise<number> {
  if (!a.model) throw new UsageError('--model FILE is required');
  const report = new ReadReport('<stdin>');
  const options: ReaderOptions = { skipBadLines: a.skipBadLines, report };
  let out: string[] = [];
  const flush = async () => {
    if (!out.length) return;
    const chunk = out.join('');
    out = [];
    if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
  };
  let next = 1; // the next line number to write: skipped lines get an empty output line
  const input = process.stdin.isTTY ? createReadStream('/dev/stdin') : process.stdin;
  for await (const { line, text } of readLinesFrom(input, '<stdin>', options, report)) {
    while (next < line) {
      out.push('\n');
      next++;
    }
    out.push((text === '' ? '' : convert(text, line)) + '\n');
    next++;
    if (out.length >= 1000) await flush();
  }
  while (next <= report.lines) {
    out.push('\n');
    next++;
  }
  await flush();
  if (report.skipped) process.stderr.write(`skipped bad lines: ${report.summary()}\n`);
  return 0;
}

async function encode(a: Args): Promise<number> {
  const tok = await loadModel(a);
  return mapLines(a, (text) => (a.format === 'id' ? tok.encode(text).join(' ') : tok.encodePieces(text).join(' ')));
}

async function decode(a: Args): Promise<number> {
  const tok = await loadModel(a);
  return mapLines(a, (text, line) => {
    const items = text.split(' ').filter(Boolean);
    if (a.format === 'piece') return tok.decodePieces(items);
    const ids = items.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0 || n >= tok.vocabSize)
        throw new Error(`<stdin>:${line}: '${s}' is not an id in 0..${tok.vocabSize - 1}`);
      return n;
    });
    return tok.decode(ids);
  });
}

async function loadModel(a: Args): Promise<PieceTokenizer> {
  if (!a.model) throw new UsageError('--model FILE is required');
  return loadTokenizer(a.model);
}

export const command = defineCommandGroup({
  name: 'tokenizer',
  summary: 'train a tokenizer (SentencePiece BPE/unigram, char, word); encode/decode stdin → stdout',
  subcommands: { train: trainCommand, encode: encodeCommand, decode: decodeCommand },
});
