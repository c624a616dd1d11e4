// `parley perplexity --model DIR -i FILE [--format text|json]`: nats/char, bits/char and perplexity of
// a text under a char-LM. A dialogue TSV (`speaker<TAB>utterance`, `#EPISODE` lines) is laid out as the
// model was trained (`Speaker: text` lines, blank line between episodes); any other file is read as is.
// `--by-speaker` also breaks the loss down by who speaks, over each turn's text (after `Speaker: `).
import { existsSync, readFileSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import {
  evaluateIds,
  joinDocs,
  loadCharLm,
  lossFromNats,
  readDialogueDocs,
  scoreCharacters,
  type TextLoss,
} from '@parley/core';
import { normalizeText } from '@parley/text';
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
      'by-speaker': {
        type: 'boolean',
        help: "also score each speaker's turns (the text after `Speaker: `, newline included); dialogue input only",
      },
      speakers: {
        type: 'int',
        min: 1,
        default: 10,
        help: 'with --by-speaker: how many speakers to list, most characters first',
      },
    },
  },
  async ({ opts }) => {
    const { input, format } = opts;
    if (!input) throw new UsageError('-i FILE is required');
    if (!existsSync(input)) throw new Error(`${input}: not found`);
    await initBackend();
    const lm = loadCharLm(opts.model);
    const dialogue = opts.dialogue || input.endsWith('.tsv');
    if (opts['by-speaker'] && !dialogue)
      throw new UsageError('--by-speaker needs dialogue input (a .tsv or --dialogue)');
    const text = dialogue ? '\n' + joinDocs(await readDialogueDocs(input)) : readFileSync(input, 'utf8');
    const ids = Int32Array.from(lm.tokenizer.encode(text));
    if (ids.length < 2)
      throw new Error(
        `${input}: ${text.trim() === '' ? 'is empty' : 'is too short'}: perplexity needs at least two characters to score`,
      );
    const unknown = ids.reduce((n, id) => n + (id === 1 ? 1 : 0), 0);
    let loss: TextLoss;
    let bySpeaker: SpeakerLoss[] | undefined;
    if (opts['by-speaker']) {
      const { perChar, ...total } = await scoreCharacters(lm.net, ids);
      loss = total;
      bySpeaker = lossBySpeaker(normalizeText(text, lm.tokenizer.normalize), perChar).slice(0, opts.speakers);
    } else loss = await evaluateIds(lm.net, ids);
    const result = {
      model: opts.model,
      input,
      layout: dialogue ? 'dialogue turns' : 'raw text',
      ...loss,
      unknownChars: unknown,
      ...(bySpeaker ? { bySpeaker } : {}),
    };
    if (format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else {
      process.stdout.write(
        `${input} (${result.layout}, ${loss.chars.toLocaleString('en')} characters scored${unknown ? `, ${unknown} unknown` : ''}):\n` +
          `  ${loss.natsPerChar.toFixed(4)} nats/char  ${loss.bitsPerChar.toFixed(4)} bits/char  perplexity ${loss.perplexity.toFixed(3)}\n`,
      );
      if (bySpeaker) {
        const width = Math.max(7, ...bySpeaker.map((s) => s.speaker.length));
        process.stdout.write(`by speaker (turn text only):\n  ${'speaker'.padEnd(width)}  nats/char  characters\n`);
        for (const s of bySpeaker)
          process.stdout.write(
            `  ${s.speaker.padEnd(width)}  ${s.natsPerChar.toFixed(4).padStart(9)}  ${s.chars.toLocaleString('en').padStart(10)}\n`,
          );
      }
    }
    lm.net.dispose();
    return 0;
  },
);

/** One speaker's share of the loss. */
type SpeakerLoss = TextLoss & { speaker: string };

/**
 * Sums the per-character losses of each speaker's turn text (`Speaker: text\n` lines: the text and its
 * newline, not the name). `text` is what was encoded, one id per code point; unscored characters are skipped.
 */
function lossBySpeaker(text: string, perChar: Float32Array): SpeakerLoss[] {
  const totals = new Map<string, { nats: number; chars: number }>();
  let i = 0; // code-point index into perChar
  for (const line of text.split('\n')) {
    const points = [...line];
    const colon = line.indexOf(': ');
    if (colon > 0) {
      const speaker = line.slice(0, colon);
      const first = i + [...line.slice(0, colon + 2)].length;
      const t = totals.get(speaker) ?? { nats: 0, chars: 0 };
      for (let k = first; k <= i + points.length && k < perChar.length; k++) {
        const nats = perChar[k]!;
        if (Number.isNaN(nats)) continue;
        t.nats += nats;
        t.chars += 1;
      }
      totals.set(speaker, t);
    }
    i += points.length + 1;
  }
  return [...totals]
    .filter(([, t]) => t.chars > 0)
    .map(([speaker, t]) => ({ speaker, ...lossFromNats(t.nats, t.chars) }))
    .sort((a, b) => b.chars - a.chars);
}
