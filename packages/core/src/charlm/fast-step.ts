// A faster single-character step for LSTM char-LMs at generation time. The plain step runs ~30 small
// tensor ops per character, and at batch 1 their fixed cost is most of the time. Here each layer is one
// fused matmul of [x, h] against the stacked kernels [W; R] (+ bias), and the cell's elementwise work,
// the embedding lookup and the small softmax projection run in plain JavaScript on the few numbers
// involved. The stacked kernels are cached and rebuilt whenever a variable is assigned new values.
import * as tf from '@tensorflow/tfjs';
import type { LstmWeights } from '@parley/engine';
import type { CharLmNet, CharLmState } from './model';

interface Cache {
  /** Identity of every variable's storage when the cache was built. */
  key: unknown[];
  embedding: Float32Array;
  kernels: tf.Tensor2D[];
  biases: tf.Tensor1D[];
  outKernel: Float32Array;
  outBias: Float32Array;
}

const caches = new WeakMap<CharLmNet, Cache>();

function storageKey(net: CharLmNet): unknown[] {
  return Object.values(net.variables()).map((v) => (v as unknown as { dataId: unknown }).dataId);
}

function cacheFor(net: CharLmNet): Cache {
  const key = storageKey(net);
  const old = caches.get(net);
  if (old && old.key.length === key.length && old.key.every((k, i) => k === key[i])) return old;
  if (old) for (const t of [...old.kernels, ...old.biases]) t.dispose();
  const layers = net.layers as LstmWeights[];
  const cache: Cache = {
    key,
    embedding: net.embedding.dataSync() as Float32Array,
    kernels: layers.map((w) => tf.keep(tf.concat([w.kernel, w.recurrentKernel], 0)) as tf.Tensor2D),
    biases: layers.map((w) => tf.keep(w.bias.clone()) as tf.Tensor1D),
    outKernel: net.outKernel.dataSync() as Float32Array,
    outBias: net.outBias.dataSync() as Float32Array,
  };
  caches.set(net, cache);
  return cache;
}

/** Frees the cached kernels of `net` (called when the network is disposed). */
export function releaseFastStep(net: CharLmNet): void {
  const c = caches.get(net);
  if (!c) return;
  for (const t of [...c.kernels, ...c.biases]) t.dispose();
  caches.delete(net);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** One LSTM step for one character per row: returns logits [batch * vocab] and the new state. */
export function fastLstmStep(
  net: CharLmNet,
  ids: readonly number[],
  state: CharLmState,
): { logits: Float32Array; state: CharLmState } {
  const c = cacheFor(net);
  const B = ids.length;
  const { hidden: H, embedding: E } = net.config;
  const V = net.vocabSize;
  // x for layer 0: embedding rows.
  let x = new Float32Array(B * E);
  ids.forEach((id, b) => x.set(c.embedding.subarray(id * E, (id + 1) * E), b * E));
  let inSize = E;
  const next: CharLmState = { h: [], c: [] };
  for (let k = 0; k < net.layers.length; k++) {
    const hPrev = state.h[k]!.dataSync() as Float32Array;
    const cPrev = state.c[k]!.dataSync() as Float32Array;
    const xh = new Float32Array(B * (inSize + H));
    for (let b = 0; b < B; b++) {
      xh.set(x.subarray(b * inSize, (b + 1) * inSize), b * (inSize + H));
      xh.set(hPrev.subarray(b * H, (b + 1) * H), b * (inSize + H) + inSize);
    }
    const z = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor2d(xh, [B, inSize + H]), b: c.kernels[k]!, bias: c.biases[k]! }),
    );
    const zv = z.dataSync() as Float32Array;
    z.dispose();
    const h = new Float32Array(B * H);
    const cell = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      const o = b * 4 * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(zv[o + j]!);
        const f = sigmoid(zv[o + H + j]!);
        const g = Math.tanh(zv[o + 2 * H + j]!);
        const og = sigmoid(zv[o + 3 * H + j]!);
        const cj = f * cPrev[b * H + j]! + i * g;
        cell[b * H + j] = cj;
        h[b * H + j] = og * Math.tanh(cj);
      }
    }
    next.h.push(tf.tensor2d(h, [B, H]));
    next.c.push(tf.tensor2d(cell, [B, H]));
    x = h;
    inSize = H;
  }
  // Output projection in JS: [B, H] × [H, V] + bias.
  const logits = new Float32Array(B * V);
  for (let b = 0; b < B; b++) {
    const row = logits.subarray(b * V, (b + 1) * V);
    row.set(c.outBias);
    for (let j = 0; j < H; j++) {
      const hj = x[b * H + j]!;
      if (hj === 0) continue;
      const w = c.outKernel.subarray(j * V, (j + 1) * V);
      for (let v = 0; v < V; v++) row[v]! += hj * w[v]!;
    }
  }
  return { logits, state: next };
}
