// The attention encoder-decoder: parameters, the teacher-forced training loss, and a step model for search.
import * as tf from '@tensorflow/tfjs';
import { embeddingLookup } from '@parley/engine';
import type { SearchState, StepModel, StepOutput } from '@parley/decode';
import { attentionKeys } from './attention';
import { createDecoder, decoderStep, initialState, type Decoder, type DecoderState } from './decoder';
import { Dropout } from './dropout';
import { createEncoder, encode, type EncoderLayer } from './encoder';
import { smoothedCrossEntropy } from './loss';
import { encoderOutputSize, type ModelConfig } from './model-config';
import { Params } from './params';

/** One training batch (as built by @parley/text's batchTensors): int32 ids and float32 masks, [B, T]. */
export interface Seq2seqBatch {
  source: tf.Tensor2D;
  sourceMask: tf.Tensor2D;
  /** bos + target */
  targetIn: tf.Tensor2D;
  /** target + eos */
  targetOut: tf.Tensor2D;
  /** 1 at real positions of targetOut */
  targetMask: tf.Tensor2D;
}

/** The loss of one batch plus what perplexity needs. */
export interface BatchLoss {
  /** Label-smoothed loss per target token (what is minimised). */
  loss: number;
  /** Summed plain negative log-likelihood (nats) over target tokens. */
  nll: number;
  /** Number of target tokens (EOS included). */
  tokens: number;
}

export class Seq2seqModel {
  readonly params: Params;
  readonly dropout = new Dropout();
  /** Names of variables kept fixed in training (e.g. frozen pretrained embeddings). */
  readonly frozen = new Set<string>();
  private readonly encLayers: EncoderLayer[];
  private readonly dec: Decoder;

  constructor(
    readonly cfg: ModelConfig,
    seed = 1,
  ) {
    const p = (this.params = new Params(seed));
    const { encoder, decoder, vocabSize } = cfg;
    p.embedding('tgt/embedding', vocabSize, decoder.embeddingDim);
    if (!cfg.shareEmbeddings) p.embedding('src/embedding', vocabSize, encoder.embeddingDim);
    this.encLayers = createEncoder(p, encoder);
    this.dec = createDecoder(p, decoder, encoderOutputSize(cfg));
    if (!cfg.tieEmbeddings) p.matrix('out/kernel', decoder.hiddenSize, vocabSize);
    p.zeros('out/bias', [vocabSize]);
  }

  get vars(): Record<string, tf.Variable> {
    return this.params.vars;
  }

  get srcEmbedding(): tf.Variable {
    return this.vars[this.cfg.shareEmbeddings ? 'tgt/embedding' : 'src/embedding']!;
  }

  /** Output logits [N, V] from attentional vectors [N, H] (dropout applied here). */
  private logits(att: tf.Tensor2D): tf.Tensor2D {
    const x = this.dropout.apply(att, this.cfg.decoder.dropout);
    const out = this.cfg.tieEmbeddings
      ? tf.matMul(x, this.vars['tgt/embedding']!, false, true)
      : tf.matMul(x, this.vars['out/kernel']!);
    return tf.add(out, this.vars['out/bias']!);
  }

  /** Encodes a batch and prepares what every decoder step needs. */
  private start(source: tf.Tensor2D, mask: tf.Tensor2D) {
    const { outputs, final } = encode(this.cfg.encoder, this.encLayers, this.srcEmbedding, source, mask, this.dropout);
    const keys = attentionKeys(this.params, this.cfg.decoder.attention, outputs);
    return { enc: outputs, keys, state: initialState(this.params, this.dec, final) };
  }

  /** Probability of replacing a source token by <unk> while training (source word dropout). Default 0. */
  wordDropout = 0;

  /** Teacher-forced forward pass: attentional vectors [B, T, H] and attention [B, T, S]. */
  forward(batch: Seq2seqBatch): { att: tf.Tensor3D; attention: tf.Tensor3D } {
    const source = this.dropout.dropWords(batch.source, batch.sourceMask, this.wordDropout, 1);
    const { enc, keys, state: s0 } = this.start(source, batch.sourceMask);
    const emb = this.dropout.apply(
      embeddingLookup(this.vars['tgt/embedding']!, batch.targetIn) as tf.Tensor3D,
      this.cfg.decoder.dropout,
    );
    let state: DecoderState = s0;
    const atts: tf.Tensor2D[] = [];
    const attentions: tf.Tensor2D[] = [];
    for (const e of tf.unstack(emb, 1) as tf.Tensor2D[]) {
      const r = decoderStep(this.params, this.dec, e, state, keys, enc, batch.sourceMask, this.dropout);
      state = r.state;
      atts.push(state.feed);
      attentions.push(r.attention);
    }
    return { att: tf.stack(atts, 1) as tf.Tensor3D, attention: tf.stack(attentions, 1) as tf.Tensor3D };
  }

