// Kernel fixes for the wasm backend, registered when the engine starts on wasm:
// - BatchMatMul / _FusedMatMul with transposed operands: XNNPACK's transposed paths are 10-40x slower
//   than plain ones, so the operand is transposed explicitly first (a cheap copy) and the fast path runs.
// - UnsortedSegmentSum (the gradient of gather, i.e. of embeddings): missing on wasm; also replaces the
//   cpu backend's O(segments × rows) version with one pass.
import * as tf from '@tensorflow/tfjs';
import { registerJsKernel } from './js-kernel';

let registered = false;
let explicit = true;

/** Turns the explicit-transpose matmul fix on or off (the bench measures stock tfjs kernels with it off). */
export function setExplicitTransposes(enabled: boolean): void {
  explicit = enabled;
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
      if (!explicit || (!a0.transposeA && !a0.transposeB)) return fast({ inputs, backend, attrs });
      const temps: tf.TensorInfo[] = [];
      const a = a0.transposeA ? transposeLastTwo(inputs.a!, backend, transpose.kernelFunc) : inputs.a!;
      const b = a0.transposeB ? transposeLastTwo(inputs.b!, backend, transpose.kernelFunc) : inputs.b!;
      if (a !== inputs.a) temps.push(a);
      if (b !== inputs.b) temps.push(b);
      const out = fast({ inputs: { ...inputs, a, b }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      for (const t of temps) backend.disposeData(t.dataId);
      return out;
    },
  });
}

/** Registers Parley's wasm kernels once per process (call after the wasm backend is set). */
export function registerWasmKernelFixes(): void {
  if (registered) return;
  registered = true;
  explicitTransposes('BatchMatMul');
  explicitTransposes('_FusedMatMul');
  registerJsKernel(unsortedSegmentSumKernel, ['wasm', 'cpu'], true);
}
