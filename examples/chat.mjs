// Chat with the bundled Sheldon char-LM: each line you type is a turn by Penny; Sheldon's reply streams
// back one character at a time. Ctrl-D ends.   node examples/chat.mjs [--seed N]
import { createInterface } from 'node:readline/promises';
import { initBackend } from '@parley/engine';
import { chatReply, loadCharLm } from '@parley/core';
import { bundledModel } from '@parley/app';

const seedFlag = process.argv.indexOf('--seed');
const seed = seedFlag > 0 ? Number(process.argv[seedFlag + 1]) : undefined;
await initBackend();
const sheldon = loadCharLm(bundledModel('sheldon'));
const history = [];
const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
const prompt = () => process.stdin.isTTY && rl.prompt(); // piped input gets replies only
rl.setPrompt('Penny: ');
prompt();
for await (const line of rl) {
  if (!line.trim()) continue;
  history.push({ speaker: 'Penny', text: line });
  process.stdout.write('Sheldon: ');
  let reply = '';
  for await (const ch of chatReply(sheldon, history, {
    temperature: 0.7,
    maxNewTokens: 200,
    ...(seed === undefined ? {} : { seed }),
  })) {
    process.stdout.write(ch);
    reply += ch;
  }
  process.stdout.write('\n');
  history.push({ speaker: 'Sheldon', text: reply });
  prompt();
}
sheldon.net.dispose();
