// Held-out loss of a char-LM over a text: nats/char, bits/char and perplexity. The text is cut into
// `batchSize` contiguous streams read `seqLen` characters at a time with the state carried, so every
// character but the first of each stream is scored with (truncated) context.
import * as tf from '@tensorflow/tfjs';
import { CharLmNet, disposeState } from './model';

/** Loss of a model on a text. */
export interface TextLoss {
  natsPerChar: number;
  bitsPerChar: number;
  perplexity: number;
  /** Characters scored. */
  chars: number;
}

export function lossFromNats(totalNats: number, chars: number): TextLoss {
  const nats = chars > 0 ? totalNats / chars : NaN;
  return { natsPerChar: nats, bitsPerChar: nats / Math.LN2, perplexity: Math.exp(nats), chars };
}

/** Options of {@link evaluateIds}. */
export interface EvaluateOptions {
  /** Parallel streams the text is cut into (default 32). */
  batchSize?: number;
  /** Characters read per forward pass, state carried between them (default 200). */
  seqLen?: number;
  /** Score only this many leading characters; 0 or absent = all. */
  maxChars?: number;
}

/** A {@link TextLoss} with the loss of every character. */
export interface TextScores extends TextLoss {
  /** perChar[i] = nats spent predicting ids[i]; NaN where it was not scored (each stream's first character, the tail). */
  perChar: Float32Array;
}

/** Scores `ids` (every character after the first of each stream). `maxChars` > 0 uses only a prefix. */
export function evaluateIds(net: CharLmNet, ids: Int32Array, opts: EvaluateOptions = {}): Promise<TextLoss> {
  return score(net, ids, opts);
}

/** {@link evaluateIds} that also returns each character's loss, e.g. to break the loss down by speaker. */
export async function scoreCharacters(
  net: CharLmNet,
  ids: Int32Array,
  opts: EvaluateOptions = {},
): Promise<TextScores> {
  const perChar = new Float32Array(ids.length).fill(NaN);
  return { ...(await score(net, ids, opts, perChar)), perChar };
}

async function score(
  net: CharLmNet,
  ids: Int32Array,
  opts: EvaluateOptions,
  perChar?: Float32Array,
): Promise<TextLoss> {
  const stream = opts.maxChars && opts.maxChars < ids.length ? ids.subarray(0, opts.maxChars) : ids;
  const seqLen = opts.seqLen ?? 200;
  const B = Math.max(1, Math.min(opts.batchSize ?? 32, Math.floor((stream.length - 1) / 2)));
  const rowLen = Math.floor((stream.length - 1) / B);
  let state = net.zeroState(B);
  let total = 0;
  let count = 0;
  for (let start = 0; start < rowLen; start += seqLen) {
    const T = Math.min(seqLen, rowLen - start);
    const inputs = new Int32Array(B * T);
    const targets = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const base = b * rowLen + start;
      inputs.set(stream.subarray(base, base + T), b * T);
      targets.set(stream.subarray(base + 1, base + T + 1), b * T);
    }
    const out = tf.tidy(() => {
      const r = net.forward(tf.tensor2d(inputs, [B, T], 'int32'), state);
      const t = tf.tensor1d(targets, 'int32');
      const sum = perChar ? CharLmNet.lossPerRow(r.logits, t) : CharLmNet.loss(r.logits, t).mul(B * T);
      return { sum, h: r.state.h, c: r.state.c };
    });
    disposeState(state);
    state = { h: out.h, c: out.c };
    const values = await out.sum.data();
    out.sum.dispose();
    if (perChar) {
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) {
          const nats = values[b * T + t]!;
          perChar[b * rowLen + start + t + 1] = nats;
          total += nats;
        }
    } else total += values[0]!;
    count += B * T;
  }
  disposeState(state);
  return lossFromNats(total, count);
}
