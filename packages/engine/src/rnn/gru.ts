// GRU over a whole sequence with a hand-written backward pass (tf.customGrad), tf.layers.gru semantics.
// This file is the fused-kernel version (wasm, cpu); on native backends gru-ops.ts composes it from backend ops.
// Per step: two matmuls (h·R_zr, (r·h)·R_h) and two fused kernels each way; input projection and
// weight gradients are one matmul each over all timesteps.
import * as tf from '@tensorflow/tfjs';
import { runKernel } from '../js-kernel';
import { GRU_CELL, GRU_GATES, GRU_GRAD_A, GRU_GRAD_B } from './gru-kernels';
import { gruOps } from './gru-ops';
import { composedOps, prepare, timeOrder, unpack } from './sequence';
import type { GruWeights, RnnOptions } from './types';

/** x [batch, time, inputSize] → outputs [batch, time, units] and the final h. Differentiable w.r.t. x, weights, initialState. */
export function gru(
  x: tf.Tensor3D,
  w: GruWeights,
  opts: RnnOptions & { initialState?: tf.Tensor2D } = {},
): { outputs: tf.Tensor3D; h: tf.Tensor2D } {
  const U = w.recurrentKernel.shape[0];
  const seq = prepare(x, U, opts.mask);
  const [T, B] = [seq.time, seq.batch];
  const h0 = opts.initialState ?? tf.zeros([B, U]);
  if (T === 0) return { outputs: tf.zeros([B, 0, U]), h: h0 };
  const order = timeOrder(T, opts.goBackwards ?? false);
  if (composedOps()) {
    const { outputs, last } = unpack(gruOps(seq, w, h0, order), T, B, U);
    return { outputs, h: last };
  }
  const attrs = (t: number) => ({ t, hasMask: seq.hasMask });
  const splitR = (rk: tf.Tensor2D) => [rk.slice([0, 0], [U, 2 * U]), rk.slice([0, 2 * U], [U, U])] as const;

  const run = tf.customGrad((...args) => {
    const [x2d, kernel, rk, bias, hInit, mask] = args.slice(0, 6) as tf.Tensor2D[];
    const save = args[6] as tf.GradSaveFunc;
    const xp = tf.fused.matMul({ a: x2d!, b: kernel!, bias: bias! }); // projection + bias in one op
    const [rzr, rh] = splitR(rk!);
    const outs: tf.Tensor[] = new Array(T);
    const zrs: tf.Tensor[] = new Array(T);
    const hhs: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    const rhs: tf.Tensor[] = new Array(T);
    let h: tf.Tensor = hInit!;
    for (const t of order) {
      const [zr, rhT] = runKernel(GRU_GATES, { xp, hr: tf.matMul(h, rzr), h }, attrs(t));
      const [h2, out, hh] = runKernel(GRU_CELL, { xp, zr: zr!, rhR: tf.matMul(rhT!, rh), h, mask: mask! }, attrs(t));
      hPrev[t] = h;
      zrs[t] = zr!;
      rhs[t] = rhT!;
      hhs[t] = hh!;
      outs[t] = out!;
      h = h2!;
    }
    save([x2d!, kernel!, rk!, mask!, ...zrs, ...hhs, ...hPrev, ...rhs]);
    // Packed like lstm's: T outputs, final h, and final h again in the slot lstm uses for c.
    const value = tf.concat([...outs, h, h], 0).reshape([T + 2, B, U]) as tf.Tensor3D;

    const gradFunc = (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
      const [sx, sk, srk, sm] = saved as tf.Tensor2D[];
      const at = (k: number, t: number) => saved[4 + k * T + t]!;
      const [rzrS, rhS] = splitR(srk!);
      const rzrT = tf.transpose(rzrS);
      const rhT = tf.transpose(rhS);
      // dy's first T*B rows are dL/d(outputs) time-major: the kernel reads them in place (no slice copy).
      const dOut = dy;
      let dhA: tf.Tensor = tf.add(dy.slice([T, 0, 0], [1, B, U]), dy.slice([T + 1, 0, 0], [1, B, U])).reshape([B, U]);
      let dhB: tf.Tensor = tf.zerosLike(dhA);
      const dazrs: tf.Tensor[] = new Array(T);
      const dahs: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = order[s]!;
        const [zr, hh, hp] = [at(0, t), at(1, t), at(2, t)];
        const [dah, dhPart, daz] = runKernel(GRU_GRAD_A, { zr, hh, hPrev: hp, dhA, dhB, dOut, mask: sm! }, attrs(t));
        const drh = tf.matMul(dah!, rhT);
        const [dazr, dhPart2] = runKernel(GRU_GRAD_B, { drh, zr, hPrev: hp, daz: daz!, dhPart: dhPart! }, attrs(t));
        dazrs[t] = dazr!;
        dahs[t] = dah!;
        dhA = dhPart2!;
        dhB = tf.matMul(dazr!, rzrT);
      }
      const dAzr = tf.concat(dazrs, 0);
      const dAh = tf.concat(dahs, 0);
      const dA = tf.concat([dAzr, dAh], 1);
      const hs = tf.concat(
        Array.from({ length: T }, (_, t) => at(2, t)),
        0,
      );
      const rhAll = tf.concat(
        Array.from({ length: T }, (_, t) => at(3, t)),
        0,
      );
      // Weight gradients from transposed dA (see lstm.ts: packing a 4096-row right operand is the slow part).
      const dAzrT = tf.transpose(dAzr);
      const dAhT = tf.transpose(dAh);
      return [
        tf.matMul(dA, tf.transpose(sk!)), // dx
        tf.transpose(tf.matMul(tf.concat([dAzrT, dAhT], 0), sx!)), // dKernel
        tf.transpose(tf.concat([tf.matMul(dAzrT, hs), tf.matMul(dAhT, rhAll)], 0)), // dRecurrentKernel
        tf.sum(dA, 0), // dBias
        tf.add(dhA, dhB), // dh0
        tf.zerosLike(sm!), // mask: no gradient
      ];
    };
    return { value, gradFunc };
  });

  const packed = run(seq.x2d, w.kernel, w.recurrentKernel, w.bias, h0, seq.mask) as tf.Tensor3D;
  const { outputs, last } = unpack(packed, T, B, U);
  return { outputs, h: last };
}
