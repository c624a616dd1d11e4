import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendName } from '../backend';
import { embeddingLookup } from './embedding';
import { gru } from './gru';
import { lstm } from './lstm';
import { bidirectional, bidirectionalGru, bidirectionalLstm, stackedGru, stackedLstm } from './stack';
import { maxDiff, rand, testBackends } from './testing';
import { createGruWeights, createLstmWeights } from './weights';

const [backend] = testBackends().slice(-1) as [BackendName];

describe(`stacking, bidirectional and embedding helpers (${backend})`, () => {
  beforeAll(() => useBackend(backend));
  const x = () => rand([2, 4, 3], 1) as tf.Tensor3D;

  it('stackedLstm feeds each layer into the next and returns every final state', () => {
    const layers = [createLstmWeights(3, 5, { seed: 1 }), createLstmWeights(5, 5, { seed: 2 })];
    const s = stackedLstm(x(), layers);
    const l1 = lstm(x(), layers[0]!);
    const l2 = lstm(l1.outputs, layers[1]!);
    expect(maxDiff(s.outputs, l2.outputs)).toBe(0);
    expect(s.states.length).toBe(2);
    expect(maxDiff(s.states[0]!.c, l1.c)).toBe(0);
  });

  it('inter-layer dropout only applies when training', () => {
    const layers = [createGruWeights(3, 5, { seed: 1 }), createGruWeights(5, 5, { seed: 2 })];
    const eval1 = stackedGru(x(), layers, { dropout: 0.5 });
    const plain = gru(gru(x(), layers[0]!).outputs, layers[1]!);
    expect(maxDiff(eval1.outputs, plain.outputs)).toBe(0);
    const train = stackedGru(x(), layers, { dropout: 0.5, training: true, seed: 3 });
    expect(maxDiff(train.outputs, plain.outputs)).toBeGreaterThan(1e-3);
  });

  it('bidirectional layers concatenate forward and right-to-left outputs', () => {
    const [f, b] = [createLstmWeights(3, 4, { seed: 1 }), createLstmWeights(3, 4, { seed: 2 })];
    const bi = bidirectionalLstm(x(), f, b);
    expect(bi.outputs.shape).toEqual([2, 4, 8]);
    const back = lstm(tf.reverse(x(), 1) as tf.Tensor3D, b);
    expect(maxDiff(bi.outputs.slice([0, 0, 4], [2, 4, 4]), tf.reverse(back.outputs, 1))).toBeLessThan(1e-6);
    expect(maxDiff(bi.backward.h, back.h)).toBeLessThan(1e-6);
    const [gf, gb] = [createGruWeights(3, 4, { seed: 1 }), createGruWeights(3, 4, { seed: 2 })];
    const biG = bidirectionalGru(x(), gf, gb);
    const generic = bidirectional(x(), (xx, goBackwards) => gru(xx, goBackwards ? gb : gf, { goBackwards }));
    expect(maxDiff(biG.outputs, generic.outputs)).toBe(0);
  });

  it('an empty sequence returns the initial state', () => {
    const h = rand([2, 5], 9) as tf.Tensor2D;
    const r = lstm(tf.zeros([2, 0, 3]) as tf.Tensor3D, createLstmWeights(3, 5), { initialState: { h, c: h } });
    expect(r.outputs.shape).toEqual([2, 0, 5]);
    expect(maxDiff(r.h, h)).toBe(0);
    expect(gru(tf.zeros([2, 0, 3]) as tf.Tensor3D, createGruWeights(3, 5), { initialState: h }).h.shape).toEqual([
      2, 5,
    ]);
  });

  it('embeddingLookup gathers rows for ids of any shape and trains on wasm', () => {
    const table = tf.variable(rand([6, 3], 4));
    const ids = tf.tensor2d(
      [
        [0, 5],
        [5, 2],
      ],
      [2, 2],
      'int32',
    );
    const e = embeddingLookup(table, ids);
    expect(e.shape).toEqual([2, 2, 3]);
    expect(maxDiff(e.slice([1, 0, 0], [1, 1, 3]).reshape([3]), table.slice([5, 0], [1, 3]).reshape([3]))).toBe(0);
    const g = tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t as tf.Variable, ids)))(table);
    expect(g.arraySync()).toEqual([
      [1, 1, 1],
      [0, 0, 0],
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
      [2, 2, 2],
    ]);
  });
});
