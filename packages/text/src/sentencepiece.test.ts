import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sharedFile, skipReason } from '../../../test/support/shared';
import { spm, spmSkipReason } from '../test/spm';
import { tempFile, tempPath } from '../test/tmp';
import { SAMPLE_TEXT } from '../test/sample-text';
import { SentencePieceTokenizer } from './sentencepiece';
import { trainBpe } from './spm/bpe';
import { decodeModel, encodeModel } from './spm/model';
import { Normalizer, normalizerSpec } from './spm/normalizer';
import { trainSentencePiece } from './spm/train';

const TEXT = SAMPLE_TEXT;
const corpus = Array.from({ length: 30 }, (_, i) => TEXT[i % TEXT.length]!);

describe('pure-TypeScript BPE trainer → SentencePiece .model', () => {
  let tok: SentencePieceTokenizer;
  let path: string;
  beforeAll(async () => {
    path = tempFile('', 'tiny.model');
    const { model } = trainBpe(corpus, { vocabSize: 150 });
    expect(model.pieces).toHaveLength(150);
    writeFileSync(path, encodeModel(model));
    tok = await SentencePieceTokenizer.load(path);
  });

  it('writes a model sentencepiece-js loads, with Parley ids pad 0, unk 1, bos 2, eos 3', () => {
    expect(tok.vocabSize).toBe(150);
    expect([tok.padId, tok.unkId, tok.bosId, tok.eosId]).toEqual([0, 1, 2, 3]);
    // The first merge is the most frequent adjacent pair (counted here by brute force over normalized words).
    const pairs = new Map<string, number>();
    for (const s of corpus)
      for (const w of s.split(' ').map((x) => [...`▁${x}`]))
        for (let i = 0; i + 1 < w.length; i++) {
          const p = w[i]! + w[i + 1]!;
          if (!/^▁?\p{L}+$/u.test(p)) continue; // letters only: no script/number boundary questions
          pairs.set(p, (pairs.get(p) ?? 0) + 1);
        }
    const best = Math.max(...pairs.values());
    expect(pairs.get(tok.idToPiece(4))).toBe(best);
  });

  it('round-trips text: decode(encode(x)) === x for normalized text', () => {
    for (const t of [...TEXT, 'lowest newest tower', 'Roma informação']) {
      const ids = tok.encode(t);
      expect(ids.length).toBeLessThan([...t].length);
      expect(tok.decode(ids)).toBe(t);
      expect(tok.decodePieces(tok.encodePieces(t))).toBe(t);
    }
    expect(tok.encodePieces('lowest lower')).toEqual(['▁low', 'est', '▁lower']);
  });

  it('maps unseen characters to unk and drops control ids when decoding', () => {
    expect(tok.encode('日')).toContain(tok.unkId);
    expect(tok.decode([2, ...tok.encode('lower'), 3, 0])).toBe('lower');
    expect(() => tok.decode([150])).toThrow(/out of range/);
  });

  it('decodes what it encodes: ModelProto bytes round-trip', () => {
    const bytes = readFileSync(path);
    expect(Buffer.compare(encodeModel(decodeModel(bytes)), bytes)).toBe(0);
  });

  it('rejects a file that is not a model, naming it', async () => {
    const bad = tempFile('hello\n', 'bad.model');
    await expect(SentencePieceTokenizer.load(bad)).rejects.toThrow(bad);
  });

  it("applies the model's normalization: nmt_nfkc folds full-width letters, identity keeps them", async () => {
    const fold = new Normalizer(normalizerSpec('nmt_nfkc'));
    const keep = new Normalizer(normalizerSpec('identity'));
    expect(fold.normalize('  Ｈｅｌｌｏ\u00a0 ﬁ ')).toBe('▁Hello▁fi');
    expect(keep.normalize('  Ｈｅｌｌｏ  ﬁ ')).toBe('▁Ｈｅｌｌｏ▁ﬁ');
    const path = tempPath('identity.model');
    writeFileSync(path, encodeModel(trainBpe(corpus, { vocabSize: 150, normalization: 'identity' }).model));
    const id = await SentencePieceTokenizer.load(path);
    expect(id.model.normalizerSpec.name).toBe('identity');
    expect(id.encode('ｔｈｅ')).toContain(id.unkId);
    expect(tok.encodePieces('ｔｈｅ')).toEqual(tok.encodePieces('the')); // nmt_nfkc turns it into "the"
  });

  it('refuses a vocabulary the corpus cannot fill', () => {
    expect(() => trainBpe(['ab ab'], { vocabSize: 50 })).toThrow(/only supports a vocabulary of/);
  });
});

