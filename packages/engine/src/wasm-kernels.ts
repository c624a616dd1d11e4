// Kernel fixes for the wasm backend, registered when the engine starts on wasm.
// (Filled in by the wasm kernel work: fast transposed BatchMatMul, UnsortedSegmentSum, ...)

let registered = false;

/** Registers Parley's wasm kernels once per process. */
export function registerWasmKernelFixes(): void {
  if (registered) return;
  registered = true;
}