  /** The label-smoothed loss tensors of a batch (inside the caller's tidy / gradient tape). */
  lossTensors(batch: Seq2seqBatch, smoothing: number) {
    const { att } = this.forward(batch);
    const [b, t, h] = att.shape;
    const logits = this.logits(att.reshape([b * t, h]));
    return smoothedCrossEntropy(logits, batch.targetOut.reshape([b * t]), batch.targetMask.reshape([b * t]), smoothing);
  }

  /** Loss without gradients (dropout off). */
  evaluate(batch: Seq2seqBatch, smoothing = 0): BatchLoss {
    const was = this.dropout.training;
    this.dropout.training = false;
    try {
      const r = tf.tidy(() => {
        const l = this.lossTensors(batch, smoothing);
        return tf.stack([l.loss, l.nllSum, l.tokens]);
      });
      const [loss, nll, tokens] = r.dataSync();
      r.dispose();
      return { loss: loss!, nll: nll!, tokens: tokens! };
    } finally {
      this.dropout.training = was;
    }
  }

  /**
   * Loss and gradients of one batch (dropout on, masks drawn from `dropoutSeed`). Gradients are keyed
   * like `vars`; the caller disposes them.
   */
  lossAndGrads(
    batch: Seq2seqBatch,
    smoothing: number,
    dropoutSeed: number,
  ): BatchLoss & { grads: Record<string, tf.Tensor> } {
    this.dropout.training = true;
    this.dropout.reseed(dropoutSeed);
    let extra: tf.Tensor | undefined;
    const byName = new Map(Object.entries(this.vars).map(([k, v]) => [v.name, k]));
    try {
      const { value, grads } = tf.variableGrads(
        () => {
          const l = this.lossTensors(batch, smoothing);
          extra = tf.keep(tf.stack([l.nllSum, l.tokens]));
          return l.loss;
        },
        Object.entries(this.vars)
          .filter(([k]) => !this.frozen.has(k))
          .map(([, v]) => v),
      );
      const out: Record<string, tf.Tensor> = {};
      for (const [name, g] of Object.entries(grads)) out[byName.get(name) ?? name] = g;
      const loss = value.dataSync()[0]!;
      const [nll, tokens] = extra!.dataSync();
      value.dispose();
      return { loss, nll: nll!, tokens: tokens!, grads: out };
    } finally {
      extra?.dispose();
      this.dropout.training = false;
    }
  }

  /** The per-sentence search state for source ids [B, S] with mask [B, S] (dropout off). */
  searchState(source: tf.Tensor2D, mask: tf.Tensor2D): SearchState {
    return tf.tidy(() => {
      const { enc, keys, state } = this.start(source, mask);
      const out: SearchState = { enc, keys, mask: mask.clone(), feed: state.feed };
      state.h.forEach((h, l) => (out[`h${l}`] = h));
      state.c.forEach((c, l) => (out[`c${l}`] = c));
      return out;
    });
  }

  /** The model as @parley/decode's StepModel: one decoder step over search rows. */
  readonly stepModel: StepModel = {
    step: (prev: tf.Tensor1D, st: SearchState): StepOutput =>
      tf.tidy(() => {
        const L = this.dec.layers.length;
        const lstm = this.cfg.decoder.rnn === 'lstm';
        const state: DecoderState = {
          h: Array.from({ length: L }, (_, l) => st[`h${l}`] as tf.Tensor2D),
          c: lstm ? Array.from({ length: L }, (_, l) => st[`c${l}`] as tf.Tensor2D) : [],
          feed: st.feed as tf.Tensor2D,
        };
        const emb = embeddingLookup(this.vars['tgt/embedding']!, prev) as tf.Tensor2D;
        const enc = st.enc as tf.Tensor3D;
        const r = decoderStep(
          this.params,
          this.dec,
          emb,
          state,
          st.keys as tf.Tensor3D,
          enc,
          st.mask as tf.Tensor2D,
          this.dropout,
        );
        const next: SearchState = {
          enc: enc.clone(),
          keys: st.keys!.clone(),
          mask: st.mask!.clone(),
          feed: r.state.feed,
        };
        r.state.h.forEach((h, l) => (next[`h${l}`] = h));
        r.state.c.forEach((c, l) => (next[`c${l}`] = c));
        return {
          logProbs: tf.logSoftmax(this.logits(r.state.feed)) as tf.Tensor2D,
          attention: r.attention,
          state: next,
        };
      }),
  };

  dispose(): void {
    this.params.dispose();
  }
}
