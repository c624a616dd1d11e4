// Instantiates kernels.wat (WebAssembly SIMD) against the tfjs wasm backend's own memory, so the fused
// RNN kernels read and write tensors in place. Falls back (returns undefined) where that is not possible.
import { KERNELS_WASM, KERNELS_WASM_SHARED } from './kernels-wasm';

/** The exported kernels; every pointer is a byte offset into the tfjs wasm heap. */
export interface SimdKernels {
  lstmCell(
    xp: number,
    hr: number,
    h: number,
    c: number,
    mask: number,
    hOut: number,
    cOut: number,
    gates: number,
    out: number,
    B: number,
    U: number,
    t: number,
    hasMask: number,
  ): void;
  lstmCellGrad(
    gates: number,
    cPrev: number,
    cNew: number,
    dhA: number,
    dhB: number,
    dc: number,
    dOut: number,
    mask: number,
    dz: number,
    dhCarry: number,
    dcPrev: number,
    B: number,
    U: number,
    t: number,
    hasMask: number,
  ): void;
  gruGates(xp: number, hr: number, h: number, zr: number, rh: number, B: number, U: number, t: number): void;
  gruCell(
    xp: number,
    zr: number,
    rhR: number,
    h: number,
    mask: number,
    hOut: number,
    out: number,
    hh: number,
    B: number,
    U: number,
    t: number,
    hasMask: number,
  ): void;
  gruGradA(
    zr: number,
    hh: number,
    hPrev: number,
    dhA: number,
    dhB: number,
    dOut: number,
    mask: number,
    dah: number,
    dhPart: number,
    daz: number,
    B: number,
    U: number,
    t: number,
    hasMask: number,
  ): void;
  batchMatMul(
    a: number,
    b: number,
    out: number,
    batch: number,
    M: number,
    K: number,
    N: number,
    aStride: number,
    bStride: number,
  ): void;
  transpose2d(x: number, out: number, rows: number, cols: number): void;
  softmaxXent(
    x: number,
    targets: number,
    loss: number,
    grad: number,
    N: number,
    V: number,
    off: number,
    gold: number,
  ): void;
  colSum(x: number, out: number, rows: number, cols: number): void;
  gruGradB(
    drh: number,
    zr: number,
    hPrev: number,
    daz: number,
    dhPart: number,
    dazr: number,
    dhOut: number,
    B: number,
    U: number,
  ): void;
}

// Minimal WebAssembly typings (the repo's lib settings do not include them).
interface Memory {
  buffer: ArrayBufferLike;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface WasmModuleLike {
  wasmMemory?: Memory;
  asm?: { memory?: Memory };
}

const cache = new WeakMap<Memory, SimdKernels | null>();
let disabled = process.env.PARLEY_SIMD_KERNELS === '0';

/** Turns the SIMD kernels off (the JS kernels run instead); used by tests and the bench. */
export function setSimdKernels(enabled: boolean): void {
  disabled = !enabled;
}

/** The SIMD kernels bound to this wasm backend's memory, or undefined when unavailable. */
export function simdKernelsFor(wasm: WasmModuleLike): SimdKernels | undefined {
  if (disabled) return undefined;
  const memory = wasm.wasmMemory ?? wasm.asm?.memory;
  if (!memory) return undefined;
  let k = cache.get(memory);
  if (k === undefined) {
    try {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const bytes = Buffer.from(shared ? KERNELS_WASM_SHARED : KERNELS_WASM, 'base64');
      const instance = new WA.Instance(new WA.Module(bytes), { env: { memory } });
      k = instance.exports as unknown as SimdKernels;
    } catch {
      k = null;
    }
    cache.set(memory, k);
  }
  return k ?? undefined;
}
