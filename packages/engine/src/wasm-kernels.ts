// Kernel fixes for the wasm backend, registered when the engine starts on wasm:
// - BatchMatMul / _FusedMatMul with transposed operands: tfjs runs XNNPACK only for untransposed operands
//   and a scalar loop otherwise (10-40x slower), so the operand is transposed explicitly first (a copy).
// - BatchMatMul with a batch dimension > 1 (attention): tfjs runs a scalar triple loop; a SIMD kernel here.
// - Sum over leading axes (bias gradients): one pass instead of transpose + reduce.
// - Transpose of the last two axes: a SIMD block transpose instead of a per-element walk.
// - GatherV2 of whole rows (embedding lookups): row copies instead of a per-element walk.
// - UnsortedSegmentSum (the gradient of gather, i.e. of embeddings): missing on wasm; also replaces the
//   cpu backend's O(segments × rows) version with one pass.
// - Slice, Unpack (unstack) and SplitV (split) without whole-input copies: see wasm-copy-kernels.ts.
import * as tf from '@tensorflow/tfjs';
import { registerJsKernel, type JsKernelSpec } from './js-kernel';
import { simdKernelsFor, type SimdKernels } from './simd/index';
import { sliceKernel, splitKernel, unpackKernel } from './wasm-copy-kernels';

let registered = false;
let fixesOn = true;

/**
 * Turns the speed fixes (transposed and batched matmul, leading-axis Sum, transpose, row gather, slice / unstack /
 * split, the smoothed softmax cross-entropy kernel) on or off; UnsortedSegmentSum stays, since tfjs has none on
 * wasm. The bench measures stock tf.layers with them off.
 */
export function setKernelFixes(enabled: boolean): void {
  fixesOn = enabled;
}

/** Whether the speed fixes are on (see setKernelFixes). */
export function kernelFixesEnabled(): boolean {
  return fixesOn;
}

/** Sums rows of x into numSegments buckets by segmentIds (ids outside [0, numSegments) are dropped). */
export const unsortedSegmentSumKernel = {
  name: 'UnsortedSegmentSum',
  inputs: ['x', 'segmentIds'] as const,
  outputs(shapes: number[][], attrs: { numSegments: number }) {
    const [x, ids] = shapes as [number[], number[]];
    return [{ shape: [attrs.numSegments, ...x.slice(ids.length)], dtype: 'float32' as const }];
  },
  compute(ins: (Float32Array | Int32Array)[], outs: (Float32Array | Int32Array)[], attrs: { numSegments: number }) {
    const [x, ids] = ins as [Float32Array, Int32Array];
    const out = outs[0]!;
    out.fill(0);
    const n = ids.length;
    const inner = n === 0 ? 0 : x.length / n;
    for (let r = 0; r < n; r++) {
      const s = ids[r]!;
      if (s < 0 || s >= attrs.numSegments) continue;
      const src = r * inner;
      const dst = s * inner;
      for (let k = 0; k < inner; k++) out[dst + k]! += x[src + k]!;
    }
  },
};

