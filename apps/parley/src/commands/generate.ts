// `parley generate --model DIR [--prime TEXT] [--length N] [--temperature T] [--top-k K] [--top-p P]
// [--seed S] [--samples N]`: samples text from a char-LM, streaming it as it is made.
import { initBackend } from '@parley/engine';
import { generate } from '@parley/decode';
import { BOS_ID, EOS_ID, PAD_ID, UNK_ID } from '@parley/text';
import { loadCharLm } from '@parley/core';
import type { Command } from '../cli';

const FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string', help: 'char-LM model directory (default apps/parley/models/sheldon)' },
  prime: { type: 'string', help: 'text to continue (default: a new line)' },
  length: { type: 'int', help: 'characters to generate per sample (default 300)' },
  temperature: { type: 'number', help: 'softmax temperature, 0 = greedy (default 0.8)' },
  'top-k': { type: 'int', help: 'keep the k most likely characters, 0 = off (default 0)' },
  'top-p': { type: 'number', help: 'nucleus sampling mass, 1 = off (default 1)' },
  'min-p': { type: 'number', help: 'drop characters below this × the top probability (default 0)' },
  'typical-p': { type: 'number', help: 'locally typical sampling mass, 1 = off (default 1)' },
  'repetition-penalty': { type: 'number', help: 'penalty for characters already seen, 1 = off (default 1)' },
  seed: { type: 'int', help: 'random seed: the same seed gives the same text (default: random)' },
  samples: { type: 'int', help: 'number of samples, drawn together as one batch (default 1)' },
};

export const DEFAULT_MODEL = 'apps/parley/models/sheldon';

export const command: Command = {
  summary: 'sample text from a character-level language model',
  async run(argv) {
    let flags;
    try {
      flags = parseFlags('generate', argv, FLAGS);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    if (flags.help) return 0;
    try {
      await initBackend();
      const lm = loadCharLm(String(flags.model ?? DEFAULT_MODEL));
      const samples = Number(flags.samples ?? 1);
      const prime = String(flags.prime ?? '\n');
      const ids = lm.tokenizer.encode(prime.length ? prime : '\n');
      const stream = generate(lm.net, ids, {
        maxNewTokens: Number(flags.length ?? 300),
        temperature: Number(flags.temperature ?? 0.8),
        topK: Number(flags['top-k'] ?? 0),
        topP: Number(flags['top-p'] ?? 1),
        minP: Number(flags['min-p'] ?? 0),
        typicalP: Number(flags['typical-p'] ?? 1),
        repetitionPenalty: Number(flags['repetition-penalty'] ?? 1),
        ...(flags.seed !== undefined ? { seed: Number(flags.seed) } : {}),
        samples,
        bannedTokens: [PAD_ID, UNK_ID, BOS_ID, EOS_ID],
      });
      const printPrime = prime !== '\n' ? prime : '';
      if (samples === 1) {
        process.stdout.write(printPrime);
        for await (const t of stream) process.stdout.write(lm.tokenizer.decode([t.token]));
        process.stdout.write('\n');
      } else {
        // Several samples come interleaved; print each whole, one after the other.
        const texts = Array.from({ length: samples }, () => printPrime);
        for await (const t of stream) texts[t.sample] += lm.tokenizer.decode([t.token]);
        texts.forEach((text, i) => process.stdout.write(`--- sample ${i + 1} ---\n${text}\n`));
      }
      lm.net.dispose();
      return 0;
    } catch (err) {
      process.stderr.write(`parley generate: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  },
};

// Flag parsing shared by the char-LM commands (generate, chat, perplexity, info).
export interface FlagSpec {
  type: 'string' | 'int' | 'number' | 'boolean';
  help: string;
  /** Short alias, e.g. `i` for `-i`. */
  short?: string;
}

export type Flags = Record<string, string | number | boolean | undefined> & { help?: boolean };

/** Parses argv against `specs`; throws a message naming the bad flag and showing usage. */
export function parseFlags(cmd: string, argv: string[], specs: Record<string, FlagSpec>, positional: string[] = []): Flags {
  const usage = () =>
    `usage: parley ${cmd}${positional.map((p) => ` ${p}`).join('')} [options]\n` +
    Object.entries(specs)
      .map(([k, s]) => `  ${s.short ? `-${s.short}, ` : ''}--${k}${s.type === 'boolean' ? '' : ` ${s.type === 'string' ? 'TEXT' : 'N'}`}  ${s.help}`)
      .join('\n');
  const out: Flags = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(usage() + '\n');
      return { help: true };
    }
    if (!arg.startsWith('-') || arg === '-') {
      rest.push(arg);
      continue;
    }
    let name = arg.replace(/^--?/, '');
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const key = Object.keys(specs).find((k) => k === name || specs[k]!.short === name);
    if (!key) throw new Error(`parley ${cmd}: unknown option ${arg}\n${usage()}`);
    const spec = specs[key]!;
    if (spec.type === 'boolean') {
      out[key] = true;
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`parley ${cmd}: ${arg} needs a value\n${usage()}`);
    }
    if (spec.type === 'string') out[key] = value;
    else {
      const n = Number(value);
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n))) {
        throw new Error(`parley ${cmd}: ${arg} must be ${spec.type === 'int' ? 'an integer' : 'a number'}, got "${value}"`);
      }
      out[key] = n;
    }
  }
  if (rest.length > positional.length) throw new Error(`parley ${cmd}: unexpected argument "${rest[positional.length]}"\n${usage()}`);
  positional.forEach((_, i) => (out[`_${i}`] = rest[i]));
  return out;
}
