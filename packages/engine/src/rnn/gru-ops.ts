// GRU composed from the backend's own ops, for native backends (see lstm-ops.ts for why), tf.layers.gru
// semantics (the reset gate multiplies h before the candidate's recurrent matmul). One tape entry per
// sequence; the backward's factors that do not depend on the carried gradient are computed for all
// timesteps at once, leaving two matmuls and ~9 elementwise ops per step each way. Unmasked sequences on
// tfjs-node run on TensorFlow's GRU cell ops instead (block-gru.ts).
import * as tf from '@tensorflow/tfjs';
import { blockGruAvailable, blockGruOps } from './block-gru';
import { recording, type PreparedSequence } from './sequence';
import type { GruWeights } from './types';

type T2 = tf.Tensor2D;

/** The two parts of the recurrent kernel: [U, 2U] for z|r and [U, U] for the candidate. */
export function splitRecurrent(rk: T2, U: number): [T2, T2] {
  return tf.split(rk, [2 * U, U], 1) as [T2, T2];
}

/** One step's values (z, r: gates; cand: candidate; rh = r·h_prev) and the next h before masking. */
export function gruCell(xzr: T2, xh: T2, h: T2, rzr: T2, rh: T2) {
  const [z, r] = tf.split(tf.sigmoid(tf.add(xzr, tf.matMul(h, rzr))), 2, 1) as [T2, T2];
  const rhPrev = tf.mul(r, h) as T2;
  const cand = tf.tanh(tf.add(xh, tf.matMul(rhPrev, rh))) as T2;
  const hNew = tf.add(cand, tf.mul(z, tf.sub(h, cand))) as T2; // z·h + (1 − z)·cand
  return { z, r, cand, rh: rhPrev, hNew };
}

/**
 * Per-element factors of the backward, for one step or stacked: with dh the gradient reaching h_t,
 * d(z pre-activation) = dh·pz, d(candidate pre-activation) = dh·ph, d(r pre-activation) = drh·pr where
 * drh = d(cand pre-act)·R_hᵀ, and h_prev receives dh·z + drh·r + [dz, dr]·R_zrᵀ.
 */
export function gruGradFactors(z: T2, r: T2, cand: T2, hPrev: T2): { pz: T2; ph: T2; pr: T2 } {
  const dSigmoid = (s: T2) => tf.mul(s, tf.sub(1, s));
  return {
    pz: tf.mul(tf.sub(hPrev, cand), dSigmoid(z)),
    ph: tf.mul(tf.sub(1, z), tf.sub(1, tf.square(cand))),
    pr: tf.mul(hPrev, dSigmoid(r)),
  };
}

/** One backward step: the gate gradients [dz | dr] [B,2U], d(cand) [B,U] and dL/dh_prev. */
export function gruGradStep(dh: T2, f: { pz: T2; ph: T2; pr: T2; z: T2; r: T2 }, rzrT: T2, rhT: T2) {
  const dah = tf.mul(dh, f.ph) as T2;
  const drh = tf.matMul(dah, rhT) as T2;
  const dazr = tf.concat([tf.mul(dh, f.pz), tf.mul(drh, f.pr)], 1) as T2;
  const dhPrev = tf.addN([tf.mul(dh, f.z), tf.mul(drh, f.r), tf.matMul(dazr, rzrT)]) as T2;
  return { dazr, dah, dhPrev };
}

interface StepRecord {
  z: T2;
  r: T2;
  cand: T2;
  hPrev: T2;
  rh: T2;
}

function forward(
  x2d: T2,
  kernel: T2,
  rk: T2,
  bias: tf.Tensor1D,
  h0: T2,
  mask: tf.Tensor1D | undefined,
  order: number[],
  keep: boolean,
) {
  const [T, B, U] = [order.length, h0.shape[0], h0.shape[1]];
  const [xzr, xh] = tf.split(tf.fused.matMul({ a: x2d, b: kernel, bias }), [2 * U, U], 1);
  const xzrs = tf.unstack(xzr!.reshape([T, B, 2 * U])) as T2[];
  const xhs = tf.unstack(xh!.reshape([T, B, U])) as T2[];
  const ms = mask ? (tf.unstack(mask.reshape([T, B, 1])) as T2[]) : undefined;
  const [rzr, rhW] = splitRecurrent(rk, U);
  const outs: T2[] = new Array(T);
  const rec: StepRecord[] = new Array(T);
  let h = h0;
  for (const t of order) {
    const r = tf.tidy(() => {
      const s = gruCell(xzrs[t]!, xhs[t]!, h, rzr, rhW);
      const m = ms?.[t];
      const out = m ? (tf.mul(m, s.hNew) as T2) : s.hNew;
      const h2 = m ? (tf.add(h, tf.mul(m, tf.sub(s.hNew, h))) as T2) : s.hNew;
      return keep ? { z: s.z, r: s.r, cand: s.cand, rh: s.rh, out, h2 } : { out, h2 };
    });
    if (keep) rec[t] = { z: r.z!, r: r.r!, cand: r.cand!, rh: r.rh!, hPrev: h };
    outs[t] = r.out;
    h = r.h2;
  }
  // Packed like lstm's: T outputs, final h, and final h again in the slot lstm uses for c.
  const value = tf.concat([...outs, h, h], 0).reshape([T + 2, B, U]) as tf.Tensor3D;
  const stack = (k: keyof StepRecord) =>
    tf.concat(
      rec.map((s) => s[k]),
      0,
    ) as T2;
  return { value, saved: keep ? [stack('z'), stack('r'), stack('cand'), stack('hPrev'), stack('rh')] : [] };
}

