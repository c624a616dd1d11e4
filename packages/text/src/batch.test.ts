import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import type { Example } from './batch';
import { batchTensors, exampleLength, makeBatches, padSequences } from './batch';
import { seededRandom } from '@parley/engine';

const rand = seededRandom(3);
const seq = (n: number) => Array.from({ length: n }, () => 4 + Math.floor(rand() * 50));
const examples: Example[] = Array.from({ length: 300 }, () => ({
  source: seq(1 + Math.floor(rand() * 40)),
  target: seq(1 + Math.floor(rand() * 40)),
}));

describe('makeBatches', () => {
  it('puts every example in exactly one batch, batches of similar lengths', () => {
    const batches = makeBatches(examples, { batchSize: 16, seed: 1 });
    expect(batches.flat().sort((a, b) => a - b)).toEqual(examples.map((_, i) => i));
    expect(batches.every((b) => b.length <= 16)).toBe(true);
    // Bucketing keeps padding low: the padded size is far below random batching.
    const padded = (bs: number[][]) =>
      bs.reduce((s, b) => s + b.length * Math.max(...b.map((i) => exampleLength(examples[i]!))), 0);
    const random = Array.from({ length: Math.ceil(300 / 16) }, (_, k) =>
      examples.map((_, i) => i).slice(k * 16, k * 16 + 16),
    );
    expect(padded(batches)).toBeLessThan(0.8 * padded(random));
  });

  it('caps padded tokens per batch with maxTokens', () => {
    const batches = makeBatches(examples, { maxTokens: 200, seed: 1 });
    for (const b of batches)
      expect(b.length * Math.max(...b.map((i) => exampleLength(examples[i]!)))).toBeLessThanOrEqual(200);
    expect(batches.flat()).toHaveLength(300);
  });

  it('shuffles from the seed: same seed same order, other seed other order', () => {
    expect(makeBatches(examples, { seed: 5 })).toEqual(makeBatches(examples, { seed: 5 }));
    expect(makeBatches(examples, { seed: 5 })).not.toEqual(makeBatches(examples, { seed: 6 }));
  });
});

describe('padding and tensors', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('pads with 0 and masks the padding', () => {
    const p = padSequences([[5, 6, 7], [8]], { bos: true, eos: true });
    expect(Array.from(p.ids)).toEqual([2, 5, 6, 7, 3, 2, 8, 3, 0, 0]);
    expect(Array.from(p.mask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(Array.from(p.lengths)).toEqual([5, 3]);
  });

  it('builds int32 id tensors and shifted decoder input/output for teacher forcing', () => {
    const ex: Example[] = [
      { source: [5, 6], target: [7] },
      { source: [8], target: [9, 10] },
    ];
    const b = batchTensors(ex, [0, 1]);
    expect(b.source.dtype).toBe('int32');
    expect(b.source.arraySync()).toEqual([
      [5, 6],
      [8, 0],
    ]);
    expect(b.sourceMask.arraySync()).toEqual([
      [1, 1],
      [1, 0],
    ]);
    expect(b.targetIn!.arraySync()).toEqual([
      [2, 7, 0],
      [2, 9, 10],
    ]);
    expect(b.targetOut!.arraySync()).toEqual([
      [7, 3, 0],
      [9, 10, 3],
    ]);
    expect(b.targetMask!.arraySync()).toEqual([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    expect(b.targetIn!.dtype).toBe('int32');
    tf.dispose(b as unknown as tf.Tensor[]);
  });
});
