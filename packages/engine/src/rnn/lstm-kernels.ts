// The LSTM's per-timestep elementwise work as one fused kernel each way (forward cell, backward cell).
// Layouts are time-major: xp [time*batch, 4*units] (input projection + bias), mask [time*batch] (or [1] when
// unmasked), dOut [time*batch, units]; `t` selects the timestep, so no per-step slicing op is needed.
import { registerJsKernel } from '../js-kernel';

type Arr = Float32Array | Int32Array;
interface StepAttrs {
  /** Timestep whose rows of xp / mask / dOut are read. */
  t: number;
  /** Whether `mask` holds a real mask (otherwise every step is real). */
  hasMask: boolean;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Forward cell: inputs xp, hr (= h·R) [B,4U], h, c [B,U], mask → h', c', gates (activated i,f,g,o) [B,4U], out [B,U]. */
export const LSTM_CELL = 'ParleyLstmCell';
registerJsKernel<StepAttrs>({
  name: LSTM_CELL,
  inputs: ['xp', 'hr', 'h', 'c', 'mask'],
  outputs(shapes) {
    const [B, U] = shapes[2] as [number, number];
    return [
      { shape: [B, U], dtype: 'float32' },
      { shape: [B, U], dtype: 'float32' },
      { shape: [B, 4 * U], dtype: 'float32' },
      { shape: [B, U], dtype: 'float32' },
    ];
  },
  simd(k, p, { t, hasMask }, shapes) {
    const [B, U] = shapes[2] as [number, number];
    if (U % 4 !== 0) return false;
    k.lstmCell(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, p[8]!, B, U, t, hasMask ? 1 : 0);
    return true;
  },
  compute(ins: Arr[], outs: Arr[], { t, hasMask }, shapes) {
    const [xp, hr, h, c, mask] = ins as Float32Array[];
    const [hOut, cOut, gates, out] = outs as Float32Array[];
    const [B, U] = shapes[2] as [number, number];
    const G = 4 * U;
    const xo = t * B * G;
    for (let b = 0; b < B; b++) {
      const m = hasMask ? mask![t * B + b]! : 1;
      const gb = b * G;
      const sb = b * U;
      for (let j = 0; j < U; j++) {
        const k = gb + j;
        const i = sigmoid(xp![xo + k]! + hr![k]!);
        const f = sigmoid(xp![xo + k + U]! + hr![k + U]!);
        const g = Math.tanh(xp![xo + k + 2 * U]! + hr![k + 2 * U]!);
        const o = sigmoid(xp![xo + k + 3 * U]! + hr![k + 3 * U]!);
        gates![k] = i;
        gates![k + U] = f;
        gates![k + 2 * U] = g;
        gates![k + 3 * U] = o;
        const cp = c![sb + j]!;
        const cn = f * cp + i * g;
        const hn = o * Math.tanh(cn);
        if (m === 1) {
          cOut![sb + j] = cn;
          hOut![sb + j] = hn;
          out![sb + j] = hn;
        } else {
          cOut![sb + j] = m * cn + (1 - m) * cp;
          hOut![sb + j] = m * hn + (1 - m) * h![sb + j]!;
          out![sb + j] = m * hn;
        }
      }
    }
  },
});

/**
 * Backward cell. Inputs: gates [B,4U], cPrev, cNew [B,U], dhA, dhB (two parts of dL/dh_t, summed here),
 * dc (dL/dc_t), dOut [T*B,U], mask. Outputs: dz (gradient of the gate pre-activations) [B,4U],
 * dhCarry [B,U] (the part of dL/dh_{t-1} not flowing through dz, i.e. padding), dcPrev [B,U].
 */
export const LSTM_CELL_GRAD = 'ParleyLstmCellGrad';
registerJsKernel<StepAttrs>({
  name: LSTM_CELL_GRAD,
  inputs: ['gates', 'cPrev', 'cNew', 'dhA', 'dhB', 'dc', 'dOut', 'mask'],
  outputs(shapes) {
    const [B, U] = shapes[1] as [number, number];
    return [
      { shape: [B, 4 * U], dtype: 'float32' },
      { shape: [B, U], dtype: 'float32' },
      { shape: [B, U], dtype: 'float32' },
    ];
  },
  simd(k, p, { t, hasMask }, shapes) {
    const [B, U] = shapes[1] as [number, number];
    if (U % 4 !== 0) return false;
    k.lstmCellGrad(
      p[0]!,
      p[1]!,
      p[2]!,
      p[3]!,
      p[4]!,
      p[5]!,
      p[6]!,
      p[7]!,
      p[8]!,
      p[9]!,
      p[10]!,
      B,
      U,
      t,
      hasMask ? 1 : 0,
    );
    return true;
  },
  compute(ins: Arr[], outs: Arr[], { t, hasMask }, shapes) {
    const [gates, cPrev, cNew, dhA, dhB, dc, dOut, mask] = ins as Float32Array[];
    const [dz, dhCarry, dcPrev] = outs as Float32Array[];
    const [B, U] = shapes[1] as [number, number];
    const G = 4 * U;
    const oo = t * B * U;
    for (let b = 0; b < B; b++) {
      const m = hasMask ? mask![t * B + b]! : 1;
      const gb = b * G;
      const sb = b * U;
      for (let j = 0; j < U; j++) {
        const k = gb + j;
        const s = sb + j;
        const dh = dhA![s]! + dhB![s]!;
        const dcT = dc![s]!;
        const dhn = m * (dh + dOut![oo + s]!);
        const i = gates![k]!;
        const f = gates![k + U]!;
        const g = gates![k + 2 * U]!;
        const o = gates![k + 3 * U]!;
        const tc = Math.tanh(cNew![s]!);
        const dcn = m * dcT + dhn * o * (1 - tc * tc);
        dz![k] = dcn * g * i * (1 - i);
        dz![k + U] = dcn * cPrev![s]! * f * (1 - f);
        dz![k + 2 * U] = dcn * i * (1 - g * g);
        dz![k + 3 * U] = dhn * tc * o * (1 - o);
        dcPrev![s] = dcn * f + (1 - m) * dcT;
        dhCarry![s] = (1 - m) * dh;
      }
    }
  },
});
