// `parley chat [--model DIR] [--as NAME] [--you NAME] [--temperature T] [--top-p P] [--seed S]`: a plain
// line-based chat with a char-LM trained on dialogue. You speak as a character of your choice
// (`--you Penny`, or `/you Leonard` during the chat); the model replies as `--as` (Sheldon).
import { createInterface } from 'node:readline';
import { initBackend } from '@parley/engine';
import { chatReply, loadCharLm, type ChatTurn } from '@parley/core';
import type { Command } from '../cli';
import { DEFAULT_MODEL, parseFlags, type FlagSpec } from './generate';

const FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string', help: 'char-LM model directory (default apps/parley/models/sheldon)' },
  as: { type: 'string', help: 'the character the model speaks as (default Sheldon)' },
  you: { type: 'string', help: 'the character you speak as (default Leonard)' },
  temperature: { type: 'number', help: 'softmax temperature, 0 = greedy (default 0.8)' },
  'top-p': { type: 'number', help: 'nucleus sampling mass, 1 = off (default 0.95)' },
  seed: { type: 'int', help: 'random seed (default: random)' },
};

export const command: Command = {
  summary: 'chat on a plain prompt with a dialogue char-LM (you speak as a character; it replies as Sheldon)',
  async run(argv) {
    let flags;
    try {
      flags = parseFlags('chat', argv, FLAGS);
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return 2;
    }
    if (flags.help) return 0;
    await initBackend();
    let lm;
    try {
      lm = loadCharLm(String(flags.model ?? DEFAULT_MODEL));
    } catch (err) {
      process.stderr.write(`parley chat: ${(err as Error).message}\n`);
      return 1;
    }
    const as = String(flags.as ?? 'Sheldon');
    let you = String(flags.you ?? 'Leonard');
    const history: ChatTurn[] = [];
    let seed = flags.seed !== undefined ? Number(flags.seed) : undefined;
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    const interactive = process.stdin.isTTY;
    const prompt = () => {
      if (!interactive) return;
      rl.setPrompt(`${you}: `);
      rl.prompt();
    };
    if (interactive) process.stdout.write(`Chatting with ${as}. You are ${you} (/you NAME to change, /quit to leave).\n`);
    prompt();
    try {
      // The async iterator buffers lines, so piped input is never lost while a reply is being generated.
      for await (const raw of rl) {
        const line = raw.trim();
        if (line === '/quit' || line === '/exit') break;
        if (line.startsWith('/you ')) {
          you = line.slice(5).trim() || you;
          prompt();
          continue;
        }
        if (!line) {
          prompt();
          continue;
        }
        history.push({ speaker: you, text: line });
        process.stdout.write(`${as}: `);
        let reply = '';
        for await (const ch of chatReply(lm, history, {
          as,
          temperature: Number(flags.temperature ?? 0.8),
          topP: Number(flags['top-p'] ?? 0.95),
          ...(seed !== undefined ? { seed: seed++ } : {}),
        })) {
          reply += ch;
          process.stdout.write(ch);
        }
        process.stdout.write('\n');
        history.push({ speaker: as, text: reply.trim() });
        prompt();
      }
    } finally {
      rl.close();
      lm.net.dispose();
    }
    return 0;
  },
};
