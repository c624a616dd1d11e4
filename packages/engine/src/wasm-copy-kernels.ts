// Slice, Unpack (tf.unstack) and SplitV (tf.split) for the wasm backend, copying just the parts.
// Why: tfjs' wasm Slice first copies its whole input out of the wasm heap into a fresh ArrayBuffer (readSync), and
// its Unpack and SplitV run that Slice once per part, so unstacking a seq2seq batch's [B, T, E] embeddings copied
// it T times (39 ms for [64, 30, 256]; now 0.6 ms). The fresh buffers also cost page faults and external-memory GCs
// every step, which in data-parallel training stalled the other thread (bench/README.md, "Copies, not cores").
// These run as JS kernels on heap views (js-kernel.ts); wasm-kernels.ts routes float32 inputs here.
import * as tf from '@tensorflow/tfjs';

/** Slice of a float32 tensor, copied in runs of its innermost dimension straight from the wasm heap. */
export const sliceKernel = {
  name: 'Slice',
  inputs: ['x'] as const,
  outputs(shapes: number[][], attrs: { begin: number | number[]; size?: number | number[] }) {
    return [{ shape: sliceParams(shapes[0]!, attrs)[1], dtype: 'float32' as const }];
  },
  compute(
    ins: (Float32Array | Int32Array)[],
    outs: (Float32Array | Int32Array)[],
    attrs: { begin: number | number[]; size?: number | number[] },
    shapes: number[][],
  ) {
    const [x, out] = [ins[0]!, outs[0]!];
    const shape = shapes[0]!;
    const [begin, size] = sliceParams(shape, attrs);
    const rank = shape.length;
    if (rank === 0 || out.length === 0) {
      if (out.length) out[0] = x[0]!;
      return;
    }
    const strides = tf.util.computeStrides(shape); // of the outer dims (rank − 1 of them)
    const run = size[rank - 1]!;
    const at = new Array<number>(rank - 1).fill(0); // index of the current run in the slice's outer dims
    for (let o = 0; o < out.length; o += run) {
      let src = begin[rank - 1]!;
      for (let d = 0; d < rank - 1; d++) src += (begin[d]! + at[d]!) * strides[d]!;
      out.set(x.subarray(src, src + run), o);
      for (let d = rank - 2; d >= 0 && ++at[d]! === size[d]; d--) at[d] = 0;
    }
  },
};

/** Slice's begin and size with defaults and -1 sizes resolved, as tfjs reads them. */
function sliceParams(
  shape: number[],
  attrs: { begin: number | number[]; size?: number | number[] },
): [begin: number[], size: number[]] {
  const x = { shape, dtype: 'float32', dataId: {} } as tf.TensorInfo;
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  return [begin!, size!];
}

/**
 * Copies x, seen as [outer, sum(parts), inner] around `axis`, into one output per part (`parts` sizes along
 * axis): what Unpack (parts of 1, axis dropped) and SplitV do.
 */
function copyParts(
  x: Float32Array | Int32Array,
  outs: (Float32Array | Int32Array)[],
  shape: number[],
  axis: number,
  parts: number[],
) {
  const inner = tf.util.sizeFromShape(shape.slice(axis + 1));
  const along = shape[axis]!;
  const outer = tf.util.sizeFromShape(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    let src = o * along * inner;
    parts.forEach((p, j) => {
      const n = p * inner;
      outs[j]!.set(x.subarray(src, src + n), o * n);
      src += n;
    });
  }
}

/** Unpack (tf.unstack) of a float32 tensor along `axis`, one pass over the input. */
export const unpackKernel = {
  name: 'Unpack',
  inputs: ['value'] as const,
  outputs(shapes: number[][], attrs: { axis: number }) {
    const x = shapes[0]!;
    const axis = attrs.axis < 0 ? attrs.axis + x.length : attrs.axis;
    const shape = x.filter((_, i) => i !== axis);
    return Array.from({ length: x[axis]! }, () => ({ shape, dtype: 'float32' as const }));
  },
  compute(
    ins: (Float32Array | Int32Array)[],
    outs: (Float32Array | Int32Array)[],
    attrs: { axis: number },
    shapes: number[][],
  ) {
    const x = shapes[0]!;
    const axis = attrs.axis < 0 ? attrs.axis + x.length : attrs.axis;
    copyParts(ins[0]!, outs, x, axis, new Array<number>(x[axis]!).fill(1));
  },
};

/** SplitV (tf.split) of a float32 tensor along `axis`, one pass over the input. */
export const splitKernel = {
  name: 'SplitV',
  inputs: ['x'] as const,
  outputs(shapes: number[][], attrs: { numOrSizeSplits: number | number[]; axis: number }) {
    const x = shapes[0]!;
    const { axis, sizes } = splitParams(x, attrs);
    return sizes.map((s) => ({ shape: x.map((d, i) => (i === axis ? s : d)), dtype: 'float32' as const }));
  },
  compute(
    ins: (Float32Array | Int32Array)[],
    outs: (Float32Array | Int32Array)[],
    attrs: { numOrSizeSplits: number | number[]; axis: number },
    shapes: number[][],
  ) {
    const { axis, sizes } = splitParams(shapes[0]!, attrs);
    copyParts(ins[0]!, outs, shapes[0]!, axis, sizes);
  },
};

/** SplitV's axis and part sizes (a count or sizes with one -1), as tfjs reads them. */
function splitParams(shape: number[], attrs: { numOrSizeSplits: number | number[]; axis: number }) {
  const axis = tf.util.parseAxisParam(attrs.axis, shape)[0]!;
  const x = { shape, dtype: 'float32', dataId: {} } as tf.TensorInfo;
  return { axis, sizes: tf.backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis) };
}
