// Data-parallel training on wasm: tfjs' wasm backend computes on one core, so a training step's batch is cut into
// shards, one computed on the main thread and one in each worker thread (its own wasm backend and copy of the model).
// The main thread owns the weights and the optimizer: every step it sends the current weights (Float32Arrays) with
// each worker's shard, computes its own shard meanwhile, then averages the gradients weighted by each shard's share
// of the loss's denominator (tokens), which makes the average equal to the full batch's gradient. The trainer then
// clips and applies it once, so there is exactly one copy of the optimizer state and checkpoints are unchanged.
// What a shard is (rows of a char-LM batch, sentences of a seq2seq batch) is the trainer's: see charlm/parallel.ts
// and seq2seq/parallel.ts, whose runShard is used by both the main thread and shard-worker.ts.
import { cpus, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from './weights';

/** Which trainer's shards a worker computes. */
export type ShardKind = 'charlm' | 'seq2seq';

/** A shard's result as tensors: its mean loss, the weight of that mean in the batch's, gradients and carried state. */
export interface ShardTensors {
  loss: number;
  /** The shard's share of the batch loss's denominator (e.g. its target tokens). */
  weight: number;
  grads: NamedTensors;
  /** Trainer-specific state the shard hands back (the char-LM's carried LSTM state). */
  state: NamedTensors;
  /** Trainer-specific numbers (e.g. summed NLL). */
  stats: Record<string, number>;
}

/** A shard's result as it crosses threads. */
export interface ShardArrays {
  loss: number;
  weight: number;
  grads: Record<string, Float32Array>;
  state: Record<string, { data: Float32Array; shape: number[] }>;
  stats: Record<string, number>;
}

export type WorkerRequest =
  | { type: 'init'; kind: ShardKind; spec: unknown }
  | { type: 'step'; weights: Record<string, Float32Array>; input: unknown };
export type WorkerReply =
  { type: 'ready' } | { type: 'result'; result: ShardArrays } | { type: 'error'; message: string };

/** Copies a shard's tensors out (and disposes them) so they can be posted to another thread. */
export function shardToArrays(r: ShardTensors): ShardArrays {
  const grads: ShardArrays['grads'] = {};
  for (const [k, g] of Object.entries(r.grads)) grads[k] = g.dataSync() as Float32Array;
  const state: ShardArrays['state'] = {};
  for (const [k, s] of Object.entries(r.state)) state[k] = { data: s.dataSync() as Float32Array, shape: s.shape };
  tf.dispose([Object.values(r.grads), Object.values(r.state)]);
  return { loss: r.loss, weight: r.weight, grads, state, stats: r.stats };
}

/** Transferable buffers of a message (so posting moves them instead of copying). */
export function transferList(arrays: Iterable<Float32Array | Int32Array>): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) seen.add(a.buffer);
  return [...seen];
}

/**
 * The number of shards a training step is cut into, and which setting decided it: `PARLEY_WORKERS` if set (> 0), else
 * the config's `training.workers` (> 0), else automatic: the shard count of the checkpoint a run resumes from (so a
 * resumed run draws the same dropout masks as an uninterrupted one), or for a new run the idle cores (cores minus
 * the 1-minute load average, rounded, 1…cores), because shards only pay when each gets a core: measured on a
 * 2-core machine at load ≈ 16, 2 shards ran at 0.82–0.85× one. Shards need the wasm backend (tfjs-node runs its own
 * thread pool; cpu is too slow to matter): other backends always get 1.
 */
export function resolveWorkers(
  configured: number,
  resumed?: number,
  backend = tf.getBackend(),
): { count: number; source: string } {
  const env = process.env.PARLEY_WORKERS;
  const on = (n: number) => (backend === 'wasm' ? n : 1);
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`PARLEY_WORKERS must be a whole number ≥ 0 (0 = automatic), got ${JSON.stringify(env)}`);
    if (n > 0) return { count: on(n), source: 'PARLEY_WORKERS' };
  }
  if (configured > 0) return { count: on(configured), source: 'training.workers' };
  if (resumed !== undefined && resumed > 0) return { count: on(resumed), source: 'automatic, as the checkpoint' };
  const cores = cpus().length;
  const idle = Math.min(cores, Math.max(1, Math.round(cores - loadavg()[0]!)));
  return { count: on(idle), source: `automatic: ${idle} idle of ${cores} cores` };
}

