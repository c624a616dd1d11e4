// Samples for the training dashboard, drawn synchronously inside the char-LM trainer's progress callback.
// The trainer's loop keeps Node's event loop busy, so an async sampler would only run after training;
// this one feeds the prompt and the generated characters through the network step by step at once.
import * as tf from '@tensorflow/tfjs';
import { type CharLmNet, type CharLmState, disposeState } from '@parley/core';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID, seededRandom, type CharTokenizer } from '@parley/text';

/** Draws an id from logits at `temperature`, never one of the reserved ids. */
function draw(logits: Float32Array, temperature: number, random: () => number): number {
  const banned = new Set([PAD_ID, UNK_ID, BOS_ID, EOS_ID]);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (!banned.has(i)) max = Math.max(max, logits[i]!);
  const p = Array.from(logits, (l, i) => (banned.has(i) ? 0 : Math.exp((l - max) / temperature)));
  let r = random() * p.reduce((a, b) => a + b, 0);
  for (let i = 0; i < p.length; i++) if ((r -= p[i]!) <= 0 && p[i]! > 0) return i;
  return p.findLastIndex((x) => x > 0);
}

/**
 * Continues `prompt` until a newline (not included) or `maxChars` characters.
 * @param temperature softmax temperature of the sampler
 */
export function sampleLine(
  net: CharLmNet,
  tokenizer: CharTokenizer,
  prompt: string,
  maxChars = 100,
  temperature = 0.7,
  seed = 1,
): string {
  const random = seededRandom(seed);
  const ids = tokenizer.encode(prompt);
  let state: CharLmState = net.zeroState(1);
  let logits: Float32Array;
  {
    const r = tf.tidy(() => {
      const out = net.forward(tf.tensor2d(ids, [1, ids.length], 'int32'), state);
      return { last: out.logits.slice([ids.length - 1, 0], [1, net.vocabSize]), h: out.state.h, c: out.state.c };
    });
    disposeState(state);
    state = { h: r.h, c: r.c };
    logits = r.last.dataSync() as Float32Array;
    r.last.dispose();
  }
  let text = '';
  for (let n = 0; n < maxChars; n++) {
    const id = draw(logits, temperature, random);
    const ch = tokenizer.decode([id]);
    if (ch === '\n') break;
    text += ch;
    const r = tf.tidy(() => {
      const out = net.forwardStep(tf.tensor1d([id], 'int32'), state);
      return { logits: out.logits, h: out.state.h, c: out.state.c };
    });
    disposeState(state);
    state = { h: r.h, c: r.c };
    logits = r.logits.dataSync() as Float32Array;
    r.logits.dispose();
  }
  disposeState(state);
  return text;
}
