// `parley chat [--model DIR] [--as NAME] [--you NAME] [--temperature T] [--top-p P] [--seed S]`: a plain
// line-based chat with a char-LM trained on dialogue. You speak as a character of your choice
// (`--you Penny`, or `/you Leonard` during the chat); the model replies as `--as` (Sheldon).
import { createInterface } from 'node:readline';
import { initBackend } from '@parley/engine';
import { CHAR_SAMPLING_DEFAULTS as D, chatReply, loadCharLm, type ChatTurn } from '@parley/core';
import { SEED_RANGE } from '@parley/core/schema';
import { defineCommand } from '../command';
import { CHARLM_MODEL_OPTION } from '../paths';

export const command = defineCommand(
  {
    name: 'chat',
    summary: 'chat on a plain prompt with a dialogue char-LM (you speak as a character; it replies as Sheldon)',
    options: {
      model: CHARLM_MODEL_OPTION,
      as: { type: 'string', arg: 'NAME', default: 'Sheldon', help: 'the character the model speaks as' },
      you: { type: 'string', arg: 'NAME', default: 'Leonard', help: 'the character you speak as' },
      // Unset sampling options resolve through resolveCharSampling: the model's, else CHAR_SAMPLING_DEFAULTS.
      temperature: { type: 'number', min: 0, defaultText: `${D.temperature}`, help: 'softmax temperature, 0 = greedy' },
      topP: { type: 'number', min: 0, max: 1, defaultText: `${D.topP}`, help: 'nucleus sampling mass, 1 = off' },
      seed: {
        type: 'int',
        ...SEED_RANGE,
        defaultText: 'random',
        help: "the conversation's random seed (its replies draw with S, S+1, …)",
      },
    },
  },
  async ({ opts }) => {
    await initBackend();
    const lm = loadCharLm(opts.model);
    const as = opts.as;
    let you = opts.you;
    const history: ChatTurn[] = [];
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    const interactive = process.stdin.isTTY;
    const prompt = () => {
      if (!interactive) return;
      rl.setPrompt(`${you}: `);
      rl.prompt();
    };
    if (interactive)
      process.stdout.write(`Chatting with ${as}. You are ${you} (/you NAME to change, /quit to leave).\n`);
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
          temperature: opts.temperature,
          topP: opts.topP,
          // The conversation's seed: chatReply draws reply n with seed + n (replySeed), as the Chat screen does.
          seed: opts.seed,
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
);
