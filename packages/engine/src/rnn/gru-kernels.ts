// The GRU's per-timestep elementwise work as fused kernels (tf.layers.gru semantics: the reset gate
// multiplies h before the recurrent matmul of the candidate). Two kernels each way, because the
// candidate needs a matmul of r·h in between. Layouts as in lstm-kernels.ts: xp [time*batch, 3*units].
import { registerJsKernel } from '../js-kernel';

type Arr = Float32Array | Int32Array;
interface StepAttrs {
  /** Timestep whose rows of xp / mask / dOut are read. */
  t: number;
  /** Whether `mask` holds a real mask. */
  hasMask: boolean;
}
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const f32 = (shape: number[]) => ({ shape, dtype: 'float32' as const });

/** Gates: inputs xp, hr (= h·R[:, :2U]) [B,2U], h → zr (activated z | r) [B,2U], rh (= r·h) [B,U]. */
export const GRU_GATES = 'ParleyGruGates';
registerJsKernel<StepAttrs>({
  name: GRU_GATES,
  inputs: ['xp', 'hr', 'h'],
  outputs(shapes) {
    const [B, U] = shapes[2] as [number, number];
    return [f32([B, 2 * U]), f32([B, U])];
  },
  simd(k, p, { t }, shapes) {
    const [B, U] = shapes[2] as [number, number];
    if (U % 4 !== 0) return false;
    k.gruGates(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, B, U, t);
    return true;
  },
  compute(ins: Arr[], outs: Arr[], { t }, shapes) {
    const [xp, hr, h] = ins as Float32Array[];
    const [zr, rh] = outs as Float32Array[];
    const [B, U] = shapes[2] as [number, number];
    for (let b = 0; b < B; b++) {
      const xo = (t * B + b) * 3 * U;
      const ro = b * 2 * U;
      for (let j = 0; j < U; j++) {
        const z = sigmoid(xp![xo + j]! + hr![ro + j]!);
        const r = sigmoid(xp![xo + U + j]! + hr![ro + U + j]!);
        zr![ro + j] = z;
        zr![ro + U + j] = r;
        rh![b * U + j] = r * h![b * U + j]!;
      }
    }
  },
});

/** Cell: inputs xp, zr, rhR (= (r·h)·R[:, 2U:]) [B,U], h, mask → h' [B,U], out [B,U], hh (candidate) [B,U]. */
export const GRU_CELL = 'ParleyGruCell';
registerJsKernel<StepAttrs>({
  name: GRU_CELL,
  inputs: ['xp', 'zr', 'rhR', 'h', 'mask'],
  outputs(shapes) {
    const [B, U] = shapes[3] as [number, number];
    return [f32([B, U]), f32([B, U]), f32([B, U])];
  },
  simd(k, p, { t, hasMask }, shapes) {
    const [B, U] = shapes[3] as [number, number];
    if (U % 4 !== 0) return false;
    k.gruCell(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, B, U, t, hasMask ? 1 : 0);
    return true;
  },
  compute(ins: Arr[], outs: Arr[], { t, hasMask }, shapes) {
    const [xp, zr, rhR, h, mask] = ins as Float32Array[];
    const [hOut, out, hh] = outs as Float32Array[];
    const [B, U] = shapes[3] as [number, number];
    for (let b = 0; b < B; b++) {
      const m = hasMask ? mask![t * B + b]! : 1;
      const xo = (t * B + b) * 3 * U + 2 * U;
      for (let j = 0; j < U; j++) {
        const s = b * U + j;
        const z = zr![b * 2 * U + j]!;
        const cand = Math.tanh(xp![xo + j]! + rhR![s]!);
        const hp = h![s]!;
        const hn = z * hp + (1 - z) * cand;
        hh![s] = cand;
        hOut![s] = m * hn + (1 - m) * hp;
        out![s] = m * hn;
      }
    }
  },
});

/**
 * Backward, first half. Inputs zr, hh, hPrev, dhA, dhB (parts of dL/dh_t), dOut [T*B,U], mask →
 * dah (gradient of the candidate's pre-activation) [B,U], dhPart (dL/dh_{t-1} so far) [B,U], daz [B,U].
 */
export const GRU_GRAD_A = 'ParleyGruGradA';
registerJsKernel<StepAttrs>({
  name: GRU_GRAD_A,
  inputs: ['zr', 'hh', 'hPrev', 'dhA', 'dhB', 'dOut', 'mask'],
  outputs(shapes) {
    const [B, U] = shapes[1] as [number, number];
    return [f32([B, U]), f32([B, U]), f32([B, U])];
  },
  simd(k, p, { t, hasMask }, shapes) {
    const [B, U] = shapes[1] as [number, number];
    if (U % 4 !== 0) return false;
    k.gruGradA(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, p[8]!, p[9]!, B, U, t, hasMask ? 1 : 0);
    return true;
  },
  compute(ins: Arr[], outs: Arr[], { t, hasMask }, shapes) {
    const [zr, hh, hPrev, dhA, dhB, dOut, mask] = ins as Float32Array[];
    const [dah, dhPart, daz] = outs as Float32Array[];
    const [B, U] = shapes[1] as [number, number];
    for (let b = 0; b < B; b++) {
      const m = hasMask ? mask![t * B + b]! : 1;
      for (let j = 0; j < U; j++) {
        const s = b * U + j;
        const dh = dhA![s]! + dhB![s]!;
        const dhn = m * (dh + dOut![t * B * U + s]!);
        const z = zr![b * 2 * U + j]!;
        const c = hh![s]!;
        daz![s] = dhn * (hPrev![s]! - c) * z * (1 - z);
        dah![s] = dhn * (1 - z) * (1 - c * c);
        dhPart![s] = dhn * z + (1 - m) * dh;
      }
    }
  },
});

/** Backward, second half. Inputs drh (= dah·R[:, 2U:]ᵀ), zr, hPrev, daz, dhPart → dazr [B,2U], dhPart2 [B,U]. */
export const GRU_GRAD_B = 'ParleyGruGradB';
registerJsKernel<StepAttrs>({
  name: GRU_GRAD_B,
  inputs: ['drh', 'zr', 'hPrev', 'daz', 'dhPart'],
  outputs(shapes) {
    const [B, U] = shapes[0] as [number, number];
    return [f32([B, 2 * U]), f32([B, U])];
  },
  simd(k, p, _attrs, shapes) {
    const [B, U] = shapes[0] as [number, number];
    if (U % 4 !== 0) return false;
    k.gruGradB(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, B, U);
    return true;
  },
  compute(ins: Arr[], outs: Arr[], _attrs, shapes) {
    const [drh, zr, hPrev, daz, dhPart] = ins as Float32Array[];
    const [dazr, dhOut] = outs as Float32Array[];
    const [B, U] = shapes[0] as [number, number];
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < U; j++) {
        const s = b * U + j;
        const r = zr![b * 2 * U + U + j]!;
        const d = drh![s]!;
        dazr![b * 2 * U + j] = daz![s]!;
        dazr![b * 2 * U + U + j] = d * hPrev![s]! * r * (1 - r);
        dhOut![s] = dhPart![s]! + d * r;
      }
    }
  },
});
