export * as tf from '@tensorflow/tfjs';
export { initBackend, useBackend, describeBackend, wasmThreadCount, BACKEND_ORDER } from './backend';
export type { BackendName, BackendReport } from './backend';
export { registerWasmKernelFixes, setKernelFixes } from './wasm-kernels';
export { setSimdKernels } from './simd/index';
export * from './rnn/index';
export * from './random';
export { errorMessage } from './errors';
export {
  nativeSoftmaxCrossEntropyAvailable,
  smoothedSoftmaxCrossEntropy,
  smoothedSoftmaxCrossEntropyAvailable,
  softmaxCrossEntropy,
} from './softmax-cross-entropy';
