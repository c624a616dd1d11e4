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

/** Scores `ids` (every character after the first of each stream). `maxChars` > 0 uses only a prefix. */
export async function evaluateIds(
  net: CharLmNet,
  ids: Int32Array,
  opts: { batchSize?: number; seqLen?: number; maxChars?: number } = {},
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
      const sum = CharLmNet.loss(r.logits, tf.tensor1d(targets, 'int32')).mul(B * T);
      return { sum, h: r.state.h, c: r.state.c };
    });
    disposeState(state);
    state = { h: out.h, c: out.c };
    total += (await out.sum.data())[0]!;
    out.sum.dispose();
    count += B * T;
  }
  disposeState(state);
  return lossFromNats(total, count);
}
