// LSTM composed from the backend's own ops, for backends that run ops natively (tfjs-node's libtensorflow).
// There the fused cell kernels of lstm-kernels.ts are JavaScript: every step would copy its tensors out of
// libtensorflow and back. Same design as the kernel path: one tape entry per sequence (tf.customGrad), the
// input projection and the weight gradients one matmul over all timesteps.
// Unmasked sequences on tfjs-node use TensorFlow's LSTM block ops (block-lstm.ts): the forward is one op,
// and a backward step is 3 ops (add, LSTMBlockCellGrad, matmul). Masked sequences (and other native
// backends) compose each step: forward one matmul and ~10 elementwise ops; the backward computes every
// factor that does not depend on the carried gradient for all timesteps at once, leaving one matmul and ~6
// ops per step.
import * as tf from '@tensorflow/tfjs';
import { blockLstm, blockLstmAvailable, LstmCellGrad } from './block-lstm';
import { recording, type PreparedSequence } from './sequence';
import type { LstmState, LstmWeights } from './types';

type T2 = tf.Tensor2D;

/** Activated gates of one step. */
export interface LstmGates {
  i: T2;
  f: T2;
  g: T2;
  o: T2;
}

/** Gate activations of the pre-activations z [B,4U] (Keras order i, f, c, o; sigmoid gates). */
export function lstmGates(z: T2): LstmGates {
  const [i, f, g, o] = tf.split(z, 4, 1) as T2[];
  return { i: tf.sigmoid(i!), f: tf.sigmoid(f!), g: tf.tanh(g!), o: tf.sigmoid(o!) };
}

/**
 * The backward's per-element factors, for one step or stacked over many: with dh the gradient reaching
 * h_t and dc the one reaching c_t from later steps, dcn = dc + dh·a and dz = [dcn, dcn, dcn, dh]·d,
 * and the cell gradient carried back is dcn·f. cPrev is the cell state each step started from, tc = tanh(c_t).
 */
export function lstmGradFactors(gates: LstmGates, cPrev: T2, tc: T2): { a: T2; d: T2 } {
  const { i, f, g, o } = gates;
  const dSigmoid = (s: T2) => tf.mul(s, tf.sub(1, s));
  return {
    a: tf.mul(o, tf.sub(1, tf.square(tc))),
    d: tf.concat(
      [tf.mul(g, dSigmoid(i)), tf.mul(cPrev, dSigmoid(f)), tf.mul(i, tf.sub(1, tf.square(g))), tf.mul(tc, dSigmoid(o))],
      1,
    ) as T2,
  };
}

/** One step of the backward: dz (gate pre-activations) and the cell gradient carried to the previous step. */
export function lstmGradStep(dh: T2, dc: T2, a: T2, d: T2, f: T2): { dz: T2; dcPrev: T2 } {
  const dcn = tf.add(dc, tf.mul(dh, a));
  return { dz: tf.mul(tf.concat([dcn, dcn, dcn, dh], 1), d), dcPrev: tf.mul(dcn, f) };
}

/** Inputs of the sequence op, time-major (see sequence.ts). */
export interface LstmOpsInputs {
  x2d: T2;
  kernel: T2;
  rk: T2;
  bias: tf.Tensor1D;
  h0: T2;
  c0: T2;
  /** [time*batch] mask, or undefined when every step is real. */
  mask?: tf.Tensor1D;
}

interface StepRecord extends LstmGates {
  hPrev: T2;
  cPrev: T2;
  tc: T2;
}

/**
 * The whole sequence → packed [time+2, batch, units] (outputs time-major, final h, final c), as lstm.ts
 * packs it; `save` receives what the backward needs when a tape is recording.
 */
