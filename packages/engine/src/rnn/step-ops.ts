// Single LSTM/GRU steps composed from backend ops for native backends (see lstm-ops.ts): the same cell
// and backward factors as the sequence ops, with a hand-written backward (one tape entry per step).
import * as tf from '@tensorflow/tfjs';
import { gruCell, gruGradFactors, gruGradStep, splitRecurrent } from './gru-ops';
import { lstmGates, lstmGradFactors, lstmGradStep } from './lstm-ops';
import { recording } from './sequence';
import type { GruWeights, LstmState, LstmWeights } from './types';

type T2 = tf.Tensor2D;

function lstmCell(x: T2, h: T2, c: T2, k: T2, rk: T2, b: tf.Tensor1D) {
  const gates = lstmGates(tf.add(tf.fused.matMul({ a: x, b: k, bias: b }), tf.matMul(h, rk)) as T2);
  const c2 = tf.add(tf.mul(gates.f, c), tf.mul(gates.i, gates.g)) as T2;
  const tc = tf.tanh(c2) as T2;
  return { gates, c2, tc, h2: tf.mul(gates.o, tc) as T2 };
}

/** lstmStep on native ops. */
export function lstmStepOps(x: T2, state: LstmState, w: LstmWeights): LstmState {
  const B = state.h.shape[0];
  if (!recording()) {
    return tf.tidy(() => {
      const s = lstmCell(x, state.h, state.c, w.kernel as T2, w.recurrentKernel as T2, w.bias as tf.Tensor1D);
      return { h: s.h2, c: s.c2 };
    });
  }
  const run = tf.customGrad((...args) => {
    const [xx, h, c, k, rk, b] = args as [T2, T2, T2, T2, T2, tf.Tensor1D];
    const save = args[6] as unknown as tf.GradSaveFunc;
    const s = lstmCell(xx, h, c, k, rk, b);
    const { i, f, g, o } = s.gates;
    save([xx, h, c, k, rk, i, f, g, o, s.tc]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sh, sc, sk, srk, si, sf, sg, so, stc] = saved as T2[];
      const { a, d } = lstmGradFactors({ i: si!, f: sf!, g: sg!, o: so! }, sc!, stc!);
      const [dh, dc] = tf.split(dy, 2, 0) as [T2, T2];
      const { dz, dcPrev } = lstmGradStep(dh, dc, a, d, sf!);
      return [
        tf.matMul(dz, sk!, false, true), // dx
        tf.matMul(dz, srk!, false, true), // dh
        dcPrev, // dc
        tf.matMul(sx!, dz, true, false), // dKernel
        tf.matMul(sh!, dz, true, false), // dRecurrentKernel
        tf.sum(dz, 0), // dBias
      ];
    };
    return { value: tf.concat([s.h2, s.c2], 0), gradFunc };
  });
  const packed = run(x, state.h, state.c, w.kernel, w.recurrentKernel, w.bias);
  const [h, c] = tf.split(packed, [B, B], 0) as [T2, T2];
  return { h, c };
}

/** gruStep on native ops. */
export function gruStepOps(x: T2, h: T2, w: GruWeights): T2 {
  const U = h.shape[1];
  const cell = (xx: T2, hh: T2, k: T2, rk: T2, b: tf.Tensor1D) => {
    const [xzr, xh] = tf.split(tf.fused.matMul({ a: xx, b: k, bias: b }), [2 * U, U], 1) as [T2, T2];
    const [rzr, rh] = splitRecurrent(rk, U);
    return gruCell(xzr, xh, hh, rzr, rh);
  };
  if (!recording())
    return tf.tidy(() => cell(x, h, w.kernel as T2, w.recurrentKernel as T2, w.bias as tf.Tensor1D).hNew);
  const run = tf.customGrad((...args) => {
    const [xx, hh, k, rk, b] = args as [T2, T2, T2, T2, tf.Tensor1D];
    const save = args[5] as unknown as tf.GradSaveFunc;
    const s = cell(xx, hh, k, rk, b);
    save([xx, hh, k, rk, s.z, s.r, s.cand, s.rh]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sh, sk, srk, z, r, cand, rh] = saved as T2[];
      const [rzr, rhW] = splitRecurrent(srk!, U);
      const g = gruGradStep(
        dy as T2,
        { ...gruGradFactors(z!, r!, cand!, sh!), z: z!, r: r! },
        tf.transpose(rzr),
        tf.transpose(rhW),
      );
      const dA = tf.concat([g.dazr, g.dah], 1);
      return [
        tf.matMul(dA, sk!, false, true), // dx
        g.dhPrev, // dh
        tf.matMul(sx!, dA, true, false), // dKernel
        tf.concat([tf.matMul(sh!, g.dazr, true, false), tf.matMul(rh!, g.dah, true, false)], 1), // dRecurrentKernel
        tf.sum(dA, 0), // dBias
      ];
    };
    return { value: s.hNew, gradFunc };
  });
  return run(x, h, w.kernel, w.recurrentKernel, w.bias) as T2;
}
