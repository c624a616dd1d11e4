// A fix to tfjs-node's kernels. Every tfjs kernel accepts a tensor that another backend holds (the engine
// moves its data over), except tfjs-node's GatherV2: it reads its indices with the backend's own readSync,
// which throws "Tensor … was not registered!" for indices created on another backend (e.g. before
// initBackend chose node, or in tests that switch backends). The wrapper moves such indices first.
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-node's backend used here (node_modules/@tensorflow/tfjs-node/dist/nodejs_kernel_backend.js). */
interface NodeBackend {
  tensorMap: { has(dataId: object): boolean };
}

/** The part of tfjs' engine used here (public on Engine, not in its typings as exported by tfjs). */
interface MovingEngine {
  moveData(backend: unknown, dataId: object): void;
}

let registered = false;

/** Registers the fix once per process (call after the tensorflow backend is set). */
export function registerNodeKernelFixes(): void {
  if (registered) return;
  const original = tf.getKernel('GatherV2', 'tensorflow');
  if (!original) return;
  registered = true;
  tf.unregisterKernel('GatherV2', 'tensorflow');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as NodeBackend;
      const { dataId } = args.inputs.indices!;
      if (!backend.tensorMap.has(dataId)) (tf.engine() as unknown as MovingEngine).moveData(backend, dataId);
      return original.kernelFunc(args);
    },
  });
}