export function lstmOpsForward(inp: LstmOpsInputs, order: number[], T: number, B: number, U: number, keep: boolean) {
  const xps = tf.unstack(tf.fused.matMul({ a: inp.x2d, b: inp.kernel, bias: inp.bias }).reshape([T, B, 4 * U])) as T2[];
  const ms = inp.mask ? (tf.unstack(inp.mask.reshape([T, B, 1])) as T2[]) : undefined;
  const outs: T2[] = new Array(T);
  const rec: StepRecord[] = new Array(T);
  let h = inp.h0;
  let c = inp.c0;
  for (const t of order) {
    const r = tf.tidy(() => {
      const gates = lstmGates(tf.add(xps[t]!, tf.matMul(h, inp.rk)) as T2);
      let c2 = tf.add(tf.mul(gates.f, c), tf.mul(gates.i, gates.g)) as T2;
      const tc = tf.tanh(c2);
      let h2 = tf.mul(gates.o, tc) as T2;
      let out = h2;
      const m = ms?.[t];
      if (m) {
        out = tf.mul(m, h2);
        h2 = tf.add(h, tf.mul(m, tf.sub(h2, h)));
        c2 = tf.add(c, tf.mul(m, tf.sub(c2, c)));
      }
      return { ...(keep ? { ...gates, tc } : {}), h2, c2, out };
    });
    if (keep) rec[t] = { i: r.i!, f: r.f!, g: r.g!, o: r.o!, tc: r.tc!, hPrev: h, cPrev: c };
    outs[t] = r.out;
    h = r.h2;
    c = r.c2;
  }
  const value = tf.concat([...outs, h, c], 0).reshape([T + 2, B, U]) as tf.Tensor3D;
  if (!keep) return { value, saved: [] };
  const stack = (k: keyof StepRecord) =>
    tf.concat(
      rec.map((r) => r[k]),
      0,
    ) as T2;
  // Saved: the four gate stacks, cPrev, tanh(c) and hPrev, each [time*batch, units] in time order.
  return {
    value,
    saved: [stack('i'), stack('f'), stack('g'), stack('o'), stack('cPrev'), stack('tc'), stack('hPrev')],
  };
}

/** The packed value of one BlockLSTMV2 op over the sequence and what its gradient op needs (see block-lstm.ts). */
function blockForward(inp: Omit<LstmOpsInputs, 'mask'>, order: number[], T: number, B: number, U: number) {
  const backwards = order[0] !== 0;
  // BlockLSTM runs in processing order; its stacks are turned back to time order for the packed value.
  const timeOrder = (x: tf.Tensor3D) => (backwards ? (tf.reverse(x, 0) as tf.Tensor3D) : x);
  const w = tf.concat([inp.kernel, inp.rk], 0) as T2;
  const x = timeOrder(inp.x2d.reshape([T, B, inp.x2d.shape[1]]));
  const r = blockLstm(x, w, inp.h0, inp.c0, inp.bias);
  const last = (s: tf.Tensor3D) => s.slice([T - 1, 0, 0], [1, B, U]);
  const value = tf.concat([timeOrder(r.h), last(r.h), last(r.cs)], 0) as tf.Tensor3D;
  return { value, r, timeOrder };
}

/** Swaps the 2nd and 3rd of four column blocks: Keras' gate order i, f, c, o ↔ LSTMBlockCellGrad's i, c, f, o. */
function swapMiddleGates<X extends tf.Tensor>(m: X): X {
  const axis = m.rank - 1;
  const [i, f, c, o] = tf.split(m, 4, axis);
  return tf.concat([i!, c!, f!, o!], axis) as X;
}

/**
 * lstmOps on tfjs-node for unmasked sequences. Forward: one BlockLSTMV2 op. Backward: per step one add (the
 * output's gradient joins the carried one), one LSTMBlockCellGrad op (all elementwise work) and one matmul;
 * the input gradient is one matmul over all timesteps, and so are the three weight gradients together.
 */
