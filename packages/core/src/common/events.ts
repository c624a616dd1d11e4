// The one progress-event type of Parley's training runs and the one place they become text: what the Train
// screen's dashboard draws, what `parley train` prints and what train.log holds. Every trainer (char-LM, seq2seq,
// classifier, embeddings) emits these through its `onEvent`, stops on an AbortSignal, and writes train.log through
// trainLog (every line a formatted event, never an ad-hoc string). The shared pieces of a training loop live here
// too: the stop rules (stopBeforeUpdate, STOP_REASONS, doneEvent), the step event's running window (StepWindow),
// and the end of a validation (validationCheckpoint writes checkpoints/last, then emits the validation and
// checkpoint, and says whether early stopping ends the run).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveCheckpoint, type Checkpoint } from './checkpoint';
import type { JsonValue } from './manifest';

/** What the training dashboard draws and train.log records. */
export type ProgressEvent =
  | {
      type: 'start';
      /** Kind and name of the model (`char-LM sheldon (3,300,000 parameters)`, `seq2seq pt-en`). */
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
      /** Epochs completed before this step (0 in the first epoch). */
      epoch: number;
      /** Step within the current epoch. */
      epochStep?: number;
      /** Mean training loss since the previous step event. */
      loss: number;
      /** Training throughput, in `unit`s per second. */
      tokensPerSec: number;
      /** What tokensPerSec counts. Default `tokens`. */
      unit?: string;
      /** Seconds left for the whole run. */
      etaSec?: number;
      learningRate?: number;
      /** Global gradient norm before clipping, at the last update (trainers that measure it). */
      gradNorm?: number;
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
      /** Every score measured, by name (e.g. ppl, bleu, chrf, accuracy), in the order train.log shows them. */
      scores?: Record<string, number>;
      /** Validations in a row without a new best, and how many early stopping allows (0 = never stops). */
      patience?: { bad: number; limit: number };
    }
  | { type: 'checkpoint'; step: number; path: string; best: boolean }
  /** Sample outputs of the model at a validation, when they come after it (the char-LM samples its checkpoint). */
  | { type: 'samples'; step: number; samples: string[] }
  /**
   * One fold of a k-fold cross-validation, scored on its held-out texts (after that fold's own run, whose
   * events came before it). With an ensemble, `value` is the ensemble's and `members` each model's alone.
   */
  | {
      type: 'fold';
      /** 1-based. */
      fold: number;
      /** k. */
      folds: number;
      /** accuracy, macroF1 or microF1 (multi-label). */
      metric: string;
      value: number;
      members?: { name: string; value: number }[];
    }
  /** A fact about the run that is not progress: data read, model size, resume point, final scores. */
  | { type: 'log'; line: string }
  | {
      type: 'done';
      reason: 'finished' | 'stopped' | 'early-stopped';
      step: number;
      /** Why the run ended, in words (e.g. `reached 10 epochs`). */
      why?: string;
    };

const num = (x: number, digits = 4) => (Number.isInteger(x) ? String(x) : x.toFixed(digits));

/** The train.log line of an event (without the time stamp); a validation's samples follow on their own lines. */
export function formatProgressEvent(e: ProgressEvent): string {
  switch (e.type) {
    case 'start':
      return `start: ${e.kind} → ${e.dir}; ${e.totalSteps ?? '?'} updates (${e.stepsPerEpoch ?? '?'} per epoch, ${e.totalEpochs} epochs)${e.startStep ? `, resumed at update ${e.startStep}` : ''}; metric ${e.metric}`;
    case 'step':
      return `train: epoch ${e.epoch + 1} update ${e.step} loss ${e.loss.toFixed(4)}${e.learningRate !== undefined ? ` lr ${e.learningRate.toExponential(3)}` : ''}${e.gradNorm !== undefined ? ` |g| ${e.gradNorm.toFixed(2)}` : ''} ${Math.round(e.tokensPerSec)} ${e.unit ?? 'tokens'}/s`;
    case 'validation': {
      const scores = Object.entries(e.scores ?? { loss: e.loss, metric: e.metric })
        .map(([k, v]) => `${k} ${num(v)}`)
        .join(' ');
      const patience = e.patience ? ` (no improvement ${e.patience.bad}/${e.patience.limit || '∞'})` : '';
      return [
        `validation: update ${e.step} ${scores}${e.best ? ' (new best)' : patience}`,
        ...e.samples.map((s, i) => `sample ${i + 1}: ${s}`),
      ].join('\n');
    }
    case 'checkpoint':
      return `checkpoint: update ${e.step} → ${e.path}${e.best ? ' (best, exported)' : ''}`;
    case 'samples':
      return e.samples.map((s, i) => `sample ${i + 1} (update ${e.step}): ${s}`).join('\n');
    case 'fold':
      return `fold ${e.fold}/${e.folds}: ${e.metric} ${e.value.toFixed(4)}${e.members ? ` (ensemble; ${e.members.map((m) => `${m.name} ${m.value.toFixed(4)}`).join(', ')})` : ''}`;
    case 'log':
      return e.line;
    case 'done':
      return `done: ${e.why ?? e.reason} at update ${e.step}`;
  }
}

