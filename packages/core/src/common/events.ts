// The one progress-event type of Parley's training runs: what the Train screen's dashboard draws and what
// `parley train` prints. The classifier trainer emits these; the char-LM and seq2seq runs are mapped onto them.

/** What the training dashboard draws. The char-LM and seq2seq trainers are mapped onto these; the classifier trainer emits them directly. */
export type ProgressEvent =
  | {
      type: 'start';
      /** Kind of model (char-lm, seq2seq). */
      kind: string;
      /** The run's output directory. */
      dir: string;
      totalEpochs: number;
      /** Updates per epoch (undefined when the trainer cannot tell). */
      stepsPerEpoch?: number;
      /** Total updates of the run (undefined when the trainer cannot tell). */
      totalSteps?: number;
      /** Step the run starts from (non-zero on resume). */
      startStep: number;
      /** Name of the validation metric (e.g. `bits/char`, `BLEU`). */
      metric: string;
      /** True when a higher metric is better (BLEU), false when lower is (loss). */
      higherIsBetter: boolean;
    }
  | {
      type: 'step';
      step: number;
      epoch: number;
      /** Step within the current epoch. */
      epochStep?: number;
      loss: number;
      tokensPerSec: number;
      /** Seconds left for the whole run. */
      etaSec?: number;
      learningRate?: number;
    }
  | {
      type: 'validation';
      step: number;
      loss: number;
      /** The value of the run's validation metric. */
      metric: number;
      /** True when this validation is the best so far (its checkpoint is the best). */
      best: boolean;
      /** Example outputs at this validation. */
      samples: string[];
    }
  | { type: 'checkpoint'; step: number; path: string; best: boolean }
  /** Sample outputs of the model at a validation, when they come after it (the char-LM samples its checkpoint). */
  | { type: 'samples'; step: number; samples: string[] }
  | { type: 'log'; line: string }
  | { type: 'done'; reason: 'finished' | 'stopped' | 'early-stopped'; step: number };
