// What the training dashboard knows, folded from the run's events one at a time (a pure reducer, so the
// dashboard can be tested by feeding it events). A cross-validation is k runs in a row: each fold's `start`
// restarts the dashboard but keeps the log and the folds scored so far.
import type { TrainEvent } from '../services';

export interface Validation {
  step: number;
  loss: number;
  metric: number;
  best: boolean;
}

export interface TrainState {
  kind: string;
  dir: string;
  metric: string;
  higherIsBetter: boolean;
  totalEpochs: number;
  stepsPerEpoch?: number;
  totalSteps?: number;
  startStep: number;
  step: number;
  epoch: number;
  epochStep?: number;
  /** Training loss of every step seen (the curve). */
  losses: number[];
  tokensPerSec: number;
  etaSec?: number;
  learningRate?: number;
  validations: Validation[];
  /** Samples of the latest validation. */
  samples: string[];
  /** The step the samples were made at. */
  samplesStep?: number;
  /** The best checkpoint so far. */
  bestCheckpoint?: { step: number; path: string };
  lastCheckpoint?: { step: number; path: string };
  /** The last few log lines. */
  log: string[];
  /** A cross-validation's scored folds so far (each fold's run restarts the rest of the state). */
  folds: Extract<TrainEvent, { type: 'fold' }>[];
  done?: 'finished' | 'stopped' | 'early-stopped';
}

export const EMPTY_TRAIN: TrainState = {
  kind: '',
  dir: '',
  metric: 'loss',
  higherIsBetter: false,
  totalEpochs: 0,
  startStep: 0,
  step: 0,
  epoch: 0,
  losses: [],
  tokensPerSec: 0,
  validations: [],
  samples: [],
  log: [],
  folds: [],
};

/** Keeps the loss curve's memory bounded on long runs (halves it by averaging pairs). */
const MAX_POINTS = 4000;

/** What the dashboard is told: a run's events, or `reset` when the screen starts another run. */
export type TrainAction = TrainEvent | { type: 'reset' };

export function reduceTrain(state: TrainState, event: TrainAction): TrainState {
  switch (event.type) {
    case 'reset':
      return EMPTY_TRAIN;
    case 'start':
      return { ...EMPTY_TRAIN, ...event, step: event.startStep, log: state.log, folds: state.folds };
    case 'fold':
      return { ...state, folds: [...state.folds, event] };
    case 'step': {
      let losses = [...state.losses, event.loss];
      if (losses.length > MAX_POINTS) losses = losses.filter((_, i) => i % 2 === 0);
      return {
        ...state,
        step: event.step,
        epoch: event.epoch,
        epochStep: event.epochStep,
        losses,
        tokensPerSec: event.tokensPerSec,
        etaSec: event.etaSec,
        learningRate: event.learningRate ?? state.learningRate,
      };
    }
    case 'validation': {
      const v = { step: event.step, loss: event.loss, metric: event.metric, best: event.best };
      const validations = [...state.validations.map((x) => (event.best ? { ...x, best: false } : x)), v];
      return event.samples.length
        ? { ...state, validations, samples: event.samples, samplesStep: event.step }
        : { ...state, validations };
    }
    case 'checkpoint': {
      const cp = { step: event.step, path: event.path };
      return { ...state, lastCheckpoint: cp, bestCheckpoint: event.best ? cp : state.bestCheckpoint };
    }
    case 'samples':
      return { ...state, samples: event.samples, samplesStep: event.step };
    case 'log':
      return { ...state, log: [...state.log, event.line].slice(-4) };
    case 'done':
      return { ...state, done: event.reason, step: event.step };
  }
}
