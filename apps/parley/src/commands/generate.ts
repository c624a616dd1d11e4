// `parley generate --model DIR [--prime TEXT] [--length N] [--temperature T] [--top-k K] [--top-p P]
// [--seed S] [--samples N]`: samples text from a char-LM, streaming it as it is made.
import { initBackend } from '@parley/engine';
import { generate } from '@parley/decode';
import { CHAR_SAMPLING_DEFAULTS as D, charLmSampling, loadCharLm, primeIds } from '@parley/core';
import { SEED_RANGE } from '@parley/core/schema';
import { defineCommand } from '../command';
import { CHARLM_MODEL_OPTION } from '../paths';
import { writeStdout } from '../process-guard';

export const command = defineCommand(
  {
    name: 'generate',
    summary: 'sample text from a character-level language model',
    options: {
      model: CHARLM_MODEL_OPTION,
      prime: { type: 'string', defaultText: 'a new line', help: 'text to continue' },
      // Unset sampling options resolve through resolveCharSampling: the model's, else CHAR_SAMPLING_DEFAULTS.
      length: { type: 'int', min: 0, defaultText: `${D.maxNewTokens}`, help: 'characters to generate per sample' },
      temperature: { type: 'number', min: 0, defaultText: `${D.temperature}`, help: 'softmax temperature, 0 = greedy' },
      topK: { type: 'int', min: 0, defaultText: `${D.topK}`, help: 'keep the k most likely characters, 0 = off' },
      topP: { type: 'number', min: 0, max: 1, defaultText: `${D.topP}`, help: 'nucleus sampling mass, 1 = off' },
      minP: {
        type: 'number',
        min: 0,
        max: 1,
        defaultText: `${D.minP}`,
        help: 'drop characters below this × the top probability',
      },
      typicalP: {
        type: 'number',
        min: 0,
        max: 1,
        defaultText: `${D.typicalP}`,
        help: 'locally typical sampling mass, 1 = off',
      },
      repetitionPenalty: {
        type: 'number',
        min: 0,
        defaultText: `${D.repetitionPenalty}`,
        help: 'penalty for characters already seen, 1 = off',
      },
      seed: {
        type: 'int',
        ...SEED_RANGE,
        defaultText: 'random',
        help: 'random seed: the same seed gives the same text',
      },
      samples: { type: 'int', min: 1, default: 1, help: 'number of samples, drawn together as one batch' },
    },
  },
  async ({ opts }) => {
    await initBackend();
    const lm = loadCharLm(opts.model);
    const samples = opts.samples;
    const prime = opts.prime ?? '\n';
    const sampling = charLmSampling(lm, {
      maxNewTokens: opts.length,
      temperature: opts.temperature,
      topK: opts.topK,
      topP: opts.topP,
      minP: opts.minP,
      typicalP: opts.typicalP,
      repetitionPenalty: opts.repetitionPenalty,
      seed: opts.seed,
      samples,
    });
    const stream = generate(lm.net, primeIds(lm, prime), sampling);
    const printPrime = prime !== '\n' ? prime : '';
    if (samples === 1) {
      process.stdout.write(printPrime);
      for await (const t of stream) await writeStdout(lm.tokenizer.decode([t.token]));
      process.stdout.write('\n');
    } else {
      // Several samples come interleaved; print each whole, one after the other.
      const texts = Array.from({ length: samples }, () => printPrime);
      for await (const t of stream) texts[t.sample] += lm.tokenizer.decode([t.token]);
      for (const [i, text] of texts.entries()) await writeStdout(`--- sample ${i + 1} ---\n${text}\n`);
    }
    lm.net.dispose();
    return 0;
  },
);