function backward(
  dy: tf.Tensor3D,
  x2d: T2,
  kernel: T2,
  rk: T2,
  mask: tf.Tensor1D | undefined,
  saved: T2[],
  order: number[],
) {
  const [Z, R, Cand, Hprev, RH] = saved as [T2, T2, T2, T2, T2];
  const [T, B, U] = [order.length, dy.shape[1], dy.shape[2]];
  const perStep = (x: T2, width = U) => tf.unstack(x.reshape([T, B, width])) as T2[];
  const f = gruGradFactors(Z, R, Cand, Hprev);
  const [pzs, phs, prs, zs, rs] = [perStep(f.pz), perStep(f.ph), perStep(f.pr), perStep(Z), perStep(R)];
  const ms = mask ? perStep(mask.reshape([T * B, 1]) as T2, 1) : undefined;
  const [rzr, rhW] = splitRecurrent(rk, U);
  const [rzrT, rhT] = [tf.transpose(rzr), tf.transpose(rhW)];
  const dys = tf.unstack(dy) as T2[];
  const dazrs: T2[] = new Array(T);
  const dahs: T2[] = new Array(T);
  let dhNext = tf.add(dys[T]!, dys[T + 1]!) as T2; // the final h appears twice in the packed value
  for (let s = T - 1; s >= 0; s--) {
    const t = order[s]!;
    const r = tf.tidy(() => {
      const m = ms?.[t];
      const dh = tf.add(dhNext, dys[t]!) as T2;
      const g = gruGradStep(
        m ? (tf.mul(m, dh) as T2) : dh,
        { pz: pzs[t]!, ph: phs[t]!, pr: prs[t]!, z: zs[t]!, r: rs[t]! },
        rzrT,
        rhT,
      );
      // A padded step passes the incoming gradient of h straight through.
      const dhPrev = m ? (tf.add(g.dhPrev, tf.mul(tf.sub(1, m), dhNext)) as T2) : g.dhPrev;
      return { dazr: g.dazr, dah: g.dah, dhPrev };
    });
    dazrs[t] = r.dazr;
    dahs[t] = r.dah;
    dhNext = r.dhPrev;
  }
  const dAzr = tf.concat(dazrs, 0) as T2;
  const dAh = tf.concat(dahs, 0) as T2;
  const dA = tf.concat([dAzr, dAh], 1) as T2;
  return [
    tf.matMul(dA, kernel, false, true), // dx
    tf.matMul(x2d, dA, true, false), // dKernel
    tf.concat([tf.matMul(Hprev, dAzr, true, false), tf.matMul(RH, dAh, true, false)], 1), // dRecurrentKernel
    tf.sum(dA, 0), // dBias
    dhNext, // dh0
  ];
}

/** gru on native ops: packed [time+2, batch, units] as gru.ts unpacks it; differentiable w.r.t. x, weights, h0. */
export function gruOps(seq: PreparedSequence, w: GruWeights, h0: T2, order: number[]): tf.Tensor3D {
  if (!seq.hasMask && blockGruAvailable()) return blockGruOps(seq, w, h0, order);
  const mask = (m: tf.Tensor) => (seq.hasMask ? (m as tf.Tensor1D) : undefined);
  if (!recording()) {
    return tf.tidy(
      () =>
        forward(
          seq.x2d,
          w.kernel as T2,
          w.recurrentKernel as T2,
          w.bias as tf.Tensor1D,
          h0,
          mask(seq.mask),
          order,
          false,
        ).value,
    );
  }
  const maskShape = seq.mask.shape;
  const run = tf.customGrad((...a) => {
    const [x2d, kernel, rk, bias, h, m] = a as [T2, T2, T2, tf.Tensor1D, T2, tf.Tensor1D];
    const save = a[6] as unknown as tf.GradSaveFunc;
    const { value, saved } = forward(x2d, kernel, rk, bias, h, mask(m), order, true);
    save([x2d, kernel, rk, m, ...saved]);
    const gradFunc = (dy: tf.Tensor3D, s: tf.Tensor[]) => {
      const [sx, sk, srk, sm] = s as T2[];
      const grads = backward(dy, sx!, sk!, srk!, mask(sm!), s.slice(4) as T2[], order);
      return [...grads, tf.zeros(maskShape)]; // the mask gets no gradient
    };
    return { value, gradFunc };
  });
  return run(seq.x2d, w.kernel, w.recurrentKernel, w.bias, h0, seq.mask) as tf.Tensor3D;
}