function transposeLastTwo(x: tf.TensorInfo, backend: tf.KernelBackend, transpose: tf.KernelFunc): tf.TensorInfo {
  const r = x.shape.length;
  const perm = [...Array(r).keys()];
  [perm[r - 2], perm[r - 1]] = [perm[r - 1]!, perm[r - 2]!];
  return transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

interface WasmBackendLike {
  wasm: Parameters<typeof simdKernelsFor>[0];
  getMemoryOffset(dataId: tf.DataId): number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/**
 * a [...batch, M, K] · b [...batch, K, N] with batch > 1 on the SIMD kernel (tfjs runs a scalar loop there).
 * Handles equal batch dims or one side unbatched; returns undefined for anything else.
 */
function batchedMatMul(a: tf.TensorInfo, b: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || (a.shape.length < 3 && b.shape.length < 3)) return undefined;
  const [M, K] = a.shape.slice(-2) as [number, number];
  const [K2, N] = b.shape.slice(-2) as [number, number];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const [batchA, batchB] = [size(outerA), size(outerB)];
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (K !== K2 || Math.max(batchA, batchB) <= 1 || !(sameOuter || batchA === 1 || batchB === 1)) return undefined;
  const w = backend as unknown as WasmBackendLike;
  const k = simdKernelsFor(w.wasm);
  if (!k) return undefined;
  const outer = batchA === 1 && !sameOuter ? outerB : outerA;
  const out = w.makeOutput([...outer, M, N], 'float32');
  const ptr = (t: tf.TensorInfo) => w.getMemoryOffset(t.dataId);
  k.batchMatMul(
    ptr(a),
    ptr(b),
    ptr(out),
    Math.max(batchA, batchB),
    M,
    K,
    N,
    batchA === 1 ? 0 : M * K,
    batchB === 1 ? 0 : K * N,
  );
  return out;
}

/**
 * aᵀ·b as (bᵀ·a)ᵀ when b is the big operand (e.g. a weight gradient xᵀ·dZ over 4096 rows): XNNPACK packs
 * its right operand on every call, which for a large b costs more than transposing b and the result.
 * Only for single matrices (no batch); returns undefined when the plain order is cheaper.
 */
function swapOperands(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  backend: tf.KernelBackend,
  transpose: tf.KernelFunc,
  fast: tf.KernelFunc,
): tf.TensorInfo | undefined {
  if (a.shape.length !== 2 || b.shape.length !== 2) return undefined;
  const [K, M] = a.shape as [number, number];
  const N = b.shape[1]!;
  if (!(N > M && K * (N - M) > M * N)) return undefined;
  const bT = transposeLastTwo(b, backend, transpose);
  const prod = fast({
    inputs: { a: bT, b: a },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  const out = transposeLastTwo(prod, backend, transpose);
  backend.disposeData(bT.dataId);
  backend.disposeData(prod.dataId);
  return out;
}

/** Wraps a matmul kernel so transposed operands are transposed explicitly before the fast path. */
function explicitTransposes(kernelName: string): void {
  const original = tf.getKernel(kernelName, 'wasm');
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!original || !transpose) return;
  const fast = original.kernelFunc;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: ({ inputs, backend: b0, attrs }) => {
      const backend = b0 as tf.KernelBackend;
      const a0 = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!fixesOn) return fast({ inputs, backend, attrs });
      if (!a0.transposeA && !a0.transposeB) {
        return (
          (kernelName === 'BatchMatMul' && batchedMatMul(inputs.a!, inputs.b!, backend)) ||
          fast({ inputs, backend, attrs })
        );
      }
      const swapped =
        kernelName === 'BatchMatMul' && a0.transposeA && !a0.transposeB
          ? swapOperands(inputs.a!, inputs.b!, backend, transpose.kernelFunc, fast)
          : undefined;
      if (swapped) return swapped;
      const temps: tf.TensorInfo[] = [];
      const a = a0.transposeA ? transposeLastTwo(inputs.a!, backend, transpose.kernelFunc) : inputs.a!;
      const b = a0.transposeB ? transposeLastTwo(inputs.b!, backend, transpose.kernelFunc) : inputs.b!;
      if (a !== inputs.a) temps.push(a);
      if (b !== inputs.b) temps.push(b);
      const out =
        (kernelName === 'BatchMatMul' && batchedMatMul(a, b, backend)) ||
        fast({ inputs: { ...inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    },
  });
}

/**
 * Sum over the leading axes (e.g. a bias gradient, axis 0 of [rows, cols]): tfjs' wasm Sum transposes the
 * reduced axes to the end first, which costs more than the sum; here it is one SIMD pass over the rows.
 */
export const leadingSumKernel = {
  name: 'Sum',
  inputs: ['x'] as const,
  outputs(shapes: number[][], attrs: { axis: number | number[]; keepDims: boolean }) {
    const x = shapes[0]!;
    const k = leadingAxes(x.length, attrs.axis)!;
    return [{ shape: attrs.keepDims ? x.map((d, i) => (i < k ? 1 : d)) : x.slice(k), dtype: 'float32' as const }];
  },
  compute(
    ins: (Float32Array | Int32Array)[],
    outs: (Float32Array | Int32Array)[],
    attrs: { axis: number | number[] },
    shapes: number[][],
  ) {
    const x = ins[0]!;
    const out = outs[0]!;
    const cols = shapes[0]!.slice(leadingAxes(shapes[0]!.length, attrs.axis)!).reduce((a, b) => a * b, 1);
    out.fill(0);
    for (let r = 0; r < x.length / cols; r++) for (let c = 0; c < cols; c++) out[c]! += x[r * cols + c]!;
  },
  simd(k: SimdKernels, p: number[], attrs: { axis: number | number[] }, shapes: number[][]) {
    const x = shapes[0]!;
    const n = leadingAxes(x.length, attrs.axis)!;
    k.colSum(
      p[0]!,
      p[1]!,
      x.slice(0, n).reduce((a, b) => a * b, 1),
      x.slice(n).reduce((a, b) => a * b, 1),
    );
    return true;
  },
};

/** How many leading axes `axis` names, when it names exactly axes 0..k-1 with k < rank; else undefined. */
function leadingAxes(rank: number, axis: number | number[]): number | undefined {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort(
    (a, b) => a - b,
  );
  if (axes.length === 0 || axes.length >= rank || axes.some((a, i) => a !== i)) return undefined;
  return axes.length;
}

/** Registers `spec` on wasm for the inputs `when` accepts; everything else still goes to tfjs' kernel. */
function route<A>(spec: JsKernelSpec<A>, when: (args: Parameters<tf.KernelFunc>[0]) => boolean): void {
  const original = tf.getKernel(spec.name, 'wasm');
  if (!original) return;
  const fallback = original.kernelFunc;
  registerJsKernel(spec, ['wasm'], true);
  const ours = tf.getKernel(spec.name, 'wasm').kernelFunc;
  tf.unregisterKernel(spec.name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc: (args) => (fixesOn && when(args) ? ours(args) : fallback(args)) });
}

/**
 * Gather of whole rows (axis 0, e.g. an embedding lookup): row copies. tfjs' wasm Gather walks every
 * element through generic strides, slower than the copy it amounts to.
 */
export const gatherRowsKernel = {
  name: 'GatherV2',
  inputs: ['x', 'indices'] as const,
  outputs(shapes: number[][]) {
    const [x, ids] = shapes as [number[], number[]];
    return [{ shape: [...ids, ...x.slice(1)], dtype: 'float32' as const }];
  },
  compute(
    ins: (Float32Array | Int32Array)[],
    outs: (Float32Array | Int32Array)[],
    _attrs: unknown,
    shapes: number[][],
  ) {
    const [x, ids] = ins as [Float32Array, Int32Array];
    const out = outs[0]!;
    const rows = shapes[0]![0]!;
    const width = rows === 0 ? 0 : x.length / rows;
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r]!;
      if (!(id >= 0 && id < rows)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
      out.set(x.subarray(id * width, (id + 1) * width), r * width);
    }
  },
};

