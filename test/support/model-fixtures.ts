// What the compatibility fixtures (test/fixtures/models/<version>/) must keep producing: the char-LM's
// loss on a fixed text and its greedy continuation, the seq2seq model's greedy translation and its log-probability.
// write.ts records these when a version writes its fixtures; model-compat.test.ts recomputes them.
import { join } from 'node:path';
import { evaluateIds, generateChars, loadCharLm, Translator } from '@parley/core';

export interface FixtureOutputs {
  charlm: { natsPerChar: number; greedy: string };
  seq2seq: { text: string; logProb: number };
}

export async function expectedOutputs(dir: string): Promise<FixtureOutputs> {
  const lm = loadCharLm(join(dir, 'charlm'));
  const ids = Int32Array.from(lm.tokenizer.encode('Sheldon: Hi Penny.\nPenny: Bazinga!\n'));
  const loss = await evaluateIds(lm.net, ids, { batchSize: 1 });
  let greedy = '';
  for await (const ch of generateChars(lm, 'Sheldon: ', { temperature: 0, maxNewTokens: 12 })) greedy += ch;
  lm.net.dispose();

  const translator = await Translator.load(join(dir, 'seq2seq'));
  const best = (await translator.translate('o gato come peixe', { beamSize: 1, maxLength: 8, alpha: 0 })).hypotheses[0];
  translator.dispose();
  return {
    charlm: { natsPerChar: loss.natsPerChar, greedy },
    seq2seq: { text: best?.text ?? '', logProb: best?.logProb ?? Number.NaN },
  };
}
