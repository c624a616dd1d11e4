// `parley tokenizer train|encode|decode`: train a tokenizer on text files; encode/decode stdin → stdout, one
// output line per input line (an empty line stays empty).
import { createReadStream } from 'node:fs';
import type { PieceTokenizer, ReadReport as Report, ReaderOptions } from '@parley/text';
import { CharTokenizer, ReadReport, WordTokenizer, loadTokenizer, readLines, readLinesFrom, trainSentencePiece } from '@parley/text';
import type { Command } from '../cli';

const USAGE = `usage:
  parley tokenizer train --input FILE... --vocab-size N --output PREFIX [--model-type bpe|unigram|char|word]
                         [--columns 0,1] [--character-coverage F] [--normalization nmt_nfkc|identity]
                         [--skip-bad-lines]
  parley tokenizer encode --model FILE [--output-format piece|id] [--skip-bad-lines]   < text > pieces
  parley tokenizer decode --model FILE [--input-format piece|id]                       < pieces > text

  --input FILE...         training text, one sentence per line (several files may follow --input)
  --columns 0,1           treat lines as tab-separated and train on these 0-based columns (e.g. a pairs TSV)
  --vocab-size N          vocabulary size, reserved ids included (pad 0, unk 1, bos 2, eos 3)
  --model-type T          bpe (SentencePiece .model, default), unigram (SentencePiece .model, slower to
                          train), char or word (Parley JSON)
  --output PREFIX         bpe writes PREFIX.model and PREFIX.vocab; char/word write PREFIX.json
  --character-coverage F  bpe/unigram: share of characters to cover, rarer ones become unk (default 0.9995)
  --normalization R       bpe/unigram: nmt_nfkc (default, as spm_train) or identity
  --model FILE            a .model (SentencePiece, also from spm_train) or a char/word .json
  --output-format F       encode: piece (space-separated pieces, default) or id
  --input-format F        decode: piece (default) or id
  --skip-bad-lines        skip lines with invalid UTF-8 or a wrong column count (encode writes an empty
                          line for them) and report how many were skipped, instead of stopping
`;

class UsageError extends Error {}

interface Args {
  sub: string;
  inputs: string[];
  vocabSize?: number;
  output?: string;
  modelType: string;
  columns?: number[];
  coverage?: number;
  normalization: string;
  model?: string;
  format: string;
  skipBadLines: boolean;
}

function parseArgs(argv: string[]): Args {
  const [sub = '', ...rest] = argv;
  const a: Args = { sub, inputs: [], modelType: 'bpe', normalization: 'nmt_nfkc', format: 'piece', skipBadLines: false };
  for (let i = 0; i < rest.length; i++) {
    const f = rest[i]!;
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${f} needs a value`);
      return v;
    };
    const number = (min: number, max = Infinity) => {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${f} needs a number in [${min}, ${max}], got '${v}'`);
      return n;
    };
    switch (f) {
      case '--input':
        while (rest[i + 1] !== undefined && !rest[i + 1]!.startsWith('--')) a.inputs.push(rest[++i]!);
        if (!a.inputs.length) throw new UsageError('--input needs at least one file');
        break;
      case '--vocab-size': a.vocabSize = Math.floor(number(5)); break;
      case '--output': a.output = value(); break;
      case '--model-type': a.modelType = value(); break;
      case '--columns': {
        const v = value();
        a.columns = v.split(',').map(Number);
        if (!a.columns.every((c) => Number.isInteger(c) && c >= 0)) throw new UsageError(`--columns needs 0-based column numbers like 0,1, got '${v}'`);
        break;
      }
      case '--character-coverage': a.coverage = number(0, 1); break;
      case '--normalization': a.normalization = value(); break;
      case '--model': a.model = value(); break;
      case '--output-format': case '--input-format': a.format = value(); break;
      case '--skip-bad-lines': a.skipBadLines = true; break;
      default: throw new UsageError(`unknown option ${f}`);
    }
  }
  return a;
}

async function train(a: Args): Promise<number> {
  if (!a.inputs.length) throw new UsageError('train needs --input FILE...');
  if (!a.vocabSize) throw new UsageError('train needs --vocab-size N');
  if (!a.output) throw new UsageError('train needs --output PREFIX');
  if (a.normalization !== 'nmt_nfkc' && a.normalization !== 'identity') throw new UsageError(`--normalization must be nmt_nfkc or identity, got '${a.normalization}'`);
  const log = (line: string) => process.stderr.write(line + '\n');
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
    log(`wrote ${r.modelPath} and ${r.vocabPath}: ${r.model.pieces.length} pieces from ${r.sentences} sentences (${r.words} distinct words, ${r.characters} characters) in ${r.seconds.toFixed(1)} s`);
    return 0;
  }
  if (a.modelType !== 'char' && a.modelType !== 'word') throw new UsageError(`--model-type must be bpe, unigram, char or word, got '${a.modelType}'`);
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
  const tok = a.modelType === 'char' ? CharTokenizer.train(texts, { maxSize: a.vocabSize }) : WordTokenizer.train(texts, { maxTokens: a.vocabSize });
  tok.save(`${a.output}.json`);
  log(`wrote ${a.output}.json: ${tok.vocabSize} ids from ${texts.length} lines`);
  return 0;
}

function reportSkips(reports: Report[]): void {
  for (const r of reports) if (r.skipped) process.stderr.write(`skipped bad lines: ${r.summary()}\n`);
}

/** Runs `convert` on every stdin line and writes one stdout line each, in order. */
async function mapLines(a: Args, convert: (text: string, line: number) => string): Promise<number> {
  if (!a.model) throw new UsageError(`${a.sub} needs --model FILE`);
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
  if (a.format !== 'piece' && a.format !== 'id') throw new UsageError(`--output-format must be piece or id, got '${a.format}'`);
  const tok = await loadModel(a);
  return mapLines(a, (text) => (a.format === 'id' ? tok.encode(text).join(' ') : tok.encodePieces(text).join(' ')));
}

async function decode(a: Args): Promise<number> {
  if (a.format !== 'piece' && a.format !== 'id') throw new UsageError(`--input-format must be piece or id, got '${a.format}'`);
  const tok = await loadModel(a);
  return mapLines(a, (text, line) => {
    const items = text.split(' ').filter(Boolean);
    if (a.format === 'piece') return tok.decodePieces(items);
    const ids = items.map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0 || n >= tok.vocabSize) throw new Error(`<stdin>:${line}: '${s}' is not an id in 0..${tok.vocabSize - 1}`);
      return n;
    });
    return tok.decode(ids);
  });
}

async function loadModel(a: Args): Promise<PieceTokenizer> {
  if (!a.model) throw new UsageError(`${a.sub} needs --model FILE`);
  return loadTokenizer(a.model);
}

export const command: Command = {
  summary: 'train a tokenizer (SentencePiece BPE/unigram, char, word); encode/decode stdin → stdout',
  async run(argv) {
    try {
      const a = parseArgs(argv);
      switch (a.sub) {
        case 'train': return await train(a);
        case 'encode': return await encode(a);
        case 'decode': return await decode(a);
        case '': case 'help': case '--help': case '-h':
          process.stdout.write(USAGE);
          return a.sub ? 0 : 2;
        default: throw new UsageError(`unknown subcommand '${a.sub}'`);
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`parley tokenizer: ${message}\n`);
      if (e instanceof UsageError) process.stderr.write(USAGE);
      return e instanceof UsageError ? 2 : 1;
    }
  },
};
