// The neural text classifiers: an embedding table, an encoder that turns a padded batch of token ids into one
// vector per text, and a dense output layer (softmax over classes, or one sigmoid per label for multi-label data).
// Encoders: `bag` (masked average of embeddings, optional dense ReLU layer), `lstm`/`gru` (stacked, optionally
// bidirectional, on @parley/engine's fused ops; final state or max over time), `conv` (Conv1D per kernel width,
// ReLU, masked global max pooling: Kim 2014).
import * as tf from '@tensorflow/tfjs';
import {
  createGruWeights,
  createLstmWeights,
  embeddingLookup,
  gru,
  lstm,
  type GruWeights,
  type LstmWeights,
} from '@parley/engine';
import { Dropout } from '../seq2seq/dropout';
import { Params } from '../seq2seq/params';

/** What the network is built from: the model section of the config plus the sizes training found. */
export interface NeuralArchitecture {
  type: 'bag' | 'lstm' | 'gru' | 'conv';
  vocabSize: number;
  outputs: number;
  multiLabel: boolean;
  embeddingDim: number;
  hidden: number;
  layers: number;
  bidirectional: boolean;
  pooling: 'last' | 'max';
  kernelSizes: number[];
  /** Dropout before the output layer. */
  dropout: number;
  /** Dropout on the embedded tokens; absent (models saved before it existed): `dropout`. */
  embeddingDropout?: number;
}

interface RecurrentLayer {
  fw: LstmWeights | GruWeights;
  bw?: LstmWeights | GruWeights;
}

/** A padded batch: ids [B, T] (0 = padding) and mask [B, T] (1 = real token). */
export interface ClassifierBatch {
  ids: tf.Tensor2D;
  mask: tf.Tensor2D;
}

export class NeuralClassifierNet {
  readonly vars: Record<string, tf.Variable>;
  /** Variables kept fixed in training (a frozen pretrained embedding). */
  readonly frozen = new Set<string>();
  readonly dropout = new Dropout();
  private readonly params: Params;
  private readonly rnn: RecurrentLayer[] = [];

  constructor(
    readonly arch: NeuralArchitecture,
    seed: number,
  ) {
    const p = (this.params = new Params(seed));
    p.embedding('embedding', arch.vocabSize, arch.embeddingDim);
    let features = arch.embeddingDim;
    if (arch.type === 'lstm' || arch.type === 'gru') {
      const make = (name: string, input: number) => {
        const opts = { seed: p.seed(), name: p.fullName(name) };
        const w =
          arch.type === 'lstm'
            ? createLstmWeights(input, arch.hidden, opts)
            : createGruWeights(input, arch.hidden, opts);
        p.adopt(name, { kernel: w.kernel, recurrentKernel: w.recurrentKernel, bias: w.bias });
        return w;
      };
      for (let l = 0; l < arch.layers; l++) {
        this.rnn.push({
          fw: make(`rnn/l${l}/fw`, features),
          ...(arch.bidirectional ? { bw: make(`rnn/l${l}/bw`, features) } : {}),
        });
        features = arch.hidden * (arch.bidirectional ? 2 : 1);
      }
    } else if (arch.type === 'conv') {
      for (const k of arch.kernelSizes) {
        const limit = Math.sqrt(6 / (k * arch.embeddingDim + arch.hidden));
        p.add(
          `conv/k${k}/kernel`,
          tf.randomUniform([k, arch.embeddingDim, arch.hidden], -limit, limit, 'float32', p.seed()),
        );
        p.zeros(`conv/k${k}/bias`, [arch.hidden]);
      }
      features = arch.hidden * arch.kernelSizes.length;
    } else if (arch.hidden > 0) {
      p.matrix('hidden/kernel', features, arch.hidden);
      p.zeros('hidden/bias', [arch.hidden]);
      features = arch.hidden;
    }
    p.matrix('output/kernel', features, arch.outputs);
    p.zeros('output/bias', [arch.outputs]);
    this.vars = p.vars;
  }

  /** Shortest padded length the encoder accepts (the widest convolution). */
  get minLength(): number {
    return this.arch.type === 'conv' ? Math.max(...this.arch.kernelSizes) : 1;
  }

