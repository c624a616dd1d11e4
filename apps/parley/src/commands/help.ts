import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCommand, type Command } from '../cli';

export const command: Command = {
  summary: 'list the commands',
  async run() {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const names = readdirSync(dir)
      .filter((f) => /^[a-z-]+\.tsx?$/.test(f) && !f.includes('.test.'))
      .map((f) => f.replace(/\.tsx?$/, ''))
      .sort();
    const lines = ['usage: parley <command> [options]', ''];
    for (const name of names) {
      const cmd = await loadCommand(name);
      if (cmd) lines.push(`  ${name.padEnd(12)} ${cmd.summary}`);
    }
    lines.push('', "Run 'parley' on a terminal to open the app.");
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
