import { describe, expect, it } from 'vitest';
import { describeModel, missingModel } from './models';

describe('model descriptions on the Home screen', () => {
  it('describes a char-LM and a seq2seq manifest in one line', () => {
    expect(
      describeModel(
        { cell: 'lstm', layers: 2, hidden: 512, parameters: 3_300_000 },
        { validation: { natsPerChar: 1.3812, bitsPerChar: 1.99 } },
      ),
    ).toBe('2×512 lstm · 3.30M params · validation 1.381 nats/char');
    expect(
      describeModel(
        {
          encoder: { rnn: 'lstm', layers: 1, hiddenSize: 256, bidirectional: true },
          decoder: { rnn: 'lstm', layers: 1, hiddenSize: 256, attention: 'general' },
        },
        { dev: { bleu: 21.34, chrf: 40 } },
      ),
    ).toBe('bi-lstm 1×256 → lstm 1×256 + general attention · dev BLEU 21.3');
  });
  it('says how to get a model that is not there', () => {
    expect(missingModel('/nowhere/sheldon', 'train it')).toBe(
      'no model in /nowhere/sheldon yet (no manifest.json); train it',
    );
  });
});
