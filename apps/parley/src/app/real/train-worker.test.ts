import { describe, expect, it } from 'vitest';
import { fromCharLm, seq2seqLogParser } from './train-worker';

describe('training events for the dashboard', () => {
  it('reads the seq2seq trainer’s train.log lines: updates, example translations, validations', () => {
    const parse = seq2seqLogParser({ dir: 'runs/pt-en', epochs: 100, maxUpdates: 1000, metric: 'bleu' });
    expect(parse('2026-11-30T22:42:00.000Z config: {"seed":1}')).toEqual([{ type: 'log', line: 'config: {"seed":1}' }]);
    const [step] = parse('2026-11-30T22:42:25.559Z train: epoch 1 update 50 loss 6.3698 lr 3.000e-3 509 tokens/s');
    expect(step).toMatchObject({ type: 'step', step: 50, epoch: 0, loss: 6.3698, learningRate: 0.003, tokensPerSec: 509 });
    expect((step as { etaSec: number }).etaSec).toBeGreaterThanOrEqual(0);
    expect(parse('2026-11-30T22:51:21.600Z example 1: src: Eu gosto de ler.')).toEqual([]);
    expect(parse('2026-11-30T22:51:21.669Z example 1: hyp: The iss the the.')).toEqual([]);
    const [validation] = parse('2026-11-30T22:51:22.000Z validation: step 400 loss 5.1234 ppl 167.90 bleu 1.23 chrf 15.60 lr 3.000e-3 (new best)');
    expect(validation).toEqual({ type: 'validation', step: 400, loss: 5.1234, metric: 1.23, best: true, samples: ['The iss the the.'] });
    const [next] = parse('2026-11-30T22:55:22.000Z validation: step 800 loss 4.9 ppl 134.29 bleu 0.98 chrf 16.00 lr 1.500e-3 (no improvement 1/6)');
    expect(next).toMatchObject({ best: false, metric: 0.98, samples: [] });
  });

  it('maps the char-LM trainer’s events, with the step within the epoch', () => {
    const meta = { dir: 'apps/parley/models/sheldon', epochs: 10 };
    const start = fromCharLm({ type: 'start', name: 'sheldon', parameters: 3_300_000, vocabSize: 90, trainChars: 1, validationChars: 1, testChars: 1, totalSteps: 2000, stepsPerEpoch: 200, resumedFrom: 0 }, meta);
    expect(start).toMatchObject({ type: 'start', totalEpochs: 10, stepsPerEpoch: 200, totalSteps: 2000, metric: 'bits/char', higherIsBetter: false });
    const step = fromCharLm({ type: 'step', step: 250, totalSteps: 2000, epoch: 1.25, loss: 1.5, lr: 0.002, gradNorm: 1, tokensPerSec: 9000, elapsedSec: 10, etaSec: 70 }, meta);
    expect(step).toEqual({ type: 'step', step: 250, epoch: 1, epochStep: 50, loss: 1.5, tokensPerSec: 9000, etaSec: 70, learningRate: 0.002 });
    const v = fromCharLm({ type: 'validation', step: 400, epoch: 2, loss: { natsPerChar: 1.4, bitsPerChar: 2.02, perplexity: 4.06, chars: 100 } as never, best: true, lr: 0.002 }, meta);
    expect(v).toEqual({ type: 'validation', step: 400, loss: 1.4, metric: 2.02, best: true, samples: [] });
    expect(fromCharLm({ type: 'checkpoint', step: 400, slot: 'best', dir: 'runs/sheldon/checkpoints/best' }, meta)).toEqual({ type: 'checkpoint', step: 400, path: 'runs/sheldon/checkpoints/best', best: true });
  });
});
