// Optimization pieces shared by Parley's trainers: Adam with inspectable state (so checkpoints
// resume exactly), clipping by global norm, and learning-rate decay when validation plateaus.
import * as tf from '@tensorflow/tfjs';
import type { NamedTensors } from './weights';

/** Adam settings (Kingma & Ba 2015). */
export interface AdamOptions {
  /** Learning rate. Default 0.002. */
  lr?: number;
  /** Decay of the first-moment average. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average. Default 0.999. */
  beta2?: number;
  /** Added to the denominator for stability. Default 1e-8. */
  epsilon?: number;
}

/** Adam over a fixed set of named variables; its moments can be saved and restored. */
export class Adam {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Number of updates applied so far (bias correction uses it). */
  step = 0;
  private readonly m: Record<string, tf.Variable> = {};
  private readonly v: Record<string, tf.Variable> = {};

  constructor(
    readonly vars: Record<string, tf.Variable>,
    opts: AdamOptions = {},
  ) {
    this.lr = opts.lr ?? 0.002;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-8;
    for (const [name, v] of Object.entries(vars)) {
      this.m[name] = tf.variable(tf.zerosLike(v), false, `${v.name}/adam_m`);
      this.v[name] = tf.variable(tf.zerosLike(v), false, `${v.name}/adam_v`);
    }
  }

  /** Applies one update from gradients keyed like `vars` (missing gradients are skipped). */
  apply(grads: NamedTensors): void {
    this.step += 1;
    const { beta1: b1, beta2: b2, epsilon: eps } = this;
    const lrT = (this.lr * Math.sqrt(1 - b2 ** this.step)) / (1 - b1 ** this.step);
    tf.tidy(() => {
      for (const [name, w] of Object.entries(this.vars)) {
        const g = grads[name];
        if (!g) continue;
        const m = this.m[name]!;
        const v = this.v[name]!;
        const mNew = m.mul(b1).add(g.mul(1 - b1));
        const vNew = v.mul(b2).add(g.square().mul(1 - b2));
        m.assign(mNew);
        v.assign(vNew);
        w.assign(w.sub(mNew.mul(lrT).div(vNew.sqrt().add(eps))));
      }
    });
  }

  /** The moments as tensors named `m/<var>` and `v/<var>` (views, do not dispose). */
  stateTensors(): NamedTensors {
    const out: NamedTensors = {};
    for (const name of Object.keys(this.vars)) {
      out[`m/${name}`] = this.m[name]!;
      out[`v/${name}`] = this.v[name]!;
    }
    return out;
  }

  /** Restores moments saved by stateTensors (disposes the given tensors) and the step count. */
  loadState(tensors: NamedTensors, step: number): void {
    for (const name of Object.keys(this.vars)) {
      const m = tensors[`m/${name}`];
      const v = tensors[`v/${name}`];
      if (!m || !v) throw new Error(`optimizer state: missing moments of "${name}"`);
      this.m[name]!.assign(m);
      this.v[name]!.assign(v);
    }
    for (const t of Object.values(tensors)) t.dispose();
    this.step = step;
  }

  dispose(): void {
    for (const t of [...Object.values(this.m), ...Object.values(this.v)]) t.dispose();
  }
}

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (Pascanu et al. 2013). Returns new
 * tensors (the caller disposes both sets) and the norm before clipping. `maxNorm <= 0` disables it.
 */
export function clipByGlobalNorm(grads: NamedTensors, maxNorm: number): { grads: NamedTensors; norm: number } {
  const names = Object.keys(grads);
  const normT = tf.tidy(() => tf.addN(names.map((n) => grads[n]!.square().sum())).sqrt());
  const norm = normT.dataSync()[0]!;
  normT.dispose();
  const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / norm : 1;
  const out: NamedTensors = {};
  for (const n of names) out[n] = scale === 1 ? grads[n]!.clone() : tf.tidy(() => grads[n]!.mul(scale));
  return { grads: out, norm };
}

/** Settings for ReduceLROnPlateau-style decay. */
export interface PlateauOptions {
  /** Multiply the learning rate by this when validation stops improving. Default 0.5. */
  factor?: number;
  /** Validations without improvement tolerated before decaying. Default 2. */
  patience?: number;
  /** Never decay below this learning rate. Default 1e-5. */
  minLr?: number;
  /** An improvement must beat the best loss by at least this much (absolute). Default 1e-3. */
  threshold?: number;
}

/** Serializable state of a PlateauScheduler. */
export interface PlateauState {
  best: number;
  bad: number;
}

/** Decays the learning rate when validation loss stops improving. */
export class PlateauScheduler {
  readonly factor: number;
  readonly patience: number;
  readonly minLr: number;
  readonly threshold: number;
  state: PlateauState = { best: Infinity, bad: 0 };

  constructor(opts: PlateauOptions = {}) {
    this.factor = opts.factor ?? 0.5;
    this.patience = opts.patience ?? 2;
    this.minLr = opts.minLr ?? 1e-5;
    this.threshold = opts.threshold ?? 1e-3;
  }

  /** Records a validation loss and returns the learning rate to use from now on. */
  observe(loss: number, lr: number): number {
    if (loss < this.state.best - this.threshold) {
      this.state = { best: loss, bad: 0 };
      return lr;
    }
    this.state = { best: Math.min(this.state.best, loss), bad: this.state.bad + 1 };
    if (this.state.bad > this.patience) {
      this.state.bad = 0;
      return Math.max(this.minLr, lr * this.factor);
    }
    return lr;
  }
}