function blockLstmOps(inp: Omit<LstmOpsInputs, 'mask'>, order: number[], T: number, B: number, U: number) {
  if (!recording()) return tf.tidy(() => blockForward(inp, order, T, B, U).value);
  const I = inp.x2d.shape[1];
  const run = tf.customGrad((...a) => {
    const [x2d, kernel, rk, bias, h0, c0] = a as [T2, T2, T2, tf.Tensor1D, T2, T2];
    const save = a[6] as unknown as tf.GradSaveFunc;
    const { value, r, timeOrder } = blockForward({ x2d, kernel, rk, bias, h0, c0 }, order, T, B, U);
    // [x | h_prev | 1] per row, time order: one matmul with dZ gives the kernel, recurrent kernel and bias
    // gradients. The forward's stacks stay in processing order.
    const hPrev = timeOrder(tf.concat([h0.reshape([1, B, U]), r.h.slice([0, 0, 0], [T - 1, B, U])], 0) as tf.Tensor3D);
    const xh1 = tf.concat([x2d, hPrev.reshape([T * B, U]), tf.ones([T * B, 1])], 1) as T2;
    save([xh1, kernel, rk, h0, c0, r.i, r.cs, r.f, r.o, r.ci, r.co]);
    const gradFunc = (dy: tf.Tensor3D, s: tf.Tensor[]) => {
      const [sxh1, sk, srk, sh0, sc0] = s as T2[];
      const stacks = (s.slice(5) as tf.Tensor3D[]).map((x) => tf.unstack(x) as T2[]);
      const [is, css, fs, os, cis, cos] = stacks as [T2[], T2[], T2[], T2[], T2[], T2[]];
      const rkIcfo = swapMiddleGates(srk!);
      const cell = new LstmCellGrad(B, U, sh0!);
      const dys = tf.unstack(dy) as T2[];
      const dzs: T2[] = new Array(T); // ICFO, time order
      let dhCarried = dys[T]!; // the final h's gradient
      let csGrad = dys[T + 1]!; // the final c's gradient
      for (let p = T - 1; p >= 0; p--) {
        const t = order[p]!;
        const hGrad = tf.add(dys[t]!, dhCarried) as T2;
        const v = { i: is[p]!, cs: css[p]!, f: fs[p]!, o: os[p]!, ci: cis[p]!, co: cos[p]! };
        const g = cell.step(v, p > 0 ? css[p - 1]! : sc0!, csGrad, hGrad, srk!);
        const dh = tf.matMul(g.dicfo, rkIcfo, false, true) as T2;
        if (p < T - 1) tf.dispose([dhCarried, csGrad]);
        hGrad.dispose();
        dzs[t] = g.dicfo;
        dhCarried = dh;
        csGrad = g.csPrevGrad;
      }
      cell.dispose();
      const dZ = tf.concat(dzs, 0) as T2;
      const [dKernel, dRk, dBias] = tf.split(swapMiddleGates(tf.matMul(sxh1!, dZ, true, false)), [I, U, 1], 0);
      return [
        tf.matMul(dZ, swapMiddleGates(sk!), false, true), // dx
        dKernel!,
        dRk!,
        dBias!.reshape([4 * U]),
        dhCarried, // dh0
        csGrad, // dc0
      ];
    };
    return { value, gradFunc };
  });
  return run(inp.x2d, inp.kernel, inp.rk, inp.bias, inp.h0, inp.c0) as tf.Tensor3D;
}