/** What a trainer reports to: its caller's handlers. */
export interface ProgressSinks {
  /** Receives every event. */
  onEvent?: (e: ProgressEvent) => void;
  /** Receives every train.log line, time-stamped (e.g. to print on stderr). */
  log?: (line: string) => void;
}

/**
 * The emitter of a run that keeps train.log in `dir`: each event goes to `sinks.onEvent`, and its formatted
 * lines, time-stamped, are appended to train.log and passed to `sinks.log`.
 */
export function trainLog(dir: string, sinks: ProgressSinks): (e: ProgressEvent) => void {
  const file = join(dir, 'train.log');
  return (e) => {
    sinks.onEvent?.(e);
    const stamp = new Date().toISOString();
    const lines = formatProgressEvent(e)
      .split('\n')
      .map((l) => `${stamp} ${l}`);
    appendFileSync(file, lines.join('\n') + '\n');
    for (const l of lines) sinks.log?.(l);
  };
}

/** How every trainer words why it stopped (its result's `stopReason`, the done event's `why`). */
export const STOP_REASONS = {
  stopped: 'stopped on request',
  timeLimit: (minutes: number) => `reached the time limit of ${minutes} minutes`,
  updates: (n: number) => `reached ${n} updates`,
  epochs: (n: number) => `reached ${n} epochs`,
  earlyStopping: (validations: number) => `early stopping: no improvement in ${validations} validations`,
};

/**
 * Resolves after one turn of the event loop (setImmediate), so that signals, timers, stop requests and pending
 * input are handled between pieces of synchronous work: tfjs's awaits resolve as microtasks, which never let them
 * in. Every training loop awaits it before each update.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Why a run stops before its next update (the update limit, the time limit, a stop request), or undefined. */
export function stopBeforeUpdate(o: {
  /** Updates done so far, and the most allowed (omit when there is no update limit). */
  step?: number;
  maxUpdates?: number;
  /** Minutes allowed (0 = no limit) and seconds trained so far. */
  maxMinutes: number;
  elapsedSec: number;
  /** True when a stop was asked for (an aborted AbortSignal). */
  stopRequested: boolean;
}): string | undefined {
  if (o.maxUpdates !== undefined && (o.step ?? 0) >= o.maxUpdates) return STOP_REASONS.updates(o.maxUpdates);
  if (o.maxMinutes > 0 && o.elapsedSec >= o.maxMinutes * 60) return STOP_REASONS.timeLimit(o.maxMinutes);
  if (o.stopRequested) return STOP_REASONS.stopped;
  return undefined;
}

type StepEvent = Extract<ProgressEvent, { type: 'step' }>;

/** What a step event reports since the previous one: the mean training loss and the throughput. */
export class StepWindow {
  private lossSum = 0;
  private updates = 0;
  private units = 0;
  private start = performance.now();

  /** Adds one update: its training loss and how many units (tokens, chars, examples) it trained on. */
  add(loss: number, units: number): void {
    this.lossSum += loss;
    this.updates += 1;
    this.units += units;
  }

  /**
   * Closes the window: the step event of `fields` with the window's mean loss and units per second (and, when
   * `remainingUpdates` is given and `fields` has no etaSec, the time those take at the window's pace); a new
   * window starts.
   */
  close(fields: Omit<StepEvent, 'type' | 'loss' | 'tokensPerSec'>, remainingUpdates?: number): StepEvent {
    const now = performance.now();
    const secs = (now - this.start) / 1000;
    const perUpdate = secs / Math.max(1, this.updates);
    const e: StepEvent = {
      type: 'step',
      ...fields,
      loss: this.lossSum / Math.max(1, this.updates),
      tokensPerSec: this.units / secs,
    };
    if (e.etaSec === undefined && remainingUpdates !== undefined) e.etaSec = remainingUpdates * perUpdate;
    this.lossSum = this.updates = this.units = 0;
    this.start = now;
    return e;
  }
}

/** The done event of a run that stopped at `step` because `why` (a STOP_REASONS text). */
export function doneEvent(why: string, step: number): Extract<ProgressEvent, { type: 'done' }> {
  const reason =
    why === STOP_REASONS.stopped ? 'stopped' : why.startsWith('early stopping') ? 'early-stopped' : 'finished';
  return { type: 'done', reason, step, why };
}

/**
 * The end of a validation, the same in every trainer that validates into checkpoints/last: writes it (weights,
 * optimizer moments, `{ trainer }` state), then emits the validation and its checkpoint. Returns true when early
 * stopping ends the run (the validation's patience is used up; a limit of 0 never stops).
 */
export async function validationCheckpoint(
  emit: (e: ProgressEvent) => void,
  dir: string,
  checkpoint: Omit<Checkpoint, 'state'> & { trainer: object },
  validation: Omit<Extract<ProgressEvent, { type: 'validation' }>, 'type'>,
): Promise<boolean> {
  const { trainer, ...rest } = checkpoint;
  await saveCheckpoint(dir, 'last', { ...rest, state: { trainer: trainer as unknown as JsonValue } });
  emit({ type: 'validation', ...validation });
  emit({ type: 'checkpoint', step: validation.step, path: join(dir, 'checkpoints', 'last'), best: validation.best });
  const p = validation.patience;
  return !!p && p.limit > 0 && p.bad >= p.limit;
}
