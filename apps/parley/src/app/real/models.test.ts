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
  it("shows a seq2seq model's test BLEU with beam search before its dev or greedy scores", () => {
    const arch = {
      encoder: { rnn: 'gru', layers: 1, hiddenSize: 64 },
      decoder: { rnn: 'gru', layers: 1, hiddenSize: 64 },
    };
    const scores = (bleu: number) => ({ sentences: 10, bleu, chrf: 50 });
    expect(
      describeModel(arch, {
        dev: { greedy: scores(38.3), beam5: scores(39.0) },
        test: { greedy: scores(34.8), beam5: scores(36.22) },
      }),
    ).toBe('gru 1×64 → gru 1×64 · test BLEU 36.2 (beam 5)');
    expect(describeModel(arch, { dev: { greedy: scores(38.34) } })).toBe(
      'gru 1×64 → gru 1×64 · dev BLEU 38.3 (greedy)',
    );
  });
  it('says how to get a model that is not there', () => {
    expect(missingModel('/nowhere/sheldon', 'train it')).toBe(
      'no model in /nowhere/sheldon yet (no manifest.json); train it',
    );
  });
});
