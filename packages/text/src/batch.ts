// Length-bucketed batching: similar lengths share a batch (little padding), batches hold a number of sentences
// or of tokens, batch order is shuffled from a seed, and each batch becomes padded int32 tensors plus masks.
import * as tf from '@tensorflow/tfjs';
import { shuffled } from '@parley/engine';
import { BOS_ID, EOS_ID, PAD_ID } from './vocab';

/** One training example: token ids of the source and, for seq2seq, of the target (no padding, no bos/eos needed). */
export interface Example {
  source: readonly number[];
  target?: readonly number[];
}

/** Options for `makeBatches`. */
export interface BatchOptions {
  /** Most examples per batch. Default 32 (when `maxTokens` is unset). */
  batchSize?: number;
  /**
   * Most tokens per batch, counted with padding: examples × longest length (source or target, whichever is longer).
   * When set, batches are filled by tokens, and `batchSize` (if also set) still caps the example count.
   */
  maxTokens?: number;
  /** Shuffle which examples tie in length and the order of batches. Default true. */
  shuffle?: boolean;
  /** Seed of the shuffle; use e.g. `seed + epoch` for a new order every epoch. Default 0. */
  seed?: number;
}

/** Length used for bucketing: the longer of source and target. */
export function exampleLength(e: Example): number {
  return Math.max(e.source.length, e.target?.length ?? 0);
}

/**
 * Groups example indices into batches of similar length. Examples are sorted by length (ties in seeded order),
 * cut into batches by `batchSize`/`maxTokens`, and the batches are returned in seeded order. Every example
 * appears in exactly one batch; an example longer than `maxTokens` gets a batch of its own.
 */
export function makeBatches(examples: readonly Example[], options: BatchOptions = {}): number[][] {
  const shuffle = options.shuffle ?? true;
  const seed = options.seed ?? 0;
  const maxTokens = options.maxTokens ?? Infinity;
  const batchSize = options.batchSize ?? (options.maxTokens === undefined ? 32 : Infinity);
  if (!(batchSize >= 1) || !(maxTokens >= 1)) throw new Error('makeBatches: batchSize and maxTokens must be ≥ 1');
  const order = examples.map((_, i) => i);
  const tieBroken = shuffle ? shuffled(order, seed) : order;
  const lengths = examples.map(exampleLength);
  const sorted = tieBroken.sort((a, b) => lengths[a]! - lengths[b]!); // stable: ties keep the seeded order
  const batches: number[][] = [];
  let current: number[] = [];
  let longest = 0;
  for (const i of sorted) {
    const l = Math.max(longest, lengths[i]!);
    if (current.length && (current.length + 1 > batchSize || (current.length + 1) * l > maxTokens)) {
      batches.push(current);
      current = [];
      longest = 0;
    }
    current.push(i);
    longest = Math.max(longest, lengths[i]!);
  }
  if (current.length) batches.push(current);
  return shuffle ? shuffled(batches, seed + 1) : batches;
}

/** Padded sequences as flat arrays, row-major `[batch, time]`. */
export interface Padded {
  /** Token ids, padding = `PAD_ID` (0). */
  ids: Int32Array;
  /** 1 where `ids` holds a real token, 0 at padding. */
  mask: Float32Array;
  /** Real length of each row. */
  lengths: Int32Array;
  batch: number;
  time: number;
}

/** Options for `padSequences`. */
export interface PadOptions {
  /** Put `BOS_ID` in front of every sequence. Default false. */
  bos?: boolean;
  /** Put `EOS_ID` at the end of every sequence. Default false. */
  eos?: boolean;
  /** Pad to at least this many steps (e.g. a fixed model length). Default: the longest row. */
  minTime?: number;
}

/** Right-pads id sequences with `PAD_ID` into one `[batch, time]` block. */
export function padSequences(seqs: readonly (readonly number[])[], options: PadOptions = {}): Padded {
  const extra = (options.bos ? 1 : 0) + (options.eos ? 1 : 0);
  const time = Math.max(options.minTime ?? 0, ...seqs.map((s) => s.length + extra), 0);
  const ids = new Int32Array(seqs.length * time).fill(PAD_ID);
  const mask = new Float32Array(seqs.length * time);
  const lengths = new Int32Array(seqs.length);
  seqs.forEach((s, b) => {
    const row = options.bos ? [BOS_ID, ...s] : [...s];
    if (options.eos) row.push(EOS_ID);
    ids.set(row, b * time);
    mask.fill(1, b * time, b * time + row.length);
    lengths[b] = row.length;
  });
  return { ids, mask, lengths, batch: seqs.length, time };
}

/** Options for `batchTensors`. */
export interface BatchTensorOptions {
  /** Add bos/eos to the source. Default: neither. */
  source?: PadOptions;
  /**
   * Make `targetIn` = bos + target and `targetOut` = target + eos (teacher forcing), with `targetMask` over
   * `targetOut`. Default true. When false, `targetIn`/`targetOut` are both the plain padded target.
   */
  shiftTarget?: boolean;
}

/** A batch as tensors: ids are int32 `[batch, time]`, masks float32 `[batch, time]`, lengths int32 `[batch]`. */
export interface BatchTensors {
  source: tf.Tensor2D;
  sourceMask: tf.Tensor2D;
  sourceLengths: tf.Tensor1D;
  /** Decoder input (only when examples have targets). */
  targetIn?: tf.Tensor2D;
  /** Decoder output to predict (only when examples have targets). */
  targetOut?: tf.Tensor2D;
  /** 1 at real positions of `targetOut`. */
  targetMask?: tf.Tensor2D;
}

/** Builds the tensors of one batch (`indices` from `makeBatches`). The caller disposes them (`tf.dispose(batch)`). */
export function batchTensors(
  examples: readonly Example[],
  indices: readonly number[],
  options: BatchTensorOptions = {},
): BatchTensors {
  const rows = indices.map((i) => examples[i]!);
  const toTensors = (p: Padded) => ({
    ids: tf.tensor2d(p.ids, [p.batch, p.time], 'int32'),
    mask: tf.tensor2d(p.mask, [p.batch, p.time], 'float32'),
    lengths: tf.tensor1d(p.lengths, 'int32'),
  });
  const src = toTensors(
    padSequences(
      rows.map((r) => r.source),
      options.source,
    ),
  );
  const out: BatchTensors = { source: src.ids, sourceMask: src.mask, sourceLengths: src.lengths };
  if (rows.length && rows.every((r) => r.target)) {
    const targets = rows.map((r) => r.target!);
    const shift = options.shiftTarget ?? true;
    const tin = padSequences(targets, { bos: shift });
    const tout = padSequences(targets, { eos: shift });
    out.targetIn = tf.tensor2d(tin.ids, [tin.batch, tin.time], 'int32');
    out.targetOut = tf.tensor2d(tout.ids, [tout.batch, tout.time], 'int32');
    out.targetMask = tf.tensor2d(tout.mask, [tout.batch, tout.time], 'float32');
  }
  return out;
}
