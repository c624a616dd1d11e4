// The seq2seq training step's loss and gradients, on one thread or data-parallel (see common/data-parallel.ts).
// A shard is a contiguous run of the batch's sentences; the loss is a mean over target tokens, so shards weigh by
// their target tokens and the average is the full batch's gradient. Shard j draws dropout from shardSeed(seed, j).
import * as tf from '@tensorflow/tfjs';
import { batchTensors, type Example } from '@parley/text';
import { averageShards, shardSeed, ShardPool, splitEven, type ShardTensors } from '../common/data-parallel';
import type { ShardRunner } from '../common/shard-worker';
import type { NamedTensors } from '../common/weights';
import { Seq2seqModel, type BatchLoss, type Seq2seqBatch } from './model';
import type { ModelConfig } from './model-config';

/** The training tensors of a @parley/text batch. */
export function toBatch(t: ReturnType<typeof batchTensors>): Seq2seqBatch {
  return {
    source: t.source,
    sourceMask: t.sourceMask,
    targetIn: t.targetIn!,
    targetOut: t.targetOut!,
    targetMask: t.targetMask!,
  };
}

/** Sentences of one batch, as posted to a worker. */
interface Seq2seqShardInput {
  examples: Example[];
  smoothing: number;
  seed: number;
}

/** The model a worker builds (its weights arrive with every step). */
interface Seq2seqSpec {
  model: ModelConfig;
  wordDropout: number;
  frozen: string[];
}

function lossAndGrads(
  model: Seq2seqModel,
  examples: readonly Example[],
  idx: readonly number[],
  smoothing: number,
  seed: number,
): BatchLoss & { grads: NamedTensors } {
  const bt = batchTensors(examples, idx);
  try {
    return model.lossAndGrads(toBatch(bt), smoothing, seed);
  } finally {
    tf.dispose(Object.values(bt) as tf.Tensor[]);
  }
}

function runShard(
  model: Seq2seqModel,
  examples: readonly Example[],
  idx: readonly number[],
  smoothing: number,
  seed: number,
): ShardTensors {
  const r = lossAndGrads(model, examples, idx, smoothing, seed);
  return { loss: r.loss, weight: r.tokens, grads: r.grads, state: {}, stats: { nll: r.nll, tokens: r.tokens } };
}

/** A worker's side (see shard-worker.ts). */
export function createSeq2seqRunner(spec: unknown): ShardRunner {
  const s = spec as Seq2seqSpec;
  const model = new Seq2seqModel(s.model);
  model.wordDropout = s.wordDropout;
  for (const k of s.frozen) model.frozen.add(k);
  return {
    vars: model.vars,
    run(raw) {
      const x = raw as Seq2seqShardInput;
      return runShard(
        model,
        x.examples,
        x.examples.map((_, i) => i),
        x.smoothing,
        x.seed,
      );
    },
  };
}

/** The training step's gradient source: the whole batch here, or shards across `workers` threads. */
export class Seq2seqGradients {
  private constructor(
    private readonly model: Seq2seqModel,
    private readonly pool: ShardPool | undefined,
  ) {}

  /** Starts `shards - 1` worker threads (none for 1 shard); call after the model's frozen set and word dropout are set. */
  static async create(model: Seq2seqModel, shards: number): Promise<Seq2seqGradients> {
    const spec: Seq2seqSpec = { model: model.cfg, wordDropout: model.wordDropout, frozen: [...model.frozen] };
    return new Seq2seqGradients(model, shards > 1 ? await ShardPool.start(shards - 1, 'seq2seq', spec) : undefined);
  }

  /** Number of shards each step is cut into. */
  get shards(): number {
    return (this.pool?.size ?? 0) + 1;
  }

  /** Loss and gradients (keyed like the model's vars; the caller disposes them) of the batch `idx` of `examples`. */
  async compute(
    examples: readonly Example[],
    idx: readonly number[],
    smoothing: number,
    seed: number,
  ): Promise<BatchLoss & { grads: NamedTensors }> {
    if (!this.pool) return lossAndGrads(this.model, examples, idx, smoothing, seed);
    const parts = splitEven(idx.length, this.shards).map(([a, b]) => idx.slice(a, b));
    const remote = parts.slice(1).map(
      (part, j) =>
        ({
          examples: part.map((i) => examples[i]!),
          smoothing,
          seed: shardSeed(seed, j + 1),
        }) satisfies Seq2seqShardInput,
    );
    const shards = await this.pool.step(this.model.vars, remote, () =>
      runShard(this.model, examples, parts[0]!, smoothing, seed),
    );
    const nll = shards.reduce((a, s) => a + s.stats.nll!, 0);
    const tokens = shards.reduce((a, s) => a + s.stats.tokens!, 0);
    const { loss, grads } = averageShards(shards);
    return { loss, nll, tokens, grads };
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}