  /** One vector per text [B, F]. */
  private encode(b: ClassifierBatch): tf.Tensor2D {
    const a = this.arch;
    const emb = this.dropout.apply(
      embeddingLookup(this.vars.embedding!, b.ids) as tf.Tensor3D,
      a.embeddingDropout ?? a.dropout,
    );
    const mask3 = b.mask.expandDims(2) as tf.Tensor3D;
    // Max over time with padding pushed far down, so an all-negative feature still pools from real steps.
    const maxOverTime = (x: tf.Tensor3D, m: tf.Tensor3D) => x.add(m.sub(1).mul(1e4)).max(1) as tf.Tensor2D;
    if (a.type === 'bag') {
      const mean = emb.mul(mask3).sum(1).div(b.mask.sum(1, true).maximum(1)) as tf.Tensor2D;
      return a.hidden > 0
        ? (tf.relu(mean.matMul(this.vars['hidden/kernel']!).add(this.vars['hidden/bias']!)) as tf.Tensor2D)
        : mean;
    }
    if (a.type === 'conv') {
      const pooled = a.kernelSizes.map((k) => {
        // A 'valid' convolution as one matMul over the k shifted copies side by side (wasm has no Conv2D gradient kernels).
        const [batch, time, dim] = emb.shape;
        const windows = tf.concat(
          Array.from({ length: k }, (_, j) => emb.slice([0, j, 0], [-1, time - k + 1, -1])),
          2,
        );
        const kernel = this.vars[`conv/k${k}/kernel`]!.reshape([k * dim, a.hidden]);
        const conv = tf
          .relu(
            windows
              .reshape([batch * (time - k + 1), k * dim])
              .matMul(kernel)
              .add(this.vars[`conv/k${k}/bias`]!),
          )
          .reshape([batch, time - k + 1, a.hidden]) as tf.Tensor3D;
        // A window is real when its first token is (texts are left-aligned, so the window starts inside the text).
        const m = b.mask.slice([0, 0], [-1, conv.shape[1]]).expandDims(2) as tf.Tensor3D;
        return maxOverTime(conv, m);
      });
      return pooled.length === 1 ? pooled[0]! : tf.concat(pooled, 1);
    }
    let x: tf.Tensor3D = emb;
    let final: tf.Tensor2D | undefined;
    const run = (w: LstmWeights | GruWeights, input: tf.Tensor3D, goBackwards: boolean) =>
      a.type === 'lstm'
        ? lstm(input, w as LstmWeights, { mask: b.mask, goBackwards })
        : gru(input, w as GruWeights, { mask: b.mask, goBackwards });
    this.rnn.forEach((layer, l) => {
      if (l > 0) x = this.dropout.apply(x, a.dropout);
      const fw = run(layer.fw, x, false);
      if (layer.bw) {
        const bw = run(layer.bw, x, true);
        x = tf.concat([fw.outputs, bw.outputs], 2);
        final = tf.concat([fw.h, bw.h], 1);
      } else {
        x = fw.outputs;
        final = fw.h;
      }
    });
    return a.pooling === 'max' ? maxOverTime(x, mask3) : final!;
  }

  /** Output logits [B, outputs]. */
  logits(b: ClassifierBatch): tf.Tensor2D {
    const h = this.dropout.apply(this.encode(b), this.arch.dropout);
    return h.matMul(this.vars['output/kernel']!).add(this.vars['output/bias']!) as tf.Tensor2D;
  }

  /** Probabilities [B, outputs]: softmax over classes, or a sigmoid per label. */
  probabilities(b: ClassifierBatch): tf.Tensor2D {
    return tf.tidy(() => {
      const z = this.logits(b);
      return this.arch.multiLabel ? tf.sigmoid(z) : tf.softmax(z);
    });
  }

  /**
   * The weighted mean loss of a batch: cross-entropy (softmax), or binary cross-entropy summed over labels
   * (multi-label). `targets` is [B] class ids or [B, outputs] 0/1; `weights` [B] per-example weights.
   */
  loss(b: ClassifierBatch, targets: tf.Tensor, weights: tf.Tensor1D): tf.Scalar {
    const z = this.logits(b);
    const perExample = this.arch.multiLabel
      ? tf.sum(
          tf
            .relu(z)
            .sub(z.mul(targets))
            .add(tf.log1p(tf.exp(tf.abs(z).neg()))),
          1,
        ) // stable BCE with logits
      : tf.sum(tf.oneHot(targets as tf.Tensor1D, this.arch.outputs).mul(tf.logSoftmax(z)), 1).neg();
    return perExample.mul(weights).sum().div(weights.sum()) as tf.Scalar;
  }

  /** Loss and gradients (keyed like `vars`; frozen variables left out) with dropout masks from `seed`. */
  lossAndGrads(
    b: ClassifierBatch,
    targets: tf.Tensor,
    weights: tf.Tensor1D,
    seed: number,
  ): { loss: number; grads: Record<string, tf.Tensor> } {
    this.dropout.training = true;
    this.dropout.reseed(seed);
    const byName = new Map(Object.entries(this.vars).map(([k, v]) => [v.name, k]));
    try {
      const trainable = Object.entries(this.vars)
        .filter(([k]) => !this.frozen.has(k))
        .map(([, v]) => v);
      const { value, grads } = tf.variableGrads(() => this.loss(b, targets, weights), trainable);
      const out: Record<string, tf.Tensor> = {};
      for (const [name, g] of Object.entries(grads)) out[byName.get(name) ?? name] = g;
      const loss = value.dataSync()[0]!;
      value.dispose();
      return { loss, grads: out };
    } finally {
      this.dropout.training = false;
    }
  }

  dispose(): void {
    this.params.dispose();
  }
}
