// The encoder: embedding, then stacked (optionally bidirectional) LSTM/GRU layers from @parley/engine.
import * as tf from '@tensorflow/tfjs';
import { createGruWeights, createLstmWeights, embeddingLookup, gru, lstm } from '@parley/engine';
import type { GruWeights, LstmWeights } from '@parley/engine';
import type { Dropout } from './dropout';
import type { EncoderConfig } from './model-config';
import type { Params } from './params';

export interface EncoderLayer {
  fw: LstmWeights | GruWeights;
  bw?: LstmWeights | GruWeights;
}

/** Creates the encoder's recurrent layers (the embedding table is created by the model). */
export function createEncoder(p: Params, cfg: EncoderConfig): EncoderLayer[] {
  const layers: EncoderLayer[] = [];
  let input = cfg.embeddingDim;
  const make = (name: string, size: number) => {
    const opts = { seed: p.seed(), name: p.fullName(name) };
    const w =
      cfg.rnn === 'lstm' ? createLstmWeights(size, cfg.hiddenSize, opts) : createGruWeights(size, cfg.hiddenSize, opts);
    p.adopt(name, { kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias });
    return w;
  };
  for (let l = 0; l < cfg.layers; l++) {
    layers.push({ fw: make(`enc/l${l}/fw`, input), ...(cfg.bidirectional ? { bw: make(`enc/l${l}/bw`, input) } : {}) });
    input = cfg.hiddenSize * (cfg.bidirectional ? 2 : 1);
  }
  return layers;
}

function runLayer(
  cfg: EncoderConfig,
  w: LstmWeights | GruWeights,
  x: tf.Tensor3D,
  mask: tf.Tensor2D,
  goBackwards: boolean,
) {
  if (cfg.rnn === 'lstm') {
    const r = lstm(x, w, { mask, goBackwards });
    return { outputs: r.outputs, h: r.h };
  }
  return gru(x, w, { mask, goBackwards });
}

/**
 * Encodes source ids [B, S] (mask [B, S]) into outputs [B, S, E] and the final state [B, E]
 * (top layer; forward last real step ++ backward first step when bidirectional).
 */
export function encode(
  cfg: EncoderConfig,
  layers: EncoderLayer[],
  embedding: tf.Variable,
  ids: tf.Tensor2D,
  mask: tf.Tensor2D,
  dropout: Dropout,
): { outputs: tf.Tensor3D; final: tf.Tensor2D } {
  let x = dropout.apply(embeddingLookup(embedding, ids) as tf.Tensor3D, cfg.dropout);
  let final: tf.Tensor2D | undefined;
  layers.forEach((layer, l) => {
    if (l > 0) x = dropout.apply(x, cfg.dropout);
    const fw = runLayer(cfg, layer.fw, x, mask, false);
    if (layer.bw) {
      const bw = runLayer(cfg, layer.bw, x, mask, true);
      x = tf.concat([fw.outputs, bw.outputs], 2);
      final = tf.concat([fw.h, bw.h], 1);
    } else {
      x = fw.outputs;
      final = fw.h;
    }
  });
  return { outputs: x, final: final! };
}
