import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../backend';
import { setSimdKernels } from '../simd/index';
import { lstm } from './lstm';
import { lstmStep } from './step';
import { lstmStepReference, maxDiff, rand, referenceLstm, testBackends } from './testing';
import { createLstmWeights } from './weights';
import type { LstmWeights } from './types';

// units 8 takes the SIMD kernels on wasm; units 6 (not a multiple of 4) the JS kernels.
const [B, T, I, U] = [3, 5, 4, 8];

function kerasLstm(w: LstmWeights, goBackwards = false) {
  const layer = tf.layers.lstm({
    units: U,
    returnSequences: true,
    returnState: true,
    recurrentActivation: 'sigmoid',
    goBackwards,
  });
  layer.apply(tf.zeros([B, T, I]), { initialState: [tf.zeros([B, U]), tf.zeros([B, U])] });
  layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
  return layer;
}

for (const backend of testBackends()) {
  describe(`lstm on ${backend}`, () => {
    let w: LstmWeights;
    let x: tf.Tensor3D;
    let h0: tf.Tensor2D;
    let c0: tf.Tensor2D;
    beforeAll(async () => {
      await useBackend(backend);
      w = createLstmWeights(I, U, { seed: 1 });
      w.bias.assign(rand([4 * U], 9, 0.5) as tf.Tensor1D);
      x = rand([B, T, I], 2) as tf.Tensor3D;
      h0 = rand([B, U], 3, 0.5) as tf.Tensor2D;
      c0 = rand([B, U], 4, 0.5) as tf.Tensor2D;
    });
    afterAll(() => tf.disposeVariables());

    it('matches tf.layers.lstm forward (outputs and final state, with initial state)', () => {
      const layer = kerasLstm(w);
      const [ko, kh, kc] = layer.apply(x, { initialState: [h0, c0] }) as tf.Tensor[];
      const ours = lstm(x, w, { initialState: { h: h0, c: c0 } });
      expect(maxDiff(ours.outputs, ko!)).toBeLessThan(1e-4);
      expect(maxDiff(ours.h, kh!)).toBeLessThan(1e-4);
      expect(maxDiff(ours.c, kc!)).toBeLessThan(1e-4);
      expect(maxDiff(ours.outputs, tf.zerosLike(ours.outputs))).toBeGreaterThan(0.05);
    });

    it('matches tf.layers.lstm with goBackwards (outputs aligned with input positions)', () => {
      const layer = kerasLstm(w, true);
      const [ko, kh] = layer.apply(x) as tf.Tensor[];
      const ours = lstm(x, w, { goBackwards: true });
      expect(maxDiff(ours.outputs, tf.reverse(ko!, 1))).toBeLessThan(1e-4);
      expect(maxDiff(ours.h, kh!)).toBeLessThan(1e-4);
    });

    it('gradients match tf.layers.lstm autodiff for x, weights and initial state', () => {
      const layer = kerasLstm(w);
      const r1 = rand([B, T, U], 5) as tf.Tensor3D;
      const r2 = rand([B, U], 6);
      const r3 = rand([B, U], 7);
      const lossOf = (o: tf.Tensor, h: tf.Tensor, c: tf.Tensor) =>
        tf.add(tf.add(tf.sum(tf.mul(o, r1)), tf.sum(tf.mul(h, r2))), tf.sum(tf.mul(c, r3))) as tf.Scalar;
      const ours = tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
        const r = lstm(xx as tf.Tensor3D, { kernel: k, recurrentKernel: rk, bias: b } as unknown as LstmWeights, {
          initialState: { h: h as tf.Tensor2D, c: c as tf.Tensor2D },
        });
        return lossOf(r.outputs, r.h, r.c);
      })([x, w.kernel, w.recurrentKernel, w.bias, h0, c0]);
      const theirs = tf.grads((xx: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
        const [o, hh, cc] = layer.apply(xx, { initialState: [h, c] }) as tf.Tensor[];
        return lossOf(o!, hh!, cc!);
      })([x, h0, c0]);
      const wGrads = tf.variableGrads(
        () => {
          const [o, hh, cc] = layer.apply(x, { initialState: [h0, c0] }) as tf.Tensor[];
          return lossOf(o!, hh!, cc!);
        },
        layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val),
      ).grads;
      const kw = layer.trainableWeights.map((v) => wGrads[(v as unknown as { val: tf.Variable }).val.name]!);
      expect(maxDiff(ours[0]!, theirs[0]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[1]!, kw[0]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[2]!, kw[1]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[3]!, kw[2]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[4]!, theirs[1]!)).toBeLessThan(1e-4);
      expect(maxDiff(ours[5]!, theirs[2]!)).toBeLessThan(1e-4);
    });

    it('masked padding: padded steps keep the state, output zeros, and gradients match the unrolled reference', () => {
      // Row 0 full, row 1 ends after 3 steps, row 2 has a hole at t=1 and ends after 4.
      const mask = tf.tensor2d([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
        [1, 0, 1, 1, 0],
      ]);
      for (const goBackwards of [false, true]) {
        const ours = lstm(x, w, { mask, goBackwards, initialState: { h: h0, c: c0 } });
        const ref = referenceLstm(x, w, { h: h0, c: c0 }, mask, goBackwards);
        expect(maxDiff(ours.outputs, ref.outputs)).toBeLessThan(1e-4);
        expect(maxDiff(ours.h, ref.h)).toBeLessThan(1e-4);
        expect(maxDiff(ours.c, ref.c)).toBeLessThan(1e-4);
        const padded = ours.outputs.slice([1, 3, 0], [1, 2, U]);
        expect(maxDiff(padded, tf.zerosLike(padded))).toBe(0);
        if (!goBackwards) {
          // Row 1's final state is its state after step 2 (the last real token).
          const short = lstm(x.slice([1, 0, 0], [1, 3, I]) as tf.Tensor3D, w, {
            initialState: { h: h0.slice([1, 0], [1, U]), c: c0.slice([1, 0], [1, U]) },
          });
          expect(maxDiff(ours.h.slice([1, 0], [1, U]), short.h)).toBeLessThan(1e-5);
        }
        const r1 = rand([B, T, U], 11);
        const f = (impl: typeof lstm | typeof referenceLstm) =>
          tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
            const ww = { kernel: k, recurrentKernel: rk, bias: b } as unknown as LstmWeights;
            const st = { h: h as tf.Tensor2D, c: c as tf.Tensor2D };
            const r =
              impl === lstm
                ? lstm(xx as tf.Tensor3D, ww, { mask, goBackwards, initialState: st })
                : referenceLstm(xx as tf.Tensor3D, ww, st, mask, goBackwards);
            return tf.add(tf.sum(tf.mul(r.outputs, r1)), tf.add(tf.sum(r.h), tf.sum(tf.mul(r.c, 0.5)))) as tf.Scalar;
          })([x, w.kernel, w.recurrentKernel, w.bias, h0, c0]);
        const a = f(lstm);
        const b = f(referenceLstm);
        a.forEach((g, k) => expect(maxDiff(g, b[k]!), `grad ${k} backwards=${goBackwards}`).toBeLessThan(1e-4));
      }
    });

    it('finite differences agree with the hand-written gradient', () => {
      const r1 = rand([B, T, U], 12);
      const loss = (k: tf.Tensor) =>
        tf.sum(
          tf.mul(
            lstm(x, { kernel: k, recurrentKernel: w.recurrentKernel, bias: w.bias } as unknown as LstmWeights).outputs,
            r1,
          ),
        ) as tf.Scalar;
      const g = tf.grad(loss)(w.kernel).arraySync() as number[][];
      const k0 = w.kernel.arraySync() as number[][];
      const eps = 1e-2;
      for (const [r, c] of [
        [0, 0],
        [1, 7],
        [3, 23],
        [2, 15],
      ] as const) {
        const plus = k0.map((row) => [...row]);
        const minus = k0.map((row) => [...row]);
        plus[r]![c]! += eps;
        minus[r]![c]! -= eps;
        const fd = (loss(tf.tensor2d(plus)).dataSync()[0]! - loss(tf.tensor2d(minus)).dataSync()[0]!) / (2 * eps);
        expect(Math.abs(fd - g[r]![c]!)).toBeLessThan(2e-3 + 1e-2 * Math.abs(fd));
      }
    });

    it('lstmStep equals one step of lstm and reuses the same weights', () => {
      const x1 = x.slice([0, 0, 0], [B, 1, I]) as tf.Tensor3D;
      const seq = lstm(x1, w, { initialState: { h: h0, c: c0 } });
      const step = lstmStep(x1.squeeze([1]) as tf.Tensor2D, { h: h0, c: c0 }, w);
      expect(maxDiff(step.h, seq.h)).toBeLessThan(1e-5);
      expect(maxDiff(step.c, seq.c)).toBeLessThan(1e-5);
    });

    it('lstmStep gradients (hand-written) match tf autodiff of the plain-op step', () => {
      const x1 = x.slice([0, 0, 0], [B, 1, I]).squeeze([1]) as tf.Tensor2D;
      const [r1, r2] = [rand([B, U], 21), rand([B, U], 22)];
      const grads = (step: typeof lstmStep) =>
        tf.grads((xx: tf.Tensor, h: tf.Tensor, c: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor) => {
          const s = step(xx as tf.Tensor2D, { h: h as tf.Tensor2D, c: c as tf.Tensor2D }, {
            kernel: k,
            recurrentKernel: rk,
            bias: b,
          } as unknown as LstmWeights);
          return tf.add(tf.sum(tf.mul(s.h, r1)), tf.sum(tf.mul(s.c, r2))) as tf.Scalar;
        })([x1, h0, c0, w.kernel, w.recurrentKernel, w.bias]);
      const ours = grads(lstmStep);
      const ref = grads(lstmStepReference);
      ours.forEach((g, k) => expect(maxDiff(g, ref[k]!), `grad ${k}`).toBeLessThan(1e-5));
    });

    it('JS kernels (units not a multiple of 4, or SIMD off) agree with tf.layers and the SIMD kernels', () => {
      const w6 = createLstmWeights(I, 6, { seed: 5 });
      const layer = tf.layers.lstm({ units: 6, returnSequences: true, recurrentActivation: 'sigmoid' });
      layer.apply(x);
      layer.setWeights([w6.kernel, w6.recurrentKernel, w6.bias]);
      expect(maxDiff(lstm(x, w6).outputs, layer.apply(x) as tf.Tensor)).toBeLessThan(1e-4);
      const mask = tf.tensor2d([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 0, 0],
        [1, 0, 1, 1, 0],
      ]);
      const r1 = rand([B, T, U], 13);
      const run = () =>
        tf.grads((xx: tf.Tensor, rk: tf.Tensor) => {
          const r = lstm(xx as tf.Tensor3D, { ...w, recurrentKernel: rk } as unknown as LstmWeights, { mask });
          return tf.sum(tf.mul(r.outputs, r1)) as tf.Scalar;
        })([x, w.recurrentKernel]);
      const fast = run();
      setSimdKernels(false);
      const slow = run();
      setSimdKernels(true);
      fast.forEach((g, k) => expect(maxDiff(g, slow[k]!)).toBeLessThan(1e-5));
    });

    it.runIf(backend === 'node')(
      'BlockLSTM ops (forward one op, backward LSTMBlockCellGrad per step) and the composed ops agree, with gradients, both directions',
      () => {
        const r1 = rand([B, T, U], 14);
        const run = (goBackwards: boolean) =>
          tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor, b: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
            const ww = { kernel: k, recurrentKernel: rk, bias: b } as unknown as LstmWeights;
            const r = lstm(xx as tf.Tensor3D, ww, {
              goBackwards,
              initialState: { h: h as tf.Tensor2D, c: c as tf.Tensor2D },
            });
            return tf.add(tf.sum(tf.mul(r.outputs, r1)), tf.add(tf.sum(r.h), tf.sum(tf.mul(r.c, 0.5)))) as tf.Scalar;
          })([x, w.kernel, w.recurrentKernel, w.bias, h0, c0]);
        for (const goBackwards of [false, true]) {
          const block = run(goBackwards);
          process.env.PARLEY_BLOCK_LSTM = '0';
          try {
            const composed = run(goBackwards);
            block.forEach((g, k) =>
              expect(maxDiff(g, composed[k]!), `grad ${k} backwards=${goBackwards}`).toBeLessThan(1e-5),
            );
          } finally {
            delete process.env.PARLEY_BLOCK_LSTM;
          }
        }
      },
    );

    it('does not leak tensors in training steps (sequence and step by step)', () => {
      const opt = tf.train.adam(0.01);
      const x1 = x.slice([0, 0, 0], [B, 1, I]).squeeze([1]) as tf.Tensor2D;
      const loss = () => {
        const s = lstmStep(x1, lstmStep(x1, { h: h0, c: c0 }, w), w);
        return tf.add(tf.sum(tf.square(lstm(x, w).outputs)), tf.sum(tf.add(s.h, s.c))) as tf.Scalar;
      };
      const step = () => opt.minimize(loss);
      step();
      const before = tf.memory().numTensors;
      step();
      step();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