/**
 * Transpose swapping the last two axes (what matmul gradients need): a SIMD 4×4-block kernel per matrix.
 * tfjs' wasm Transpose walks generic strides per element (≈ 80 ms for 4096 × 1024).
 */
export const transposeLastTwoKernel = {
  name: 'Transpose',
  inputs: ['x'] as const,
  outputs(shapes: number[][]) {
    const x = shapes[0]!;
    const r = x.length;
    return [{ shape: [...x.slice(0, r - 2), x[r - 1]!, x[r - 2]!], dtype: 'float32' as const }];
  },
  compute(
    ins: (Float32Array | Int32Array)[],
    outs: (Float32Array | Int32Array)[],
    _attrs: unknown,
    shapes: number[][],
  ) {
    const x = ins[0]!;
    const out = outs[0]!;
    const s = shapes[0]!;
    const [R, C] = [s[s.length - 2]!, s[s.length - 1]!];
    for (let m = 0; m < x.length / (R * C || 1); m++) {
      const o = m * R * C;
      for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) out[o + j * R + i] = x[o + i * C + j]!;
    }
  },
  simd(k: SimdKernels, p: number[], _attrs: unknown, shapes: number[][]) {
    const s = shapes[0]!;
    const [R, C] = [s[s.length - 2]!, s[s.length - 1]!];
    const n = s.slice(0, -2).reduce((a, b) => a * b, 1);
    for (let m = 0; m < n; m++) k.transpose2d(p[0]! + 4 * m * R * C, p[1]! + 4 * m * R * C, R, C);
    return true;
  },
};

/** Registers Parley's wasm kernels once per process (call after the wasm backend is set). */
export function registerWasmKernelFixes(): void {
  if (registered) return;
  registered = true;
  explicitTransposes('BatchMatMul');
  explicitTransposes('_FusedMatMul');
  registerJsKernel(unsortedSegmentSumKernel, ['wasm', 'cpu'], true);
  route(leadingSumKernel, ({ inputs, attrs }) => {
    const x = inputs.x!;
    return (
      x.dtype === 'float32' &&
      leadingAxes(x.shape.length, (attrs as unknown as { axis: number | number[] }).axis) !== undefined
    );
  });
  route(transposeLastTwoKernel, ({ inputs, attrs }) => {
    const x = inputs.x!;
    const { perm } = attrs as unknown as { perm: number[] };
    const r = x.shape.length;
    return (
      x.dtype === 'float32' &&
      r >= 2 &&
      perm.length === r &&
      perm.every((p, i) => p === (i < r - 2 ? i : i === r - 2 ? r - 1 : r - 2))
    );
  });
  route(sliceKernel, ({ inputs }) => inputs.x!.dtype === 'float32');
  route(unpackKernel, ({ inputs }) => inputs.value!.dtype === 'float32');
  route(splitKernel, ({ inputs }) => inputs.x!.dtype === 'float32');
  route(gatherRowsKernel, ({ inputs, attrs }) => {
    const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
    const x = inputs.x!;
    return (
      x.dtype === 'float32' &&
      inputs.indices!.dtype === 'int32' &&
      x.shape.length >= 1 &&
      (axis === 0 || axis === -x.shape.length) &&
      !batchDims
    );
  });
}
