import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedFile, skipReason } from '../../../../test/support/shared';
import { spm, spmSkipReason } from '../../test/spm';
import { tempFile, tempPath } from '../../test/tmp';
import { SAMPLE_TEXT } from '../../test/sample-text';
import { SentencePieceTokenizer } from '../sentencepiece';
import { ModelType, encodeModel } from './model';
import { trainUnigram } from './unigram';

const TEXT = SAMPLE_TEXT.slice(0, 5);

describe('unigram trainer', () => {
  it('writes a unigram .model that sentencepiece-js loads and that round-trips text', async () => {
    const corpus = Array.from({ length: 40 }, (_, i) => TEXT[i % TEXT.length]!);
    expect(() => trainUnigram(corpus, { vocabSize: 500 })).toThrow(/only supports a vocabulary of \d+ pieces/);
    const { model } = trainUnigram(corpus, { vocabSize: 60 });
    expect(model.trainerSpec.modelType).toBe(ModelType.UNIGRAM);
    expect(model.pieces).toHaveLength(60);
    const scores = model.pieces.slice(4).map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a)); // best first, log probabilities
    expect(scores.every((s) => s < 0)).toBe(true);
    const path = tempPath('uni.model');
    writeFileSync(path, encodeModel(model));
    const tok = await SentencePieceTokenizer.load(path);
    for (const t of TEXT) {
      const ids = tok.encode(t);
      expect(ids.length).toBeLessThan([...t].length);
      expect(tok.decode(ids)).toBe(t);
    }
  });

  const reason = spmSkipReason() ?? skipReason('corpora/por-eng/pairs.tsv');
  it.skipIf(!!reason)(
    'compresses within 3% of spm_train --model_type=unigram; spm_encode segments like sentencepiece-js',
    async () => {
      const rows = readFileSync(sharedFile('corpora/por-eng/pairs.tsv')!, 'utf8')
        .split('\n')
        .filter(Boolean)
        .slice(0, 400);
      const text = rows.flatMap((r) => r.split('\t').slice(0, 2));
      const file = tempFile(text.join('\n') + '\n');
      const ours = tempPath('uni-ours.model');
      writeFileSync(ours, encodeModel(trainUnigram(text, { vocabSize: 400 }).model));
      const ref = tempPath('uni-ref');
      spm('spm_train', [
        `--input=${file}`,
        `--model_prefix=${ref}`,
        '--vocab_size=400',
        '--model_type=unigram',
        '--pad_id=0',
        '--unk_id=1',
        '--bos_id=2',
        '--eos_id=3',
      ]);
      const count = (model: string) =>
        spm('spm_encode', [`--model=${model}`, `--input=${file}`]).reduce((s, l) => s + l.split(' ').length, 0);
      const a = count(ours);
      const b = count(`${ref}.model`);
      process.stderr.write(
        `unigram pieces per sentence: ours ${(a / text.length).toFixed(3)}, spm_train ${(b / text.length).toFixed(3)}\n`,
      );
      expect(Math.abs(a / b - 1)).toBeLessThan(0.03);
      const tok = await SentencePieceTokenizer.load(ours);
      const sample = text.slice(0, 300);
      expect(sample.map((s) => tok.encodePieces(s).join(' '))).toEqual(
        spm('spm_encode', [`--model=${ours}`, '--output_format=piece'], sample.join('\n') + '\n'),
      );
    },
  );
});