/** Splits `n` rows into `parts` contiguous ranges whose sizes differ by at most one. */
export function splitEven(n: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 0, start = 0; j < parts; j++) {
    const size = Math.floor(n / parts) + (j < n % parts ? 1 : 0);
    if (size > 0) out.push([start, start + size]);
    start += size;
  }
  return out;
}

/** The dropout seed of shard `j` (shard 0 keeps the single-process seed, so one shard trains exactly as before). */
export function shardSeed(seed: number, j: number): number {
  return seed + j * 1_000_000_007;
}

function bootstrap(): string {
  const require = createRequire(import.meta.url);
  // Parley runs its TypeScript through tsx; the worker registers tsx' loader before importing the worker module.
  const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./shard-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); }).catch((e) => { console.error(e); process.exit(1); });`;
}

/** Worker threads that each hold a copy of one model and compute shards of its gradients. */
export class ShardPool {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `threads` workers for a `kind` model described by `spec` and waits until each is ready. */
  static async start(threads: number, kind: ShardKind, spec: unknown): Promise<ShardPool> {
    const code = bootstrap();
    const workers = Array.from(
      { length: threads },
      () => new Worker(code, { eval: true, execArgv: [], env: { ...process.env, PARLEY_WASM_THREADS: '1' } }),
    );
    const pool = new ShardPool(workers);
    try {
      await Promise.all(workers.map((w) => pool.request(w, { type: 'init', kind, spec })));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  private request(w: Worker, msg: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        w.unref();
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (reply: WorkerReply) => {
        cleanup();
        if (reply.type === 'error') reject(new Error(`training worker: ${reply.message}`));
        else resolve(reply);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(new Error(`training worker failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`training worker exited with code ${code}`));
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      // Idle workers never keep the process alive (a trainer that throws need not close the pool); a worker
      // that owes an answer does.
      w.ref();
      w.postMessage(msg, transfer);
    });
  }

  /**
   * One data-parallel step: posts `vars`' current values and `inputs[k]` to worker k, runs `local` (the main
   * thread's shard) meanwhile, and returns every shard's result (the local one first) as tensors.
   */
  async step(vars: Record<string, tf.Variable>, inputs: unknown[], local: () => ShardTensors): Promise<ShardTensors[]> {
    if (inputs.length > this.workers.length)
      throw new Error(`${inputs.length} shards for ${this.workers.length} workers`);
    // wasm's dataSync returns a copy, safe to transfer; other backends return their own storage.
    const copy = tf.getBackend() !== 'wasm';
    const pending = inputs.map((input, k) => {
      const weights: Record<string, Float32Array> = {};
      for (const [name, v] of Object.entries(vars))
        weights[name] = copy ? (v.dataSync() as Float32Array).slice() : (v.dataSync() as Float32Array);
      return this.request(this.workers[k]!, { type: 'step', weights, input }, transferList(Object.values(weights)));
    });
    let mine: ShardTensors;
    try {
      mine = local();
    } finally {
      // Wait for the workers even when the local shard failed, so no reply lands in the next step.
      await Promise.allSettled(pending);
    }
    const replies = await Promise.all(pending);
    const remote = replies.map((r) => {
      const a = (r as Extract<WorkerReply, { type: 'result' }>).result;
      const grads: NamedTensors = {};
      for (const [k, g] of Object.entries(a.grads)) grads[k] = tf.tensor(g, vars[k]!.shape);
      const state: NamedTensors = {};
      for (const [k, s] of Object.entries(a.state)) state[k] = tf.tensor(s.data, s.shape);
      return { loss: a.loss, weight: a.weight, grads, state, stats: a.stats };
    });
    return [mine, ...remote];
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The full batch's mean loss and gradient from its shards: each shard's mean weighted by its share of the
 * denominator. Disposes the shards' gradients; the caller disposes the returned ones.
 */
export function averageShards(shards: ShardTensors[]): { loss: number; grads: NamedTensors } {
  const total = shards.reduce((a, s) => a + s.weight, 0);
  const loss = shards.reduce((a, s) => a + (s.loss * s.weight) / total, 0);
  const grads: NamedTensors = {};
  for (const name of Object.keys(shards[0]!.grads)) {
    grads[name] = tf.tidy(() => tf.addN(shards.map((s) => tf.mul(s.grads[name]!, s.weight / total))));
  }
  for (const s of shards) tf.dispose(Object.values(s.grads));
  return { loss, grads };
}
