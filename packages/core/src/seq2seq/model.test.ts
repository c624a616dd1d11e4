import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, nativeSoftmaxCrossEntropyAvailable } from '@parley/engine';
import { batchTensors } from '@parley/text';
import { beamSearch, greedySearch } from '@parley/decode';
import { Seq2seqModel } from './model';
import { resolveModelConfig, type AttentionType } from './model-config';
import { smoothedCrossEntropy } from './loss';
import { loadSeq2seq, saveSeq2seq } from './io';
import { WordTokenizer } from '@parley/text';
import type { Seq2seqBatch } from './model';

const dirs: string[] = [];
beforeAll(async () => {
  await initBackend();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tinyModel(attention: AttentionType, rnn: 'lstm' | 'gru' = 'lstm', seed = 1) {
  return new Seq2seqModel(
    resolveModelConfig({
      vocabSize: 12,
      encoder: { rnn, embeddingDim: 8, hiddenSize: 8, bidirectional: true, layers: 2 },
      decoder: { rnn, embeddingDim: 16, hiddenSize: 16, attention, layers: 2 },
    }),
    seed,
  );
}

/** Two sources of different lengths, so the shorter one is padded. */
function batch(): Seq2seqBatch {
  const ex = [
    { source: [4, 5, 6, 7, 8], target: [8, 7, 6] },
    { source: [9, 10], target: [10, 9, 4, 5] },
  ];
  return batchTensors(ex, [0, 1]) as Seq2seqBatch;
}

describe('seq2seq model', () => {
  for (const attention of ['bahdanau', 'dot', 'general'] as const) {
    it(`${attention} attention weights sum to 1 over real source tokens and are 0 on padding`, () => {
      const m =
        attention === 'dot'
          ? new Seq2seqModel(
              resolveModelConfig({
                vocabSize: 12,
                encoder: { hiddenSize: 8, embeddingDim: 8 },
                decoder: { hiddenSize: 16, embeddingDim: 16, attention },
              }),
              1,
            )
          : tinyModel(attention, 'gru');
      const { attention: a } = m.forward(batch());
      const w = a.arraySync() as number[][][];
      for (const row of w[0]!) expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      for (const row of w[1]!) {
        expect(row[0]! + row[1]!).toBeCloseTo(1, 5);
        expect(row.slice(2).every((x) => x < 1e-6)).toBe(true);
      }
      m.dispose();
    });
  }

  it('rejects sizes that do not fit, naming the option', () => {
    expect(() =>
      resolveModelConfig({
        vocabSize: 10,
        encoder: { hiddenSize: 8 },
        decoder: { hiddenSize: 8, embeddingDim: 8, attention: 'dot' },
      }),
    ).toThrow(/dot needs/);
    expect(() => resolveModelConfig({ vocabSize: 10, decoder: { hiddenSize: 8, embeddingDim: 4 } })).toThrow(
      /tieEmbeddings/,
    );
  });

  it('label smoothing: ε = 0 is plain cross-entropy; padding does not count', () => {
    const logits = tf.tensor2d([
      [2, 0, 0],
      [0, 3, 0],
      [9, 9, 9],
    ]);
    const targets = tf.tensor1d([0, 1, 2], 'int32');
    const mask = tf.tensor1d([1, 1, 0]);
    const plain = smoothedCrossEntropy(logits, targets, mask, 0);
    const lp = tf.logSoftmax(logits).arraySync() as number[][];
    expect(plain.loss.dataSync()[0]).toBeCloseTo(-(lp[0]![0]! + lp[1]![1]!) / 2, 5);
    expect(plain.tokens.dataSync()[0]).toBe(2);
    const smooth = smoothedCrossEntropy(logits, targets, mask, 0.3);
    const expected = (r: number, g: number) => -(0.7 * lp[r]![g]! + (0.3 / 3) * lp[r]!.reduce((a, b) => a + b, 0));
    expect(smooth.loss.dataSync()[0]).toBeCloseTo((expected(0, 0) + expected(1, 1)) / 2, 5);
    // The perplexity's NLL stays the unsmoothed one.
    expect(smooth.nllSum.dataSync()[0]).toBeCloseTo(-(lp[0]![0]! + lp[1]![1]!), 5);
  });

  it('label smoothing on node: the fused op gives the composed loss, NLL and gradient', (ctx) => {
    if (!nativeSoftmaxCrossEntropyAvailable()) return ctx.skip(); // tfjs-node only: nothing else to compare
    const logits = tf.mul(tf.randomNormal([6, 9], 0, 1, 'float32', 3), 3) as tf.Tensor2D;
    const targets = tf.tensor1d([0, 8, 4, 4, 2, 7], 'int32');
    const mask = tf.tensor1d([1, 1, 1, 1, 1, 0]);
    const run = () => {
      const r = smoothedCrossEntropy(logits, targets, mask, 0.1);
      const g = tf.grad((x: tf.Tensor) => smoothedCrossEntropy(x as tf.Tensor2D, targets, mask, 0.1).loss)(logits);
      return { loss: r.loss.dataSync()[0]!, nll: r.nllSum.dataSync()[0]!, grad: g.arraySync() as number[][] };
    };
    const fused = run();
    process.env.PARLEY_NATIVE_XENT = '0';
    try {
      const composed = run();
      expect(fused.loss).toBeCloseTo(composed.loss, 5);
      expect(fused.nll).toBeCloseTo(composed.nll, 4);
      fused.grad.flat().forEach((g, i) => expect(g).toBeCloseTo(composed.grad.flat()[i]!, 6));
    } finally {
      delete process.env.PARLEY_NATIVE_XENT;
    }
  });

  it('a padded batch decodes exactly as each sentence alone (greedy and beam)', async () => {
    const m = tinyModel('bahdanau');
    const b = batch();
    const run = async (rows: number[], beam: number) => {
      const src = tf.gather(b.source, rows) as tf.Tensor2D;
      const mask = tf.gather(b.sourceMask, rows) as tf.Tensor2D;
      const lens = rows.map((r) => (r === 0 ? 5 : 2));
      const S = Math.max(...lens);
      const st = m.searchState(src.slice([0, 0], [-1, S]), mask.slice([0, 0], [-1, S]));
      const input = { model: m.stepModel, initialState: st, srcLengths: lens, bos: 2, eos: 3 };
      const out =
        beam === 1
          ? await greedySearch(input, { maxLength: 6 })
          : await beamSearch(input, { beamSize: beam, maxLength: 6, nBest: 2 });
      tf.dispose([src, mask, ...Object.values(st)]);
      return out;
    };
    for (const beam of [1, 3]) {
      const both = await run([0, 1], beam);
      const one = await run([1], beam);
      expect(one[0]!.map((h) => h.tokens)).toEqual(both[1]!.map((h) => h.tokens));
      one[0]!.forEach((h, i) => expect(h.logProb).toBeCloseTo(both[1]![i]!.logProb, 4));
    }
    const g = await run([0, 1], 1);
    const b1 = await (async () => {
      const st = m.searchState(b.source, b.sourceMask);
      const r = await beamSearch(
        { model: m.stepModel, initialState: st, srcLengths: [5, 2], bos: 2, eos: 3 },
        { beamSize: 1, maxLength: 6 },
      );
      tf.dispose(Object.values(st));
      return r;
    })();
    expect(b1.map((h) => h[0]!.tokens)).toEqual(g.map((h) => h[0]!.tokens));
    m.dispose();
  });

  it('source word dropout replaces real source tokens by <unk> only while training', () => {
    const m = tinyModel('general');
    const b = batch();
    m.dropout.training = true;
    m.dropout.reseed(1);
    const all = m.dropout.dropWords(b.source, b.sourceMask, 1, 1).arraySync();
    expect(all).toEqual([
      [1, 1, 1, 1, 1],
      [1, 1, 0, 0, 0],
    ]);
    m.dropout.training = false;
    expect(m.dropout.dropWords(b.source, b.sourceMask, 1, 1)).toBe(b.source);
    m.dispose();
  });

  it('saves and loads a model directory (float32 exact, float16 close)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-s2s-'));
    dirs.push(dir);
    const tok = WordTokenizer.train(['a b c d e f g h'], { maxTokens: 12, standardize: 'none', normalization: 'NFC' });
    const m = tinyModel('general');
    const before = m.evaluate(batch()).loss;
    saveSeq2seq(join(dir, 'f32'), m, tok);
    saveSeq2seq(join(dir, 'f16'), m, tok, { dtype: 'float16' });
    const a = await loadSeq2seq(join(dir, 'f32'));
    const h = await loadSeq2seq(join(dir, 'f16'));
    expect(a.model.evaluate(batch()).loss).toBeCloseTo(before, 6);
    expect(Math.abs(h.model.evaluate(batch()).loss - before)).toBeLessThan(1e-2);
    expect(a.tokenizer.encode('c a z')).toEqual(tok.encode('c a z'));
    expect(a.manifest.kind).toBe('seq2seq');
    [m, a.model, h.model].forEach((x) => x.dispose());
  });
});
