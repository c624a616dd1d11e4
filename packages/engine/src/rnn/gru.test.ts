import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../backend';
import { setSimdKernels } from '../simd/index';
import { gru } from './gru';
import { gruStep } from './step';
import { gruStepReference, maxDiff, rand, referenceGru, testBackends } from './testing';
import { createGruWeights } from './weights';
import type { GruWeights } from './types';

// units 8 takes the SIMD kernels on wasm; units 6 (not a multiple of 4) the JS kernels.
const [B, T, I, U] = [3, 5, 4, 8];

function kerasGru(w: GruWeights, goBackwards = false) {
  const layer = tf.layers.gru({
    units: U,
    returnSequences: true,
    returnState: true,
    recurrentActivation: 'sigmoid',
    goBackwards,
  });
  layer.apply(tf.zeros([B, T, I]), { initialState: [tf.zeros([B, U])] });
  layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
  return layer;
}

for (const backend of testBackends()) {
  describe(`gru on ${backend}`, () => {
    let w: GruWeights;
    let x: tf.Tensor3D;
    let h0: tf.Tensor2D;
    beforeAll(async () => {
      await useBackend(backend);
      w = createGruWeights(I, U, { seed: 1 });
      w.bias.assign(rand([3 * U], 9, 0.5) as tf.Tensor1D);
      x = rand([B, T, I], 2) as tf.Tensor3D;
      h0 = rand([B, U], 3, 0.5) as tf.Tensor2D;
    });
    afterAll(() => tf.disposeVariables());

    it('matches tf.layers.gru forward (outputs and final state, with initial state)', () => {
      const [ko, kh] = kerasGru(w).apply(x, { initialState: [h0] }) as tf.Tensor[];
      const ours = gru(x, w, { initialState: h0 });
      expect(maxDiff(ours.outputs, ko!)).toBeLessThan(1e-4);
      expect(maxDiff(ours.h, kh!)).toBeLessThan(1e-4);
      expect(maxDiff(ours.outputs, tf.zerosLike(ours.outputs))).toBeGreaterThan(0.05);
    });

    it('matches tf.layers.gru with goBackwards (outputs aligned with input positions)', () => {
      const [ko, kh] = kerasGru(w, true).apply(x) as tf.Tensor[];
      const ours = gru(x, w, { goBackwards: true });
      expect(maxDiff(ours.outputs, tf.reverse(ko!, 1))).toBeLessThan(1e-4);
      expect(maxDiff(ours.h, kh!)).toBeLessThan(1e-4);
    });

    it('gradients match tf.layers.gru autodiff for x, weights and initial state', () => {
      const layer = kerasGru(w);
      const r1 = rand([B, T, U], 5);
      const r2 = rand([B, U], 6);
      const lossOf = (o: tf.Tensor, h: tf.Tensor) => tf.add(tf.sum(tf.mul(o, r1)), tf.sum(tf.mul(h, r2))) as tf.Scalar;
      const ours = tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor, h: tf.Tensor) => {
        const r = gru(xx as tf.Tensor3D, { kernel: k, recurrentKernel: rk, bias: b } as unknown as GruWeights, {
          initialState: h as tf.Tensor2D,
        });
        return lossOf(r.outputs, r.h);
      })([x, w.kernel, w.recurrentKernel, w.bias, h0]);
      const theirs = tf.grads((xx: tf.Tensor, h: tf.Tensor) => {
        const [o, hh] = layer.apply(xx, { initialState: [h] }) as tf.Tensor[];
        return lossOf(o!, hh!);
      })([x, h0]);
      const vars = layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val);
      const wGrads = tf.variableGrads(() => {
        const [o, hh] = layer.apply(x, { initialState: [h0] }) as tf.Tensor[];
        return lossOf(o!, hh!);
      }, vars).grads;
      expect(maxDiff(ours[0]!, theirs[0]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[1]!, wGrads[vars[0]!.name]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[2]!, wGrads[vars[1]!.name]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[3]!, wGrads[vars[2]!.name]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[4]!, theirs[1]!)).toBeLessThan(1e-4);
    });

    it('masked padding: padded steps keep the state, output zeros, and gradients match the unrolled reference', () => {
      const mask = tf.tensor2d([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
        [1, 0, 1, 1, 0],
      ]);
      for (const goBackwards of [false, true]) {
        const ours = gru(x, w, { mask, goBackwards, initialState: h0 });
        const ref = referenceGru(x, w, h0, mask, goBackwards);
        expect(maxDiff(ours.outputs, ref.outputs)).toBeLessThan(1e-4);
        expect(maxDiff(ours.h, ref.h)).toBeLessThan(1e-4);
        const padded = ours.outputs.slice([1, 3, 0], [1, 2, U]);
        expect(maxDiff(padded, tf.zerosLike(padded))).toBe(0);
        const r1 = rand([B, T, U], 11);
        const f = (useRef: boolean) =>
          tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor, h: tf.Tensor) => {
            const ww = { kernel: k, recurrentKernel: rk, bias: b } as unknown as GruWeights;
            const r = useRef
              ? referenceGru(xx as tf.Tensor3D, ww, h as tf.Tensor2D, mask, goBackwards)
              : gru(xx as tf.Tensor3D, ww, { mask, goBackwards, initialState: h as tf.Tensor2D });
            return tf.add(tf.sum(tf.mul(r.outputs, r1)), tf.sum(r.h)) as tf.Scalar;
          })([x, w.kernel, w.recurrentKernel, w.bias, h0]);
        const a = f(false);
        const b = f(true);
        a.forEach((g, k) => expect(maxDiff(g, b[k]!), `grad ${k} backwards=${goBackwards}`).toBeLessThan(1e-4));
      }
    });

    it('finite differences agree with the hand-written gradient of the recurrent kernel', () => {
      const r1 = rand([B, T, U], 12);
      const loss = (rk: tf.Tensor) =>
        tf.sum(
          tf.mul(gru(x, { kernel: w.kernel, recurrentKernel: rk, bias: w.bias } as unknown as GruWeights).outputs, r1),
        ) as tf.Scalar;
      const g = tf.grad(loss)(w.recurrentKernel).arraySync() as number[][];
      const k0 = w.recurrentKernel.arraySync() as number[][];
      const eps = 1e-2;
      for (const [r, c] of [
        [0, 0],
        [1, 7],
        [5, 13],
        [2, 17],
      ] as const) {
        const plus = k0.map((row) => [...row]);
        const minus = k0.map((row) => [...row]);
        plus[r]![c]! += eps;
        minus[r]![c]! -= eps;
        const fd = (loss(tf.tensor2d(plus)).dataSync()[0]! - loss(tf.tensor2d(minus)).dataSync()[0]!) / (2 * eps);
        expect(Math.abs(fd - g[r]![c]!)).toBeLessThan(2e-3 + 1e-2 * Math.abs(fd));
      }
    });

    it('JS kernels (units not a multiple of 4, or SIMD off) agree with tf.layers and the SIMD kernels', () => {
      const w6 = createGruWeights(I, 6, { seed: 5 });
      const layer = tf.layers.gru({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid' });
      layer.apply(x);
      layer.setWeights([w6.kernel, w6.recurrentKernel, w6.bias]);
      expect(maxDiff(gru(x, w6).outputs, layer.apply(x) as tf.Tensor)).toBeLessThan(1e-4);
      const mask = tf.tensor2d([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
        [1, 0, 1, 1, 0],
      ]);
      const r1 = rand([B, T, U], 13);
      const run = () =>
        tf.grads((xx: tf.Tensor, rk: tf.Tensor) => {
          const r = gru(xx as tf.Tensor3D, { ...w, recurrentKernel: rk } as unknown as GruWeights, { mask });
          return tf.sum(tf.mul(r.outputs, r1)) as tf.Scalar;
        })([x, w.recurrentKernel]);
      const fast = run();
      setSimdKernels(false);
      const slow = run();
      setSimdKernels(true);
      fast.forEach((g, k) => expect(maxDiff(g, slow[k]!)).toBeLessThan(1e-5));
    });

    it('does not leak tensors in training steps (sequence and step by step)', () => {
      const opt = tf.train.adam(0.01);
      const x1 = x.slice([0, 0, 0], [B, 1, I]).squeeze([1]) as tf.Tensor2D;
      const step = () =>
        opt.minimize(
          () => tf.add(tf.sum(tf.square(gru(x, w).outputs)), tf.sum(gruStep(x1, gruStep(x1, h0, w), w))) as tf.Scalar,
        );
      step();
      const before = tf.memory().numTensors;
      step();
      step();
      expect(tf.memory().numTensors).toBe(before);
    });

    it.runIf(backend === 'node')('GRUBlockCell ops and the composed ops agree, with gradients, both directions', () => {
      const r1 = rand([B, T, U], 14);
      const run = (goBackwards: boolean) =>
        tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor, h: tf.Tensor) => {
          const ww = { kernel: k, recurrentKernel: rk, bias: b } as unknown as GruWeights;
          const r = gru(xx as tf.Tensor3D, ww, { goBackwards, initialState: h as tf.Tensor2D });
          return tf.add(tf.sum(tf.mul(r.outputs, r1)), tf.sum(tf.mul(r.h, 0.5))) as tf.Scalar;
        })([x, w.kernel, w.recurrentKernel, w.bias, h0]);
      for (const goBackwards of [false, true]) {
        const block = run(goBackwards);
        process.env.PARLEY_BLOCK_GRU = '0';
        try {
          const composed = run(goBackwards);
          block.forEach((g, k) =>
            expect(maxDiff(g, composed[k]!), `grad ${k} backwards=${goBackwards}`).toBeLessThan(1e-5),
          );
          expect(maxDiff(block[2]!, tf.zerosLike(block[2]!))).toBeGreaterThan(1e-3);
        } finally {
          delete process.env.PARLEY_BLOCK_GRU;
        }
      }
    });

    it('gruStep equals one step of gru', () => {
      const x1 = x.slice([0, 0, 0], [B, 1, I]) as tf.Tensor3D;
      const seq = gru(x1, w, { initialState: h0 });
      expect(maxDiff(gruStep(x1.squeeze([1]) as tf.Tensor2D, h0, w), seq.h)).toBeLessThan(1e-5);
    });

    it('gruStep gradients (hand-written) match tf autodiff of the plain-op step', () => {
      const x1 = x.slice([0, 0, 0], [B, 1, I]).squeeze([1]) as tf.Tensor2D;
      const r1 = rand([B, U], 21);
      const grads = (step: typeof gruStep) =>
        tf.grads((xx: tf.Tensor, h: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor) => {
          const hn = step(
            xx as tf.Tensor2D,
            h as tf.Tensor2D,
            { kernel: k, recurrentKernel: rk, bias: b } as unknown as GruWeights,
          );
          return tf.sum(tf.mul(hn, r1)) as tf.Scalar;
        })([x1, h0, w.kernel, w.recurrentKernel, w.bias]);
      const ours = grads(gruStep);
      const ref = grads(gruStepReference);
      ours.forEach((g, k) => expect(maxDiff(g, ref[k]!), `grad ${k}`).toBeLessThan(1e-5));
    });
  });
}
