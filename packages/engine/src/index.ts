export * as tf from '@tensorflow/tfjs';
export { initBackend, useBackend, describeBackend, BACKEND_ORDER } from './backend';
export type { BackendName, BackendReport } from './backend';
export { registerWasmKernelFixes, setExplicitTransposes } from './wasm-kernels';
export * from './rnn/index';
