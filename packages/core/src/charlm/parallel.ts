// The char-LM training step's loss and gradients, on one thread or data-parallel (see common/data-parallel.ts).
// A shard is a contiguous range of the batch's rows with those rows' carried state; every shard holds
// rows × seqLen characters, so shards weigh by their row count. Shard j draws dropout masks from shardSeed(seed, j).
import * as tf from '@tensorflow/tfjs';
import { averageShards, shardSeed, ShardPool, splitEven, type ShardTensors } from '../common/data-parallel';
import type { NamedTensors } from '../common/weights';
import type { ShardRunner } from '../common/shard-worker';
import type { CharLmModelConfig } from './config';
import { CharLmNet, disposeState, type CharLmState } from './model';

/** A training step's rows: ids and next-character targets, each [rows × seqLen], and its dropout. */
export interface CharLmStepBatch {
  inputs: Int32Array;
  targets: Int32Array;
  rows: number;
  seqLen: number;
  dropout: number;
  /** Dropout seed of the step. */
  seed: number;
}

/** Rows of one batch with their state, as posted to a worker. */
interface CharLmShardInput extends CharLmStepBatch {
  /** h0…, c0… each { data [rows × hidden], shape }. */
  carry: Record<string, { data: Float32Array; shape: number[] }>;
}

/** The model a worker builds (its weights arrive with every step). */
interface CharLmSpec {
  model: CharLmModelConfig;
  vocabSize: number;
}

/** Loss, gradients (keyed like net.variables()) and next state of `rows` rows; state keys h<k>, c<k>. */
function runShard(net: CharLmNet, batch: CharLmStepBatch, carry: CharLmState): ShardTensors {
  const { inputs, targets, rows, seqLen, dropout, seed } = batch;
  const vars = net.variables();
  let next: CharLmState | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const r = net.forward(tf.tensor2d(inputs, [rows, seqLen], 'int32'), carry, { dropout, seed });
    next = { h: r.state.h.map((x) => tf.keep(x)), c: r.state.c.map((x) => tf.keep(x)) };
    return CharLmNet.loss(r.logits, tf.tensor1d(targets, 'int32'));
  }, Object.values(vars));
  const byName: NamedTensors = {};
  for (const [name, v] of Object.entries(vars)) if (grads[v.name]) byName[name] = grads[v.name]!;
  const loss = value.dataSync()[0]!;
  value.dispose();
  const state: NamedTensors = {};
  next!.h.forEach((h, k) => (state[`h${k}`] = h));
  next!.c.forEach((c, k) => (state[`c${k}`] = c));
  return { loss, weight: rows * seqLen, grads: byName, state, stats: {} };
}

function stateOf(s: NamedTensors, layers: number, lstm: boolean): CharLmState {
  return {
    h: Array.from({ length: layers }, (_, k) => s[`h${k}`] as tf.Tensor2D),
    c: lstm ? Array.from({ length: layers }, (_, k) => s[`c${k}`] as tf.Tensor2D) : [],
  };
}

/** A worker's side (see shard-worker.ts). */
export function createCharLmRunner(spec: unknown): ShardRunner {
  const { model, vocabSize } = spec as CharLmSpec;
  const net = new CharLmNet(model, vocabSize);
  return {
    vars: net.variables(),
    run(raw) {
      const x = raw as CharLmShardInput;
      const carry: NamedTensors = {};
      for (const [k, s] of Object.entries(x.carry)) carry[k] = tf.tensor(s.data, s.shape);
      const state = stateOf(carry, model.layers, model.cell === 'lstm');
      try {
        return runShard(net, x, state);
      } finally {
        disposeState(state);
      }
    },
  };
}

/** The training step's gradient source: the whole batch here, or shards across `workers` threads. */
export class CharLmGradients {
  private constructor(
    private readonly net: CharLmNet,
    private readonly pool: ShardPool | undefined,
  ) {}

  /** Starts `shards - 1` worker threads (none for 1 shard). */
  static async create(net: CharLmNet, shards: number): Promise<CharLmGradients> {
    const pool =
      shards > 1
        ? await ShardPool.start(shards - 1, 'charlm', {
            model: net.config,
            vocabSize: net.vocabSize,
          } satisfies CharLmSpec)
        : undefined;
    return new CharLmGradients(net, pool);
  }

  /** Number of shards each step is cut into. */
  get shards(): number {
    return (this.pool?.size ?? 0) + 1;
  }

  /**
   * Mean loss and gradients over a [rows, seqLen] batch starting from `carry` (which stays the caller's), and the
   * state after it. The caller disposes the gradients and the new state.
   */
  async compute(
    batch: CharLmStepBatch,
    carry: CharLmState,
  ): Promise<{ loss: number; grads: NamedTensors; carry: CharLmState }> {
    const { inputs, targets, rows, seqLen, seed } = batch;
    const lstm = this.net.config.cell === 'lstm';
    const layers = this.net.layers.length;
    if (!this.pool) {
      const r = runShard(this.net, batch, carry);
      return { loss: r.loss, grads: r.grads, carry: stateOf(r.state, layers, lstm) };
    }
    const ranges = splitEven(rows, this.shards);
    const slice = (t: tf.Tensor2D, [r0, r1]: [number, number]) => tf.slice(t, [r0, 0], [r1 - r0, -1]) as tf.Tensor2D;
    // Shard j: rows [r0, r1) of the batch, with their slice of the carried state.
    const rowsOf = ([r0, r1]: [number, number], j: number): CharLmStepBatch => ({
      ...batch,
      inputs: inputs.slice(r0 * seqLen, r1 * seqLen),
      targets: targets.slice(r0 * seqLen, r1 * seqLen),
      rows: r1 - r0,
      seed: shardSeed(seed, j),
    });
    const remote = ranges.slice(1).map((range, j) => {
      const carryArrays: CharLmShardInput['carry'] = {};
      const add = (name: string, t: tf.Tensor2D) => {
        const s = slice(t, range);
        carryArrays[name] = { data: s.dataSync() as Float32Array, shape: s.shape };
        s.dispose();
      };
      carry.h.forEach((h, k) => add(`h${k}`, h));
      carry.c.forEach((c, k) => add(`c${k}`, c));
      return { ...rowsOf(range, j + 1), carry: carryArrays } satisfies CharLmShardInput;
    });
    const shards = await this.pool.step(this.net.variables(), remote, () => {
      const first = ranges[0]!;
      const mine: CharLmState = { h: carry.h.map((h) => slice(h, first)), c: carry.c.map((c) => slice(c, first)) };
      try {
        return runShard(this.net, rowsOf(first, 0), mine);
      } finally {
        disposeState(mine);
      }
    });
    const next: NamedTensors = {};
    for (const key of Object.keys(shards[0]!.state))
      next[key] = tf.concat(
        shards.map((s) => s.state[key]!),
        0,
      );
    for (const s of shards) tf.dispose(Object.values(s.state));
    const { loss, grads } = averageShards(shards);
    return { loss, grads, carry: stateOf(next, layers, lstm) };
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
