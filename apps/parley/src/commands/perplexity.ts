// `parley perplexity --model DIR -i FILE [--format text|json]`: nats/char, bits/char and perplexity of
// a text under a char-LM. A dialogue TSV (`speaker<TAB>utterance`, `#EPISODE` lines) is laid out as the
// model was trained (`Speaker: text` lines, blank line between episodes); any other file is read as is.
import { existsSync, readFileSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import { evaluateIds, joinDocs, loadCharLm, readDialogueDocs } from '@parley/core';
import type { Command } from '../cli';
import { DEFAULT_MODEL, parseFlags, type FlagSpec } from './generate';

const FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string', help: 'char-LM model directory (default apps/parley/models/sheldon)' },
  input: { type: 'string', short: 'i', help: 'text file to score (.tsv dialogue files use the turn layout)' },
  format: { type: 'string', help: 'text or json (default text)' },
  dialogue: { type: 'boolean', help: 'read the input as a dialogue TSV whatever its name' },
};

export const command: Command = {
  summary: 'score a text with a char-LM: nats/char, bits/char, perplexity',
  async run(argv) {
    let flags;
    try {
      flags = parseFlags('perplexity', argv, FLAGS);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    if (flags.help) return 0;
    const input = flags.input as string | undefined;
    const format = String(flags.format ?? 'text');
    if (!input) {
      process.stderr.write('parley perplexity: -i FILE is required\n');
      return 2;
    }
    if (format !== 'text' && format !== 'json') {
      process.stderr.write(`parley perplexity: --format must be text or json, got "${format}"\n`);
      return 2;
    }
    try {
      if (!existsSync(input)) throw new Error(`${input}: not found`);
      await initBackend();
      const lm = loadCharLm(String(flags.model ?? DEFAULT_MODEL));
      const dialogue = flags.dialogue === true || input.endsWith('.tsv');
      const text = dialogue ? '\n' + joinDocs(await readDialogueDocs(input)) : readFileSync(input, 'utf8');
      const ids = Int32Array.from(lm.tokenizer.encode(text));
      const unknown = ids.reduce((n, id) => n + (id === 1 ? 1 : 0), 0);
      const loss = await evaluateIds(lm.net, ids);
      const result = { model: String(flags.model ?? DEFAULT_MODEL), input, layout: dialogue ? 'dialogue turns' : 'raw text', ...loss, unknownChars: unknown };
      if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        process.stdout.write(
          `${input} (${result.layout}, ${loss.chars.toLocaleString('en')} characters scored${unknown ? `, ${unknown} unknown` : ''}):\n` +
            `  ${loss.natsPerChar.toFixed(4)} nats/char  ${loss.bitsPerChar.toFixed(4)} bits/char  perplexity ${loss.perplexity.toFixed(3)}\n`,
        );
      }
      lm.net.dispose();
      return 0;
    } catch (err) {
      process.stderr.write(`parley perplexity: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  },
};