/** Gradients for x2d, kernel, rk, bias, h0 and c0 from dy [time+2, batch, units] and what the forward saved. */
export function lstmOpsBackward(
  dy: tf.Tensor3D,
  inp: Pick<LstmOpsInputs, 'x2d' | 'kernel' | 'rk' | 'mask'>,
  saved: T2[],
  order: number[],
  T: number,
  B: number,
): tf.Tensor[] {
  const [I, F, G, O, Cprev, TC, Hprev] = saved as [T2, T2, T2, T2, T2, T2, T2];
  const U = inp.rk.shape[0];
  const { a, d } = lstmGradFactors({ i: I, f: F, g: G, o: O }, Cprev, TC);
  const perStep = (x: T2, width: number) => tf.unstack(x.reshape([T, B, width])) as T2[];
  const [as, ds, fs] = [perStep(a, U), perStep(d, 4 * U), perStep(F, U)];
  const dys = tf.unstack(dy) as T2[];
  const ms = inp.mask ? perStep(inp.mask.reshape([T * B, 1]) as T2, 1) : undefined;
  const rkT = tf.transpose(inp.rk);
  const dzs: T2[] = new Array(T);
  let dhNext = dys[T]!; // dL/dh from after the last step, before the output's own gradient
  let dc = dys[T + 1]!;
  for (let s = T - 1; s >= 0; s--) {
    const t = order[s]!;
    const r = tf.tidy(() => {
      const m = ms?.[t];
      let dh = tf.add(dhNext, dys[t]!) as T2;
      if (m) dh = tf.mul(m, dh);
      const dcIn = m ? (tf.mul(m, dc) as T2) : dc;
      const { dz, dcPrev } = lstmGradStep(dh, dcIn, as[t]!, ds[t]!, fs[t]!);
      let dhPrev = tf.matMul(dz, rkT) as T2;
      let dcOut = dcPrev;
      if (m) {
        // A padded step passes the incoming state gradients straight through.
        const notM = tf.sub(1, m);
        dhPrev = tf.add(dhPrev, tf.mul(notM, dhNext));
        dcOut = tf.add(dcPrev, tf.mul(notM, dc));
      }
      return { dz, dhPrev, dcOut };
    });
    dzs[t] = r.dz;
    dhNext = r.dhPrev;
    dc = r.dcOut;
  }
  const dZ = tf.concat(dzs, 0) as T2;
  return [
    tf.matMul(dZ, inp.kernel, false, true), // dx
    tf.matMul(inp.x2d, dZ, true, false), // dKernel
    tf.matMul(Hprev, dZ, true, false), // dRecurrentKernel
    tf.sum(dZ, 0), // dBias
    dhNext, // dh0
    dc, // dc0
  ];
}

/** lstm on native ops: packed [time+2, batch, units] as lstm.ts unpacks it; differentiable w.r.t. x, weights, state. */
export function lstmOps(
  seq: PreparedSequence,
  w: LstmWeights,
  state: LstmState,
  order: number[],
  U: number,
): tf.Tensor3D {
  const [T, B] = [seq.time, seq.batch];
  const mask = (m: tf.Tensor) => (seq.hasMask ? (m as tf.Tensor1D) : undefined);
  if (!seq.hasMask && blockLstmAvailable()) {
    const inp = { x2d: seq.x2d, kernel: w.kernel as T2, rk: w.recurrentKernel as T2, bias: w.bias as tf.Tensor1D };
    return blockLstmOps({ ...inp, h0: state.h, c0: state.c }, order, T, B, U);
  }
  if (!recording()) {
    const inp = {
      x2d: seq.x2d,
      kernel: w.kernel as T2,
      rk: w.recurrentKernel as T2,
      bias: w.bias as tf.Tensor1D,
      h0: state.h,
      c0: state.c,
      mask: mask(seq.mask),
    };
    return tf.tidy(() => lstmOpsForward(inp, order, T, B, U, false).value);
  }
  const maskShape = seq.mask.shape;
  const run = tf.customGrad((...a) => {
    const [x2d, kernel, rk, bias, h0, c0, m] = a as [T2, T2, T2, tf.Tensor1D, T2, T2, tf.Tensor1D];
    const save = a[7] as unknown as tf.GradSaveFunc;
    const { value, saved } = lstmOpsForward({ x2d, kernel, rk, bias, h0, c0, mask: mask(m) }, order, T, B, U, true);
    save([x2d, kernel, rk, m, ...saved]);
    const gradFunc = (dy: tf.Tensor3D, s: tf.Tensor[]) => {
      const [sx, sk, srk, sm] = s as T2[];
      const grads = lstmOpsBackward(
        dy,
        { x2d: sx!, kernel: sk!, rk: srk!, mask: mask(sm!) },
        s.slice(4) as T2[],
        order,
        T,
        B,
      );
      return [...grads, tf.zeros(maskShape)]; // the mask gets no gradient
    };
    return { value, gradFunc };
  });
  return run(seq.x2d, w.kernel, w.recurrentKernel, w.bias, state.h, state.c, seq.mask) as tf.Tensor3D;
}
