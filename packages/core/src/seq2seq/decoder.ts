// The decoder: a stacked LSTM/GRU run one step at a time, attention after the recurrent step, and the
// attentional vector tanh(W [h; context]) that is fed to the output layer and (input feeding) to the next step.
import * as tf from '@tensorflow/tfjs';
import { createGruWeights, createLstmWeights, gruStep, lstmStep } from '@parley/engine';
import type { GruWeights, LstmWeights } from '@parley/engine';
import { attend, createAttention } from './attention';
import type { Dropout } from './dropout';
import type { DecoderConfig } from './model-config';
import type { Params } from './params';

/** The decoder's recurrent state: h (and c for LSTM) per layer, plus the previous attentional vector. */
export interface DecoderState {
  h: tf.Tensor2D[];
  c: tf.Tensor2D[];
  feed: tf.Tensor2D;
}

export interface Decoder {
  cfg: DecoderConfig;
  layers: (LstmWeights | GruWeights)[];
}

export function createDecoder(p: Params, cfg: DecoderConfig, encSize: number): Decoder {
  const layers: (LstmWeights | GruWeights)[] = [];
  for (let l = 0; l < cfg.layers; l++) {
    const input = l === 0 ? cfg.embeddingDim + (cfg.inputFeeding ? cfg.hiddenSize : 0) : cfg.hiddenSize;
    const opts = { seed: p.seed(), name: p.fullName(`dec/l${l}`) };
    const w =
      cfg.rnn === 'lstm'
        ? createLstmWeights(input, cfg.hiddenSize, opts)
        : createGruWeights(input, cfg.hiddenSize, opts);
    p.adopt(`dec/l${l}`, { kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias });
    layers.push(w);
  }
  createAttention(p, cfg.attention, encSize, cfg.hiddenSize);
  p.matrix('dec/attvec/kernel', cfg.hiddenSize + encSize, cfg.hiddenSize);
  p.zeros('dec/attvec/bias', [cfg.hiddenSize]);
  if (cfg.init === 'bridge') {
    p.matrix('dec/bridge/kernel', encSize, cfg.hiddenSize);
    p.zeros('dec/bridge/bias', [cfg.hiddenSize]);
  }
  return { cfg, layers };
}

/** The initial state from the encoder's final state [B, E]. */
export function initialState(p: Params, dec: Decoder, encFinal: tf.Tensor2D): DecoderState {
  const { cfg } = dec;
  const b = encFinal.shape[0];
  let h: tf.Tensor2D;
  if (cfg.init === 'zero') h = tf.zeros([b, cfg.hiddenSize]);
  else if (cfg.init === 'last') h = encFinal;
  else
    h = tf.tanh(tf.add(tf.matMul(encFinal, p.vars['dec/bridge/kernel']!), p.vars['dec/bridge/bias']!)) as tf.Tensor2D;
  const hs = dec.layers.map(() => h);
  return { h: hs, c: cfg.rnn === 'lstm' ? hs : [], feed: tf.zeros([b, cfg.hiddenSize]) };
}

/**
 * One decoder step: `emb` [B, embeddingDim] is the previous target token's (dropped-out) embedding.
 * Returns the new state (its `feed` is the attentional vector, before output dropout) and the attention [B, S].
 */
export function decoderStep(
  p: Params,
  dec: Decoder,
  emb: tf.Tensor2D,
  state: DecoderState,
  keys: tf.Tensor3D,
  enc: tf.Tensor3D,
  mask: tf.Tensor2D,
  dropout: Dropout,
): { state: DecoderState; attention: tf.Tensor2D } {
  const { cfg } = dec;
  let x = cfg.inputFeeding ? tf.concat([emb, state.feed], 1) : emb;
  const h: tf.Tensor2D[] = [];
  const c: tf.Tensor2D[] = [];
  dec.layers.forEach((w, l) => {
    if (l > 0) x = dropout.apply(x, cfg.dropout);
    if (cfg.rnn === 'lstm') {
      const s = lstmStep(x, { h: state.h[l]!, c: state.c[l]! }, w);
      h.push(s.h);
      c.push(s.c);
    } else h.push(gruStep(x, state.h[l]!, w));
    x = h[l]!;
  });
  const query = h[h.length - 1]!;
  const { context, weights } = attend(p, cfg.attention, query, keys, enc, mask);
  const feed = tf.tanh(
    tf.add(tf.matMul(tf.concat([query, context], 1), p.vars['dec/attvec/kernel']!), p.vars['dec/attvec/bias']!),
  ) as tf.Tensor2D;
  return { state: { h, c, feed }, attention: weights };
}
