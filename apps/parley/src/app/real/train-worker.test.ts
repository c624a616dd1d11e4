import { describe, expect, it } from 'vitest';
import { fromCharLm } from './train-worker';

describe('training events for the dashboard', () => {
  it('maps the char-LM trainer’s events, with the step within the epoch', () => {
    const meta = { dir: 'apps/parley/models/sheldon', epochs: 10 };
    const start = fromCharLm(
      {
        type: 'start',
        name: 'sheldon',
        parameters: 3_300_000,
        vocabSize: 90,
        trainChars: 1,
        validationChars: 1,
        testChars: 1,
        totalSteps: 2000,
        stepsPerEpoch: 200,
        resumedFrom: 0,
      },
      meta,
    );
    expect(start).toMatchObject({
      type: 'start',
      totalEpochs: 10,
      stepsPerEpoch: 200,
      totalSteps: 2000,
      metric: 'bits/char',
      higherIsBetter: false,
    });
    const step = fromCharLm(
      {
        type: 'step',
        step: 250,
        totalSteps: 2000,
        epoch: 1.25,
        loss: 1.5,
        lr: 0.002,
        gradNorm: 1,
        tokensPerSec: 9000,
        elapsedSec: 10,
        etaSec: 70,
      },
      meta,
    );
    expect(step).toEqual({
      type: 'step',
      step: 250,
      epoch: 1,
      epochStep: 50,
      loss: 1.5,
      tokensPerSec: 9000,
      etaSec: 70,
      learningRate: 0.002,
    });
    const v = fromCharLm(
      {
        type: 'validation',
        step: 400,
        epoch: 2,
        loss: { natsPerChar: 1.4, bitsPerChar: 2.02, perplexity: 4.06, chars: 100 } as never,
        best: true,
        lr: 0.002,
      },
      meta,
    );
    expect(v).toEqual({ type: 'validation', step: 400, loss: 1.4, metric: 2.02, best: true, samples: [] });
    expect(
      fromCharLm({ type: 'checkpoint', step: 400, slot: 'best', dir: 'runs/sheldon/checkpoints/best' }, meta),
    ).toEqual({ type: 'checkpoint', step: 400, path: 'runs/sheldon/checkpoints/best', best: true });
  });
});
