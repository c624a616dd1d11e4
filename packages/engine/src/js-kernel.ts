// Kernels written in plain TypeScript over typed arrays, registered for the wasm, cpu and other backends.
// On wasm they read and write the wasm heap directly (no copies); elsewhere they go through readSync/write.
import * as tf from '@tensorflow/tfjs';
import { simdKernelsFor, type SimdKernels } from './simd/index';

type TypedArray = Float32Array | Int32Array;
type KernelFn = tf.KernelFunc;

/** A kernel computed in JS: output shapes from the inputs, then a loop over the raw arrays. */
export interface JsKernelSpec<A> {
  /** The kernel's name as `tf.engine().runKernel` is called with. */
  name: string;
  /** Input names in the order `compute` receives their arrays. */
  inputs: readonly string[];
  /** Output shapes and dtypes for these inputs and attributes. */
  outputs(shapes: number[][], attrs: A): { shape: number[]; dtype: 'float32' | 'int32' }[];
  /** Fills every element of every output (outputs start uninitialised on wasm). */
  compute(ins: TypedArray[], outs: TypedArray[], attrs: A, shapes: number[][]): void;
  /**
   * Optional WebAssembly SIMD version for the wasm backend: gets byte offsets of the inputs then the outputs
   * in the wasm heap; returns false to fall back to `compute` (e.g. for shapes it does not handle).
   */
  simd?(k: SimdKernels, ptrs: number[], attrs: A, shapes: number[][]): boolean;
}

interface WasmLike {
  wasm: Parameters<typeof simdKernelsFor>[0];
  getMemoryOffset(dataId: tf.DataId): number;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): TypedArray;
}

interface GenericLike {
  readSync(dataId: tf.DataId): unknown;
  write(values: TypedArray, shape: number[], dtype: tf.DataType): tf.DataId;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function kernelFunc<A>(spec: JsKernelSpec<A>, wasm: boolean): KernelFn {
  return ({ inputs, backend, attrs }) => {
    const ins = spec.inputs.map((n) => {
      const t = inputs[n];
      if (!t) throw new Error(`${spec.name}: missing input ${n}`);
      return t;
    });
    const shapes = ins.map((t) => t.shape);
    const a = attrs as unknown as A;
    const outSpecs = spec.outputs(shapes, a);
    let result: tf.TensorInfo[];
    if (wasm) {
      const b = backend as unknown as WasmLike;
      // Allocate first: growing the heap detaches earlier views.
      result = outSpecs.map((o) => b.makeOutput(o.shape, o.dtype));
      const k = spec.simd ? simdKernelsFor(b.wasm) : undefined;
      if (
        k &&
        spec.simd!(
          k,
          [...ins, ...result].map((t) => b.getMemoryOffset(t.dataId)),
          a,
          shapes,
        )
      ) {
        return result.length === 1 ? result[0]! : result;
      }
      const inArrays = ins.map((t) => b.typedArrayFromHeap(t));
      const outArrays = result.map((t) => b.typedArrayFromHeap(t));
      spec.compute(inArrays, outArrays, a, shapes);
    } else {
      const b = backend as unknown as GenericLike;
      const inArrays = ins.map((t) => b.readSync(t.dataId) as TypedArray);
      const outArrays = outSpecs.map((o) =>
        o.dtype === 'int32' ? new Int32Array(size(o.shape)) : new Float32Array(size(o.shape)),
      );
      spec.compute(inArrays, outArrays, a, shapes);
      result = outSpecs.map((o, i) => ({
        dataId: b.write(outArrays[i]!, o.shape, o.dtype),
        shape: o.shape,
        dtype: o.dtype,
      }));
    }
    return result.length === 1 ? result[0]! : result;
  };
}

/** Backends the JS kernels are registered for (the wasm path is zero-copy; the others copy). */
const BACKENDS = ['wasm', 'cpu', 'tensorflow', 'webgl'] as const;

/** Registers a JS kernel for every backend that does not have one by that name yet. */
export function registerJsKernel<A>(
  spec: JsKernelSpec<A>,
  backends: readonly string[] = BACKENDS,
  override = false,
): void {
  for (const backendName of backends) {
    if (tf.getKernel(spec.name, backendName)) {
      if (!override) continue;
      tf.unregisterKernel(spec.name, backendName);
    }
    tf.registerKernel({ kernelName: spec.name, backendName, kernelFunc: kernelFunc(spec, backendName === 'wasm') });
  }
}

/** Runs a registered kernel on the active backend; returns its outputs as tensors. */
export function runKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown> = {},
): tf.Tensor[] {
  const out = tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as
    tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}
