import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Dashboard } from '../src/app/components/Dashboard';
import { Train } from '../src/app/screens/Train';
import { EMPTY_TRAIN, reduceTrain } from '../src/app/screens/train-state';
import type { TrainEvent } from '../src/app/services';
import { LEFT, RIGHT, scriptedTrain, settled, type, until } from './scripted';

function run(): TrainEvent[] {
  const events: TrainEvent[] = [
    {
      type: 'start',
      kind: 'char-lm',
      dir: 'runs/tiny',
      totalEpochs: 4,
      stepsPerEpoch: 10,
      totalSteps: 40,
      startStep: 0,
      metric: 'bits/char',
      higherIsBetter: false,
    },
  ];
  for (let step = 1; step <= 20; step++) {
    events.push({
      type: 'step',
      step,
      epoch: Math.floor((step - 1) / 10),
      epochStep: ((step - 1) % 10) + 1,
      loss: 3 - step * 0.1,
      tokensPerSec: 12_345,
      etaSec: (40 - step) * 2,
    });
    if (step === 10 || step === 20) {
      const best = step === 10;
      events.push({
        type: 'validation',
        step,
        loss: step === 10 ? 2.1 : 2.2,
        metric: step === 10 ? 3.03 : 3.17,
        best,
        samples: [`Sheldon: sample at ${step}`],
      });
      events.push({ type: 'checkpoint', step, path: `runs/tiny/${best ? 'best' : 'last'}`, best });
    }
  }
  return events;
}

describe('training dashboard', () => {
  it('draws the progress bars, ETA, tokens/s, the loss curve and the validation history with the best marked', () => {
    const state = run().reduce(reduceTrain, EMPTY_TRAIN);
    const { lastFrame } = render(<Dashboard state={state} width={100} />);
    const frame = lastFrame()!;
    // Halfway through: 2 of 4 epochs, 20 of 40 steps; bars half full.
    expect(frame).toMatch(/epoch █+░+ 2\/4/);
    expect(frame).toMatch(/step  (█+)(░+) 20\/40/);
    const [, full, empty] = frame.match(/step  (█+)(░+)/)!;
    expect(Math.abs(full!.length - empty!.length)).toBeLessThanOrEqual(1);
    expect(frame).toContain('tokens/s 12.3k');
    expect(frame).toContain('ETA 0:40');
    expect(frame).toContain('loss 1.000');
    // The loss curve: 6 rows, top labelled with the first loss, bottom with the last, falling left to right.
    const curve = frame.split('\n').filter((l) => l.includes('┤'));
    expect(curve).toHaveLength(6);
    expect(curve[0]).toMatch(/^\s*2\.900 ┤█/);
    expect(curve[5]).toMatch(/^\s*1\.000 ┤█+/);
    expect(curve[0]!.trimEnd().length).toBeLessThan(curve[5]!.trimEnd().length);
    // Validation history: the first validation is the best (lower bits/char) and carries the star.
    expect(frame).toMatch(/★ best\s+10\s+2\.100\s+3\.030/);
    expect(frame).toMatch(/^\s+20\s+2\.200\s+3\.170/m);
    expect(frame).toContain('best checkpoint: step 10 · runs/tiny/best');
    expect(frame).toContain('Sheldon: sample at 20');
  });

  it('a later, better validation moves the best marker', () => {
    const events = run();
    events.push({ type: 'validation', step: 30, loss: 1.9, metric: 2.74, best: true, samples: [] });
    const { lastFrame } = render(<Dashboard state={events.reduce(reduceTrain, EMPTY_TRAIN)} />);
    expect(lastFrame()!.match(/★/g)).toHaveLength(1);
    expect(lastFrame()).toMatch(/★ best\s+30/);
  });

  it('a cross-validation: each fold restarts the bars, the folds scored so far stay with their mean ± std', () => {
    const fold = (n: number, value: number): TrainEvent[] => [
      { ...(run()[0] as Extract<TrainEvent, { type: 'start' }>), dir: `runs/cv/folds/${n}`, metric: 'accuracy' },
      { type: 'step', step: 5, epoch: 0, epochStep: 5, loss: 0.5, tokensPerSec: 100 },
      { type: 'done', reason: 'finished', step: 10 },
      { type: 'fold', fold: n, folds: 3, metric: 'accuracy', value },
    ];
    let state = [...fold(1, 0.8), ...fold(2, 0.7)].reduce(reduceTrain, EMPTY_TRAIN);
    let frame = render(<Dashboard state={state} />).lastFrame()!;
    expect(frame).toContain('cross-validation 2/3 folds · accuracy 75.00 ± 5.00');
    expect(frame).toContain('1: 80.00  2: 70.00');
    state = reduceTrain(state, fold(3, 0.9)[0]!); // fold 3's run starts: its own bars, the scores stay
    frame = render(<Dashboard state={state} />).lastFrame()!;
    expect(frame).toContain('runs/cv/folds/3');
    expect(frame).toContain('cross-validation 2/3 folds');
    expect(frame).toContain('training loss (0 points');
    // the Train screen resets the dashboard before another run
    expect(reduceTrain(state, { type: 'reset' })).toEqual(EMPTY_TRAIN);
  });

  it('the Train screen cross-validates a config in the folds chosen with Tab and ←→', async () => {
    const service = scriptedTrain([{ type: 'fold', fold: 1, folds: 4, metric: 'accuracy', value: 0.75 }]);
    const { stdin, lastFrame, unmount } = render(<Train service={service} onBack={() => {}} />);
    await settled();
    expect(lastFrame()).toContain('mode resume');
    await type(stdin, '\t');
    expect(lastFrame()).toContain('mode new run');
    await type(stdin, '\t');
    expect(lastFrame()).toContain('cross-validate: ‹ 10 › folds');
    expect(lastFrame()).toContain('←→ folds');
    for (let i = 0; i < 6; i++) await type(stdin, LEFT);
    await type(stdin, RIGHT);
    expect(lastFrame()).toContain('cross-validate: ‹ 5 › folds');
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('cross-validation 1/4 folds'), lastFrame);
    expect(service.starts).toEqual([{ config: 'configs/tiny.yaml', options: { resume: false, folds: 5 } }]);
    await type(stdin, 's');
    await until(() => lastFrame()!.includes('■ stopped'), lastFrame);
    unmount();
  });

  it('the Train screen starts a run from the chosen config and stops it, saving a checkpoint', async () => {
    const service = scriptedTrain(run());
    const { stdin, lastFrame, unmount } = render(<Train service={service} onBack={() => {}} />);
    await settled();
    expect(lastFrame()).toContain('❯ configs/tiny.yaml');
    await type(stdin, '\r');
    await until(() => lastFrame()!.includes('20/40'), lastFrame);
    expect(lastFrame()).toContain('▶ running');
    await type(stdin, 's');
    await until(() => lastFrame()!.includes('■ stopped'), lastFrame);
    expect(service.stopped).toBe(true);
    expect(lastFrame()).toContain('saved checkpoint: step 7 · runs/tiny/last');
    unmount();
  });
});
