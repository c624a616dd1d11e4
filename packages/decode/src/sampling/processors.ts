// Logits processors: each one rewrites one row of next-token logits in place, given what has been
// generated so far. They compose in order (`applyProcessors`), like Hugging Face's LogitsProcessorList.
// Masked-out tokens get -Infinity.

/** What a processor may look at besides the logits. */
export interface ProcessorContext {
  /** Every token of this row so far: the prompt, then the generated tokens. */
  tokens: readonly number[];
  /** How many tokens have been generated so far in this row (0 before the first one). */
  generated: number;
}

/** Rewrites `logits` (one row, length = vocabulary size) in place. */
export type LogitsProcessor = (logits: Float32Array, ctx: ProcessorContext) => void;

/** Runs processors in order on one row. */
export function applyProcessors(
  logits: Float32Array,
  processors: readonly LogitsProcessor[],
  ctx: ProcessorContext,
): void {
  for (const p of processors) p(logits, ctx);
}

/** Softmax of a row (ignores -Infinity entries), as float64 for stable sums. */
export function softmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  const out = new Float64Array(logits.length);
  if (max === -Infinity) return out;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** Divides logits by `t` (t > 0). Below 1 sharpens, above 1 flattens. */
export function temperature(t: number): LogitsProcessor {
  if (!(t > 0)) throw new Error(`temperature must be > 0 (got ${t}); use greedy decoding for temperature 0`);
  return (logits) => {
    if (t === 1) return;
    for (let i = 0; i < logits.length; i++) logits[i]! /= t;
  };
}

/** Keeps the `k` highest logits (ties at the k-th value are kept too); k ≤ 0 disables. */
export function topKFilter(k: number): LogitsProcessor {
  return (logits) => {
    if (k <= 0 || k >= logits.length) return;
    const sorted = Float32Array.from(logits).sort((a, b) => b - a);
    const cutoff = sorted[k - 1]!;
    for (let i = 0; i < logits.length; i++) if (logits[i]! < cutoff) logits[i] = -Infinity;
  };
}

/** Indices of a probability row sorted by descending probability (stable: lower id first on ties). */
function byProbability(probs: Float64Array): number[] {
  return Array.from(probs.keys()).sort((a, b) => probs[b]! - probs[a]! || a - b);
}

/**
 * Nucleus sampling (Holtzman et al. 2020): keeps the smallest set of most likely tokens whose
 * probabilities sum to at least `p`. p ≥ 1 disables. `minKeep` tokens are always kept.
 */
export function topP(p: number, minKeep = 1): LogitsProcessor {
  return (logits) => {
    if (p >= 1) return;
    const probs = softmax(logits);
    const order = byProbability(probs);
    let cum = 0;
    let keep = 0;
    while (keep < order.length && (cum < p || keep < minKeep)) cum += probs[order[keep++]!]!;
    for (let j = keep; j < order.length; j++) logits[order[j]!] = -Infinity;
  };
}

/**
 * Locally typical sampling (Meister et al. 2023): ranks tokens by how close their surprisal is to the
 * distribution's entropy and keeps the closest ones until their mass reaches `p`. p ≥ 1 disables.
 */
export function typicalP(p: number, minKeep = 1): LogitsProcessor {
  return (logits) => {
    if (p >= 1) return;
    const probs = softmax(logits);
    let entropy = 0;
    for (const q of probs) if (q > 0) entropy -= q * Math.log(q);
    const dist = (i: number) => (probs[i]! > 0 ? Math.abs(-Math.log(probs[i]!) - entropy) : Infinity);
    const order = Array.from(probs.keys()).sort((a, b) => dist(a) - dist(b) || a - b);
    let cum = 0;
    let keep = 0;
    while (keep < order.length && (cum < p || keep < minKeep)) cum += probs[order[keep++]!]!;
    for (let j = keep; j < order.length; j++) logits[order[j]!] = -Infinity;
  };
}

/** Min-p sampling: drops tokens whose probability is below `p` × the top token's probability. */
export function minP(p: number): LogitsProcessor {
  return (logits) => {
    if (p <= 0) return;
    const probs = softmax(logits);
    let top = 0;
    for (const q of probs) top = Math.max(top, q);
    for (let i = 0; i < logits.length; i++) if (probs[i]! < p * top) logits[i] = -Infinity;
  };
}

/**
 * Repetition penalty (Keskar et al. 2019, as in Hugging Face): for every token already present in the
 * row (prompt included unless `window` limits it to the last `window` tokens), a positive logit is
 * divided by `penalty` and a negative one multiplied by it. penalty 1 disables.
 */
export function repetitionPenalty(penalty: number, window = 0): LogitsProcessor {
  if (!(penalty > 0)) throw new Error(`repetition penalty must be > 0 (got ${penalty})`);
  return (logits, { tokens }) => {
    if (penalty === 1) return;
    const seen = new Set(window > 0 ? tokens.slice(-window) : tokens);
    for (const id of seen) {
      if (id < 0 || id >= logits.length) continue;
      const l = logits[id]!;
      logits[id] = l > 0 ? l / penalty : l * penalty;
    }
  };
}

/** Bans any token that would repeat an n-gram already in the row (n ≤ 0 disables). */
export function noRepeatNgram(n: number): LogitsProcessor {
  return (logits, { tokens }) => {
    if (n <= 0 || tokens.length < n) return;
    const prefix = tokens.slice(tokens.length - n + 1);
    for (let start = 0; start + n <= tokens.length; start++) {
      let match = true;
      for (let j = 0; j < n - 1; j++) {
        if (tokens[start + j] !== prefix[j]) {
          match = false;
          break;
        }
      }
      if (match) {
        const banned = tokens[start + n - 1]!;
        if (banned >= 0 && banned < logits.length) logits[banned] = -Infinity;
      }
    }
  };
}

/** Never produces the given token ids. */
export function banTokens(ids: readonly number[]): LogitsProcessor {
  return (logits) => {
    for (const id of ids) if (id >= 0 && id < logits.length) logits[id] = -Infinity;
  };
}

/** Bans the end tokens `eosIds` until `min` tokens have been generated. */
export function minLength(min: number, eosIds: readonly number[]): LogitsProcessor {
  return (logits, { generated }) => {
    if (generated >= min) return;
    for (const id of eosIds) if (id >= 0 && id < logits.length) logits[id] = -Infinity;
  };
}

/** Index of the highest logit (lowest index on ties). */
export function argmax(logits: Float32Array): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
  return best;
}

/** Draws a token from softmax(logits) with a uniform number u in [0, 1). */
export function sampleToken(logits: Float32Array, u: number): number {
  const probs = softmax(logits);
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i]! <= 0) continue;
    last = i;
    cum += probs[i]!;
    if (u < cum) return i;
  }
  return last;
}
