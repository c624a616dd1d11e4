// LSTM over a whole sequence with a hand-written backward pass (tf.customGrad). This file is the fused-kernel
// version (wasm, cpu); on native backends lstm-ops.ts composes the same computation from backend ops.
// Forward: the input projection of all timesteps is one matmul; each step is one matmul (h·R) and one
// fused cell kernel. Backward: per step one fused kernel and one matmul (dz·Rᵀ); the weight gradients
// are one matmul each over all timesteps.
import * as tf from '@tensorflow/tfjs';
import { runKernel } from '../js-kernel';
import { LSTM_CELL, LSTM_CELL_GRAD } from './lstm-kernels';
import type { LstmState, LstmWeights, RnnOptions } from './types';
import { lstmOps } from './lstm-ops';
import { composedOps, prepare, timeOrder, unpack } from './sequence';

/** x [batch, time, inputSize] → outputs [batch, time, units] and the final state. Differentiable w.r.t. x, weights, initialState. */
export function lstm(
  x: tf.Tensor3D,
  w: LstmWeights,
  opts: RnnOptions & { initialState?: LstmState } = {},
): { outputs: tf.Tensor3D } & LstmState {
  const units = w.recurrentKernel.shape[0];
  const seq = prepare(x, units, opts.mask);
  const [T, B] = [seq.time, seq.batch];
  const h0 = opts.initialState?.h ?? tf.zeros([B, units]);
  const c0 = opts.initialState?.c ?? tf.zeros([B, units]);
  if (T === 0) return { outputs: tf.zeros([B, 0, units]), h: h0, c: c0 };
  const order = timeOrder(T, opts.goBackwards ?? false);
  if (composedOps()) {
    const { outputs, last, extra } = unpack(lstmOps(seq, w, { h: h0, c: c0 }, order, units), T, B, units);
    return { outputs, h: last, c: extra };
  }
  const attrs = (t: number) => ({ t, hasMask: seq.hasMask });

  const run = tf.customGrad((...args) => {
    const [x2d, kernel, rk, bias, hInit, cInit, mask] = args.slice(0, 7) as tf.Tensor2D[];
    const save = args[7] as tf.GradSaveFunc;
    const xp = tf.fused.matMul({ a: x2d!, b: kernel!, bias: bias! }); // projection + bias in one op
    const outs: tf.Tensor[] = new Array(T);
    const gates: tf.Tensor[] = new Array(T);
    const hPrev: tf.Tensor[] = new Array(T);
    const cPrev: tf.Tensor[] = new Array(T);
    const cNew: tf.Tensor[] = new Array(T);
    let h: tf.Tensor = hInit!;
    let c: tf.Tensor = cInit!;
    for (const t of order) {
      const hr = tf.matMul(h, rk!);
      const [h2, c2, g, out] = runKernel(LSTM_CELL, { xp, hr, h, c, mask: mask! }, attrs(t));
      hPrev[t] = h;
      cPrev[t] = c;
      cNew[t] = c2!;
      gates[t] = g!;
      outs[t] = out!;
      h = h2!;
      c = c2!;
    }
    save([x2d!, kernel!, rk!, mask!, ...gates, ...hPrev, ...cPrev, ...cNew]);
    const value = tf.concat([...outs, h, c], 0).reshape([T + 2, B, units]) as tf.Tensor3D;

    const gradFunc = (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
      const [sx, sk, srk, sm] = saved as tf.Tensor2D[];
      const at = (k: number, t: number) => saved[4 + k * T + t]!;
      // dy's first T*B rows are dL/d(outputs) time-major: the kernel reads them in place (no slice copy).
      const dOut = dy;
      let dhA: tf.Tensor = dy.slice([T, 0, 0], [1, B, units]).reshape([B, units]);
      let dhB: tf.Tensor = tf.zerosLike(dhA);
      let dc: tf.Tensor = dy.slice([T + 1, 0, 0], [1, B, units]).reshape([B, units]);
      const rkT = tf.transpose(srk!);
      const dzs: tf.Tensor[] = new Array(T);
      for (let s = T - 1; s >= 0; s--) {
        const t = order[s]!;
        const [dz, dhCarry, dcPrev] = runKernel(
          LSTM_CELL_GRAD,
          { gates: at(0, t), cPrev: at(2, t), cNew: at(3, t), dhA, dhB, dc, dOut, mask: sm! },
          attrs(t),
        );
        dzs[t] = dz!;
        dhA = dhCarry!;
        dhB = tf.matMul(dz!, rkT);
        dc = dcPrev!;
      }
      const dZ = tf.concat(dzs, 0);
      const hs = tf.concat(
        Array.from({ length: T }, (_, t) => at(1, t)),
        0,
      );
      // Weight gradients as (dZᵀ·x)ᵀ and (dZᵀ·h)ᵀ: XNNPACK packs its right operand on every call, and
      // packing the 4096-row dZ costs more than transposing it once.
      const dZT = tf.transpose(dZ);
      return [
        tf.matMul(dZ, tf.transpose(sk!)), // dx
        tf.transpose(tf.matMul(dZT, sx!)), // dKernel
        tf.transpose(tf.matMul(dZT, hs)), // dRecurrentKernel
        tf.sum(dZ, 0), // dBias
        tf.add(dhA, dhB), // dh0
        dc, // dc0
        tf.zerosLike(sm!), // mask: no gradient
      ];
    };
    return { value, gradFunc };
  });

  const packed = run(seq.x2d, w.kernel, w.recurrentKernel, w.bias, h0, c0, seq.mask) as tf.Tensor3D;
  const { outputs, last, extra } = unpack(packed, T, B, units);
  return { outputs, h: last, c: extra };
}