describe('parity with Google SentencePiece (spm_train / spm_encode)', () => {
  const reason = spmSkipReason() ?? skipReason('corpora/por-eng/pairs.tsv');
  // The first 2,500 pairs (5,000 sentences) keep the test quick; `npm run bench -- text` compares at full scale.
  const rows = () =>
    readFileSync(sharedFile('corpora/por-eng/pairs.tsv')!, 'utf8').split('\n').filter(Boolean).slice(0, 2500);
  const lines = () => rows().flatMap((r) => r.split('\t').slice(0, 2));

  it.skipIf(!!spmSkipReason())('learns the same pieces as spm_train on a small corpus', () => {
    const prefix = tempPath('tiny-ref');
    spm('spm_train', [
      `--input=${tempFile(corpus.join('\n') + '\n')}`,
      `--model_prefix=${prefix}`,
      '--vocab_size=150',
      '--model_type=bpe',
      '--pad_id=0',
      '--unk_id=1',
      '--bos_id=2',
      '--eos_id=3',
    ]);
    const ref = readFileSync(`${prefix}.vocab`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]);
    expect(trainBpe(corpus, { vocabSize: 150 }).model.pieces.map((p) => p.piece)).toEqual(ref);
  });

  it.skipIf(!!reason)('normalizes exactly like spm_normalize (nmt_nfkc)', () => {
    const sentences = [
      ...lines().slice(0, 3000),
      '  Hello\u00a0  world\u3000x ﬁ ① Ａ\t tab \u200b zw  ',
      'Å é',
      'ｶﾀｶﾅ ㌀',
    ];
    const expected = spm('spm_normalize', ['--normalization_rule_name=nmt_nfkc'], sentences.join('\n') + '\n');
    const n = new Normalizer(normalizerSpec('nmt_nfkc'));
    const ours = sentences.map((s) => n.normalize(s).replace(/^▁/, '').replace(/▁/g, ' '));
    expect(ours).toEqual(expected);
  });

  it.skipIf(!!reason)(
    'trains BPE with compression within 3% of spm_train; spm_encode and sentencepiece-js segment identically',
    async () => {
      const input = tempFile(rows().join('\n') + '\n');
      const prefix = tempPath('ours');
      const ours = await trainSentencePiece([input], prefix, { vocabSize: 2000, columns: [0, 1] });
      const text = lines();
      const corpusFile = tempFile(text.join('\n') + '\n');
      const refPrefix = tempPath('ref');
      spm('spm_train', [
        `--input=${corpusFile}`,
        `--model_prefix=${refPrefix}`,
        '--vocab_size=2000',
        '--model_type=bpe',
        '--pad_id=0',
        '--unk_id=1',
        '--bos_id=2',
        '--eos_id=3',
      ]);
      const count = (model: string) =>
        spm('spm_encode', [`--model=${model}`, `--input=${corpusFile}`]).reduce((s, l) => s + l.split(' ').length, 0);
      const oursPieces = count(ours.modelPath);
      const refPieces = count(`${refPrefix}.model`);
      process.stderr.write(
        `pieces per sentence: ours ${(oursPieces / text.length).toFixed(3)}, spm_train ${(refPieces / text.length).toFixed(3)}\n`,
      );
      expect(Math.abs(oursPieces / refPieces - 1)).toBeLessThan(0.03);

      // The same model file gives the same segmentation in Google's spm_encode and in sentencepiece-js.
      const tok = await SentencePieceTokenizer.load(ours.modelPath);
      const sample = text.filter((_, i) => i % 7 === 0);
      const spmIds = spm('spm_encode', [`--model=${ours.modelPath}`, '--output_format=id'], sample.join('\n') + '\n');
      expect(sample.map((s) => tok.encode(s).join(' '))).toEqual(spmIds);
      const spmPieces = spm(
        'spm_encode',
        [`--model=${ours.modelPath}`, '--output_format=piece'],
        sample.join('\n') + '\n',
      );
      expect(sample.map((s) => tok.encodePieces(s).join(' '))).toEqual(spmPieces);

      // And a model trained by spm_train loads here with the same segmentation.
      const ref = await SentencePieceTokenizer.load(`${refPrefix}.model`);
      expect(sample.map((s) => ref.encode(s).join(' '))).toEqual(
        spm('spm_encode', [`--model=${refPrefix}.model`, '--output_format=id'], sample.join('\n') + '\n'),
      );
    },
  );
});
