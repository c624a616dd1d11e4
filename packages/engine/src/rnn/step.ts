// Single timesteps for decoding, using the same weights as lstm/gru. Differentiable with a hand-written
// backward (tf.customGrad over the fused cell kernels), so decoders that run step by step (attention,
// input feeding) record a handful of ops per step instead of dozens. On native backends step-ops.ts does
// the same with backend ops.
import * as tf from '@tensorflow/tfjs';
import { runKernel } from '../js-kernel';
import { GRU_CELL, GRU_GATES, GRU_GRAD_A, GRU_GRAD_B } from './gru-kernels';
import { LSTM_CELL, LSTM_CELL_GRAD } from './lstm-kernels';
import { composedOps, recording } from './sequence';
import { gruStepOps, lstmStepOps } from './step-ops';
import type { GruWeights, LstmState, LstmWeights } from './types';

const STEP = { t: 0, hasMask: false };

/** One LSTM step: x [batch, inputSize] and state → the next state (its h is the step's output). */
export function lstmStep(x: tf.Tensor2D, state: LstmState, w: LstmWeights): LstmState {
  if (composedOps()) return lstmStepOps(x, state, w);
  const [B, U] = state.h.shape;
  if (!recording()) {
    // Inference (decoding): the same kernels without the gradient plumbing.
    const [h, c] = tf.tidy(() => {
      const xp = tf.fused.matMul({ a: x, b: w.kernel, bias: w.bias });
      const hr = tf.matMul(state.h, w.recurrentKernel);
      const [h2, c2] = runKernel(LSTM_CELL, { xp, hr, h: state.h, c: state.c, mask: tf.ones([1]) }, STEP);
      return [h2!, c2!];
    });
    return { h: h as tf.Tensor2D, c: c as tf.Tensor2D };
  }
  const run = tf.customGrad((...args) => {
    const [xx, h, c, k, rk, b] = args.slice(0, 6) as tf.Tensor2D[];
    const save = args[6] as tf.GradSaveFunc;
    const xp = tf.fused.matMul({ a: xx!, b: k!, bias: b! });
    const [h2, c2, gates] = runKernel(
      LSTM_CELL,
      { xp, hr: tf.matMul(h!, rk!), h: h!, c: c!, mask: tf.ones([1]) },
      STEP,
    );
    save([xx!, h!, c!, k!, rk!, gates!, c2!]);
    const value = tf.concat([h2!, c2!], 0);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sh, sc, sk, srk, sg, sc2] = saved as tf.Tensor2D[];
      const dh = dy.slice([0, 0], [B, U]);
      const zeros = tf.zerosLike(dh);
      const [dz, , dcPrev] = runKernel(
        LSTM_CELL_GRAD,
        {
          gates: sg!,
          cPrev: sc!,
          cNew: sc2!,
          dhA: dh,
          dhB: zeros,
          dc: dy.slice([B, 0], [B, U]),
          dOut: zeros,
          mask: tf.ones([1]),
        },
        STEP,
      );
      return [
        tf.matMul(dz!, sk!, false, true), // dx
        tf.matMul(dz!, srk!, false, true), // dh
        dcPrev!, // dc
        tf.matMul(sx!, dz!, true, false), // dKernel
        tf.matMul(sh!, dz!, true, false), // dRecurrentKernel
        tf.sum(dz!, 0), // dBias
      ];
    };
    return { value, gradFunc };
  });
  const packed = run(x, state.h, state.c, w.kernel, w.recurrentKernel, w.bias);
  return { h: packed.slice([0, 0], [B, U]) as tf.Tensor2D, c: packed.slice([B, 0], [B, U]) as tf.Tensor2D };
}

/** One GRU step (tf.layers.gru semantics): x [batch, inputSize], h [batch, units] → the next h. */
export function gruStep(x: tf.Tensor2D, h: tf.Tensor2D, w: GruWeights): tf.Tensor2D {
  if (composedOps()) return gruStepOps(x, h, w);
  const U = h.shape[1];
  if (!recording()) {
    return tf.tidy(() => {
      const rk = w.recurrentKernel as tf.Tensor2D;
      const xp = tf.fused.matMul({ a: x, b: w.kernel, bias: w.bias });
      const [zr, rh] = runKernel(GRU_GATES, { xp, hr: tf.matMul(h, rk.slice([0, 0], [U, 2 * U])), h }, STEP);
      const rhR = tf.matMul(rh!, rk.slice([0, 2 * U], [U, U]));
      return runKernel(GRU_CELL, { xp, zr: zr!, rhR, h, mask: tf.ones([1]) }, STEP)[0] as tf.Tensor2D;
    });
  }
  const splitR = (rk: tf.Tensor2D) => [rk.slice([0, 0], [U, 2 * U]), rk.slice([0, 2 * U], [U, U])] as const;
  const run = tf.customGrad((...args) => {
    const [xx, hh0, k, rk, b] = args.slice(0, 5) as tf.Tensor2D[];
    const save = args[5] as tf.GradSaveFunc;
    const xp = tf.fused.matMul({ a: xx!, b: k!, bias: b! });
    const [rzr, rh] = splitR(rk!);
    const [zr, rhT] = runKernel(GRU_GATES, { xp, hr: tf.matMul(hh0!, rzr), h: hh0! }, STEP);
    const [h2, , cand] = runKernel(
      GRU_CELL,
      { xp, zr: zr!, rhR: tf.matMul(rhT!, rh), h: hh0!, mask: tf.ones([1]) },
      STEP,
    );
    save([xx!, hh0!, k!, rk!, zr!, cand!, rhT!]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sh, sk, srk, szr, shh, srh] = saved as tf.Tensor2D[];
      const [rzrS, rhS] = splitR(srk!);
      const zeros = tf.zerosLike(dy);
      const [dah, dhPart, daz] = runKernel(
        GRU_GRAD_A,
        { zr: szr!, hh: shh!, hPrev: sh!, dhA: dy, dhB: zeros, dOut: zeros, mask: tf.ones([1]) },
        STEP,
      );
      const drh = tf.matMul(dah!, rhS, false, true);
      const [dazr, dhPart2] = runKernel(GRU_GRAD_B, { drh, zr: szr!, hPrev: sh!, daz: daz!, dhPart: dhPart! }, STEP);
      const dA = tf.concat([dazr!, dah!], 1);
      return [
        tf.matMul(dA, sk!, false, true), // dx
        tf.add(dhPart2!, tf.matMul(dazr!, rzrS, false, true)), // dh
        tf.matMul(sx!, dA, true, false), // dKernel
        tf.concat([tf.matMul(sh!, dazr!, true, false), tf.matMul(srh!, dah!, true, false)], 1), // dRecurrentKernel
        tf.sum(dA, 0), // dBias
      ];
    };
    return { value: h2!, gradFunc };
  });
  return run(x, h, w.kernel, w.recurrentKernel, w.bias) as tf.Tensor2D;
}
