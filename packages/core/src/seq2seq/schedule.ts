// Learning-rate schedules: per-update (noam, exponential) and per-validation (plateau, from @parley/core common).
import { PlateauScheduler, type PlateauState } from '../common/index';
import type { TrainingConfig } from './config';

/** Serializable schedule state (for exact resume). */
export interface ScheduleState {
  lr: number;
  plateau: PlateauState;
}

export class LrSchedule {
  lr: number;
  private readonly plateau: PlateauScheduler;

  constructor(private readonly cfg: TrainingConfig) {
    this.lr = cfg.scheduler === 'noam' ? 0 : cfg.lr;
    this.plateau = new PlateauScheduler({
      factor: cfg.decayFactor,
      patience: cfg.patience,
      minLr: cfg.minLr,
      threshold: 0,
    });
  }

  /** The learning rate for update number `step` (1-based). */
  atStep(step: number): number {
    const c = this.cfg;
    if (c.scheduler === 'noam')
      this.lr = Math.max(c.minLr, c.lr * Math.min(step / c.warmup, Math.sqrt(c.warmup / step)));
    else if (c.scheduler === 'exponential')
      this.lr = Math.max(c.minLr, c.lr * Math.pow(c.decayRate, step / c.decaySteps));
    return this.lr;
  }

  /** Records a validation score (lower is better) — only the plateau schedule reacts. */
  validated(loss: number): number {
    if (this.cfg.scheduler === 'plateau') this.lr = this.plateau.observe(loss, this.lr);
    return this.lr;
  }

  get state(): ScheduleState {
    return { lr: this.lr, plateau: { ...this.plateau.state } };
  }

  set state(s: ScheduleState) {
    this.lr = s.lr;
    this.plateau.state = { ...s.plateau };
  }
}
