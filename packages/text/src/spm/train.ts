// Trains a SentencePiece model from files and writes `<prefix>.model` and `<prefix>.vocab`, like spm_train.
import { writeFileAtomic } from '../atomic';
import type { ReaderOptions } from '../lines';
import { CorpusError, ReadReport, badLine, readLines } from '../lines';
import type { BpeTrainOptions, BpeTrainResult } from './bpe';
import { trainBpe } from './bpe';
import type { UnigramTrainOptions } from './unigram';
import { trainUnigram } from './unigram';
import { encodeModel } from './model';

/** Options for `trainSentencePiece`. */
export interface SentencePieceTrainOptions
  extends Omit<BpeTrainOptions, 'inputNames'>, Omit<UnigramTrainOptions, 'inputNames' | 'vocabSize' | 'log'> {
  /** 'bpe' (default) or 'unigram' (slower to train; spm_train's default type). */
  modelType?: 'bpe' | 'unigram';
  /**
   * Treat each input line as tab-separated and train on these 0-based columns (each is one sentence), e.g. [0, 1]
   * for both sides of a pairs TSV. A line with too few columns is a bad line. Default: the whole line.
   */
  columns?: number[];
  /** Skip bad lines (invalid UTF-8, too few columns, …) and count them instead of stopping. Default false. */
  skipBadLines?: boolean;
}

/** What `trainSentencePiece` wrote and saw. */
export interface SentencePieceTrainResult extends BpeTrainResult {
  /** Path of the `.model` file. */
  modelPath: string;
  /** Path of the `.vocab` file (piece<TAB>score per line). */
  vocabPath: string;
  /** One read report per input file (lines read, skipped). */
  reports: ReadReport[];
  /** Wall-clock seconds spent reading and training. */
  seconds: number;
}

/** Reads every input (streaming, UTF-8-validated), trains, writes `<outputPrefix>.model` and `.vocab`. */
export async function trainSentencePiece(
  inputs: string[],
  outputPrefix: string,
  options: SentencePieceTrainOptions,
): Promise<SentencePieceTrainResult> {
  const type = options.modelType ?? 'bpe';
  if (type !== 'bpe' && type !== 'unigram')
    throw new Error(`model type ${String(type)} is not supported (bpe or unigram)`);
  if (!inputs.length) throw new Error('no input files');
  const t0 = performance.now();
  const sentences: string[] = [];
  const reports: ReadReport[] = [];
  for (const file of inputs) {
    const report = new ReadReport(file);
    reports.push(report);
    const opts: ReaderOptions = { skipBadLines: options.skipBadLines, report };
    for await (const { line, text } of readLines(file, opts, report)) {
      if (!options.columns) {
        if (text.trim()) sentences.push(text);
        report.records++;
        continue;
      }
      const fields = text.split('\t');
      const need = Math.max(...options.columns) + 1;
      if (fields.length < need) {
        badLine(
          new CorpusError(
            file,
            line,
            `wrong column count (need at least ${need} tab-separated columns, found ${fields.length})`,
          ),
          opts,
          report,
        );
        continue;
      }
      for (const c of options.columns) if (fields[c]!.trim()) sentences.push(fields[c]!);
      report.records++;
    }
  }
  if (sentences.length === 0) throw new Error(`${inputs.join(', ')}: no text to train on (the input is empty)`);
  const result =
    type === 'bpe'
      ? trainBpe(sentences, { ...options, inputNames: inputs })
      : trainUnigram(sentences, { ...options, inputNames: inputs });
  const modelPath = `${outputPrefix}.model`;
  const vocabPath = `${outputPrefix}.vocab`;
  result.model.trainerSpec.modelPrefix = outputPrefix;
  writeFileAtomic(modelPath, encodeModel(result.model));
  writeFileAtomic(vocabPath, result.model.pieces.map((p) => `${p.piece}\t${p.score}\n`).join(''));
  return { ...result, modelPath, vocabPath, reports, seconds: (performance.now() - t0) / 1000 };
}
