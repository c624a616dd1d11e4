// A training worker thread (started by ShardPool in data-parallel.ts): its own wasm backend and copy of the model;
// for each step it takes the main thread's weights and a shard of the batch and returns that shard's gradients.
import { errorMessage } from '@parley/engine/errors';
import { parentPort } from 'node:worker_threads';
import { initBackend } from '@parley/engine';
import type { ShardKind, ShardTensors, WorkerReply, WorkerRequest } from './data-parallel';
import { shardToArrays, transferList } from './data-parallel';
import { assignWeights } from './weights';
import * as tf from '@tensorflow/tfjs';

/** What a trainer's parallel.ts provides to a worker. */
export interface ShardRunner {
  vars: Record<string, tf.Variable>;
  run(input: unknown): ShardTensors;
}

async function createRunner(kind: ShardKind, spec: unknown): Promise<ShardRunner> {
  if (kind === 'charlm') return (await import('../charlm/parallel')).createCharLmRunner(spec);
  return (await import('../seq2seq/parallel')).createSeq2seqRunner(spec);
}

const port = parentPort!;
let runner: ShardRunner | undefined;
port.on('message', (msg: WorkerRequest) => {
  void (async () => {
    try {
      if (msg.type === 'init') {
        await initBackend('wasm');
        runner = await createRunner(msg.kind, msg.spec);
        port.postMessage({ type: 'ready' } satisfies WorkerReply);
        return;
      }
      if (!runner) throw new Error('step before init');
      const weights: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(msg.weights)) weights[k] = tf.tensor(v, runner.vars[k]?.shape);
      assignWeights(runner.vars, weights);
      const result = shardToArrays(runner.run(msg.input));
      const arrays = [...Object.values(result.grads), ...Object.values(result.state).map((s) => s.data)];
      port.postMessage({ type: 'result', result } satisfies WorkerReply, transferList(arrays));
    } catch (err) {
      port.postMessage({
        type: 'error',
        message: errorMessage(err),
      } satisfies WorkerReply);
    }
  })();
});
