// `parley perplexity --model DIR -i FILE [--format text|json]`: nats/char, bits/char and perplexity of
// a text under a char-LM. A dialogue TSV (`speaker<TAB>utterance`, `#EPISODE` lines) is laid out as the
// model was trained (`Speaker: text` lines, blank line between episodes); any other file is read as is.
import { existsSync, readFileSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import { evaluateIds, joinDocs, loadCharLm, readDialogueDocs } from '@parley/core';
import { defineCommand, UsageError } from '../command';
import { CHARLM_MODEL_OPTION } from '../paths';

export const command = defineCommand(
  {
    name: 'perplexity',
    summary: 'score a text with a char-LM: nats/char, bits/char, perplexity',
    options: {
      model: CHARLM_MODEL_OPTION,
      input: {
        type: 'string',
        short: 'i',
        arg: 'FILE',
        help: 'text file to score (.tsv dialogue files use the turn layout); required',
      },
      format: { type: 'string', choices: ['text', 'json'], default: 'text', help: 'output format' },
      dialogue: { type: 'boolean', help: 'read the input as a dialogue TSV whatever its name' },
    },
  },
  async ({ opts }) => {
    const { input, format } = opts;
    if (!input) throw new UsageError('-i FILE is required');
    if (!existsSync(input)) throw new Error(`${input}: not found`);
    await initBackend();
    const lm = loadCharLm(opts.model);
    const dialogue = opts.dialogue || input.endsWith('.tsv');
    const text = dialogue ? '\n' + joinDocs(await readDialogueDocs(input)) : readFileSync(input, 'utf8');
    const ids = Int32Array.from(lm.tokenizer.encode(text));
    if (ids.length < 2)
      throw new Error(
        `${input}: ${text.trim() === '' ? 'is empty' : 'is too short'}: perplexity needs at least two characters to score`,
      );
    const unknown = ids.reduce((n, id) => n + (id === 1 ? 1 : 0), 0);
    const loss = await evaluateIds(lm.net, ids);
    const result = {
      model: opts.model,
      input,
      layout: dialogue ? 'dialogue turns' : 'raw text',
      ...loss,
      unknownChars: unknown,
    };
    if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      process.stdout.write(
        `${input} (${result.layout}, ${loss.chars.toLocaleString('en')} characters scored${unknown ? `, ${unknown} unknown` : ''}):\n` +
          `  ${loss.natsPerChar.toFixed(4)} nats/char  ${loss.bitsPerChar.toFixed(4)} bits/char  perplexity ${loss.perplexity.toFixed(3)}\n`,
      );
    }
    lm.net.dispose();
    return 0;
  },
);
