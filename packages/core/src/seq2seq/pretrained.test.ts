import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { batchTensors } from '@parley/text';
import { Seq2seqModel, type Seq2seqBatch } from './model';
import { resolveModelConfig } from './model-config';
import { loadPretrained } from './pretrained';
import { WordTokenizer } from '@parley/text';

const dir = mkdtempSync(join(tmpdir(), 'parley-vec-'));
beforeAll(async () => {
  await initBackend();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pretrained embeddings', () => {
  it('loads rows of known tokens from a word2vec text file, and frozen rows stay fixed in training', async () => {
    const tok = WordTokenizer.train(['gato cão peixe'], { maxTokens: 10, standardize: 'none', normalization: 'NFC' });
    const file = join(dir, 'vec.txt');
    writeFileSync(file, '3 4\ngato 1 2 3 4\nzebra 9 9 9 9\npeixe -1 -2 -3 -4\n');
    const m = new Seq2seqModel(
      resolveModelConfig({
        vocabSize: tok.vocabSize,
        encoder: { embeddingDim: 4, hiddenSize: 4 },
        decoder: { embeddingDim: 8, hiddenSize: 8 },
      }),
      1,
    );
    expect(await loadPretrained(file, m.srcEmbedding, tok)).toBe(2);
    const table = m.srcEmbedding.arraySync() as number[][];
    expect(table[tok.encode('gato')[0]!]).toEqual([1, 2, 3, 4]);
    expect(table[tok.encode('peixe')[0]!]).toEqual([-1, -2, -3, -4]);
    m.frozen.add('src/embedding');
    const ids = tok.encode('gato cão peixe');
    const b = batchTensors([{ source: ids, target: ids }], [0]) as Seq2seqBatch;
    const r = m.lossAndGrads(b, 0, 1);
    expect(r.grads['src/embedding']).toBeUndefined();
    expect(r.grads['tgt/embedding']).toBeDefined();
    tf.dispose(Object.values(r.grads));
    writeFileSync(file, 'gato 1 2 3\n');
    await expect(loadPretrained(file, m.srcEmbedding, tok)).rejects.toThrow(
      /vec\.txt:1: 3 values after the word, expected 4$/,
    );
    m.dispose();
  });
});
