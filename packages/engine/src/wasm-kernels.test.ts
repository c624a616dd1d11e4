import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from './backend';

/** Runs f on cpu and on wasm and returns both results as nested arrays. */
async function onBoth<T>(f: () => tf.Tensor): Promise<{ cpu: T; wasm: T }> {
  await useBackend('cpu');
  const cpu = f().arraySync() as T;
  await useBackend('wasm');
  const wasm = f().arraySync() as T;
  return { cpu, wasm };
}

function close(a: unknown, b: unknown, tol = 1e-4): void {
  const fa = [a].flat(Infinity as 1) as number[];
  const fb = [b].flat(Infinity as 1) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]!)).toBeLessThan(tol));
}

describe('wasm kernel fixes (each checked against cpu)', () => {
  beforeAll(() => useBackend('cpu'));
  it('BatchMatMul with transposeA / transposeB / both, 2-D and batched', async () => {
    const a = tf.randomUniform([3, 7, 5], -1, 1, 'float32', 1);
    const b = tf.randomUniform([3, 7, 5], -1, 1, 'float32', 2);
    for (const [ta, tb] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const { cpu, wasm } = await onBoth(() => tf.matMul(a, ta === tb ? tf.transpose(b, [0, 2, 1]) : b, ta, tb));
      close(wasm, cpu);
    }
    // aᵀ·b with a wide b takes the swapped order (bᵀ·a)ᵀ.
    const tall = tf.randomUniform([40, 3], -1, 1, 'float32', 4);
    const wide = tf.randomUniform([40, 50], -1, 1, 'float32', 5);
    const swapped = await onBoth(() => tf.matMul(tall, wide, true, false));
    expect(tf.tensor(swapped.wasm as number[][]).shape).toEqual([3, 50]);
    close(swapped.wasm, swapped.cpu);
    const m = tf.randomUniform([6, 4], -1, 1, 'float32', 3);
    const { cpu, wasm } = await onBoth(() => tf.matMul(m, m, true, false));
    expect((wasm as number[][]).length).toBe(4);
    close(wasm, cpu);
  });

  it('batched matMul (attention shapes, broadcast batch, transposes) matches cpu', async () => {
    const q = tf.randomUniform([4, 5, 6], -1, 1, 'float32', 12);
    const kv = tf.randomUniform([4, 7, 6], -1, 1, 'float32', 13);
    const w = tf.randomUniform([6, 3], -1, 1, 'float32', 14);
    const cases: [string, () => tf.Tensor][] = [
      ['scores q·kᵀ', () => tf.matMul(q, kv, false, true)],
      ['context', () => tf.matMul(tf.softmax(tf.matMul(q, kv, false, true)), kv)],
      ['broadcast b', () => tf.matMul(q, w.reshape([1, 6, 3]))],
      ['rank 4', () => tf.matMul(q.reshape([2, 2, 5, 6]), kv.reshape([2, 2, 7, 6]), false, true)],
    ];
    for (const [name, f] of cases) {
      const { cpu, wasm } = await onBoth(f);
      expect(tf.tensor(wasm as number[]).shape, name).toEqual(tf.tensor(cpu as number[]).shape);
      close(wasm, cpu);
    }
  });

  it('fused matMul with transposeB and bias', async () => {
    const a = tf.randomUniform([5, 3], -1, 1, 'float32', 4);
    const b = tf.randomUniform([4, 3], -1, 1, 'float32', 5);
    const bias = tf.randomUniform([4], -1, 1, 'float32', 6);
    const { cpu, wasm } = await onBoth(() => tf.fused.matMul({ a, b, transposeB: true, bias, activation: 'relu' }));
    close(wasm, cpu);
  });

  it('Sum over leading axes (bias gradients) matches cpu; other sums still work', async () => {
    const x = tf.randomUniform([5, 3, 6], -1, 1, 'float32', 10);
    const cases: [number | number[], boolean][] = [
      [0, false],
      [[0, 1], false],
      [[1, 0], true],
      [-3, true],
      [1, false],
      [[0, 2], false],
      [[0, 1, 2], false],
    ];
    for (const [axis, keepDims] of cases) {
      const { cpu, wasm } = await onBoth(() => tf.sum(x, axis, keepDims));
      close(wasm, cpu);
    }
    const odd = tf.randomUniform([7, 5], -1, 1, 'float32', 11);
    const { cpu, wasm } = await onBoth(() => tf.sum(odd, 0));
    close(wasm, cpu);
    expect(tf.sum(tf.ones([3, 2]), 0).arraySync()).toEqual([3, 3]);
  });

  it('gather of rows (embedding lookup) matches cpu; other gathers still work; bad ids are refused', async () => {
    const table = tf.randomUniform([9, 5], -1, 1, 'float32', 15);
    const ids = tf.tensor2d(
      [
        [0, 8, 3],
        [3, 3, 1],
      ],
      [2, 3],
      'int32',
    );
    for (const f of [
      () => tf.gather(table, ids),
      () => tf.gather(table, ids.reshape([-1]), 0),
      () => tf.gather(table, tf.tensor1d([4, 0], 'int32'), 1),
    ]) {
      const { cpu, wasm } = await onBoth(f);
      close(wasm, cpu, 1e-7);
    }
    await useBackend('wasm');
    expect(() => tf.gather(table, tf.tensor1d([9], 'int32')).dataSync()).toThrow(/index value 9/);
  });

  it('transpose of the last two axes (any sizes, batched) matches cpu; other perms still work', async () => {
    for (const shape of [
      [4, 8],
      [7, 5],
      [3, 9, 6],
      [2, 2, 17, 4],
      [1, 1],
    ]) {
      const x = tf.randomUniform(shape, -1, 1, 'float32', shape.length);
      const r = shape.length;
      const perm = [...Array(r).keys()];
      [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
      const { cpu, wasm } = await onBoth(() => tf.transpose(x, perm));
      close(wasm, cpu, 1e-9);
    }
    const x3 = tf.randomUniform([3, 4, 5], -1, 1, 'float32', 9);
    const { cpu, wasm } = await onBoth(() => tf.transpose(x3, [1, 0, 2]));
    close(wasm, cpu, 1e-9);
  });

  it('slice (contiguous, strided, -1 sizes, scalar begin, empty) matches cpu; int32 slices still work', async () => {
    const x = tf.randomUniform([6, 5, 4], -1, 1, 'float32', 11);
    const cases: [number | number[], number | number[] | undefined][] = [
      [
        [1, 0, 0],
        [2, -1, -1],
      ], // contiguous block (the LSTM's state buffer)
      [
        [0, 1, 1],
        [3, 3, 2],
      ], // strided in every axis
      [
        [2, 4, 3],
        [-1, 1, 1],
      ],
      [2, undefined], // scalar begin: rows 2… of axis 0
      [
        [0, 0, 0],
        [6, 0, 4],
      ], // empty
    ];
    for (const [begin, size] of cases) {
      const { cpu, wasm } = await onBoth(() => tf.slice(x, begin, size));
      expect(tf.tensor(wasm as number[]).shape).toEqual(tf.tensor(cpu as number[]).shape);
      close(wasm, cpu, 1e-9);
    }
    const { cpu, wasm } = await onBoth(() => tf.slice(tf.tensor1d([1, 2, 3, 4], 'int32'), [1], [2]));
    expect(wasm).toEqual(cpu);
    expect(wasm).toEqual([2, 3]);
  });

  it('unstack and split along any axis match cpu, one output per part', async () => {
    const x = tf.randomUniform([3, 4, 5], -1, 1, 'float32', 12);
    for (const axis of [0, 1, 2, -1]) {
      const { cpu, wasm } = await onBoth(() => tf.stack(tf.unstack(x, axis)));
      expect(tf.tensor(wasm as number[]).shape).toEqual(tf.tensor(cpu as number[]).shape);
      close(wasm, cpu, 1e-9);
    }
    for (const [sizes, axis] of [
      [[1, 3], 1],
      [[2, -1, 1], 2],
      [3, 0],
    ] as [number | number[], number][]) {
      await useBackend('cpu');
      const cpu = tf.split(x, sizes, axis).map((t) => t.arraySync());
      await useBackend('wasm');
      const wasm = tf.split(x, sizes, axis).map((t) => t.arraySync());
      expect(wasm.length).toBe(cpu.length);
      wasm.forEach((w, i) => close(w, cpu[i], 1e-9));
    }
  });

  it('UnsortedSegmentSum (the embedding gradient) matches cpu, including repeated and dropped ids', async () => {
    const x = tf.randomUniform([6, 3], -1, 1, 'float32', 7);
    const ids = tf.tensor1d([2, 0, 2, 4, 0, 2], 'int32');
    const { cpu, wasm } = await onBoth(() => tf.unsortedSegmentSum(x, ids, 5));
    // Both backends run Parley's kernel now, so check against sums computed here too.
    const rows = x.arraySync() as number[][];
    const expected = [0, 1, 2, 3, 4].map((s) =>
      [0, 1, 2].map((c) =>
        [0, 1, 2, 3, 4, 5].reduce((a, r) => a + ([2, 0, 2, 4, 0, 2][r] === s ? rows[r]![c]! : 0), 0),
      ),
    );
    close(wasm, expected, 1e-5);
    close(cpu, expected, 1e-5);
    expect((wasm as number[][])[1]).toEqual([0, 0, 0]);
  });

  it('an embedding + dense softmax model trains on wasm with the same gradient as cpu', async () => {
    const grads = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const table = tf.variable(tf.randomUniform([10, 4], -1, 1, 'float32', 8));
      const dense = tf.variable(tf.randomUniform([4, 10], -1, 1, 'float32', 9));
      const ids = tf.tensor2d(
        [
          [1, 2, 2],
          [9, 0, 1],
        ],
        [2, 3],
        'int32',
      );
      const { grads: g } = tf.variableGrads(() => {
        const e = tf.gather(table, ids.reshape([-1]));
        return tf.losses.softmaxCrossEntropy(tf.oneHot(ids.reshape([-1]), 10), tf.matMul(e, dense)) as tf.Scalar;
      }, [table, dense]);
      const out = [g[table.name]!.arraySync(), g[dense.name]!.arraySync()];
      table.dispose();
      dense.dispose();
      return out;
    };
    const cpu = await grads('cpu');
    const wasm = await grads('wasm');
    close(wasm, cpu);
    expect((wasm[0] as number[][])[3]).toEqual([0, 0, 0, 0]);
  });
});
