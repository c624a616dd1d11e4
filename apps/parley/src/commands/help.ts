// `parley help`: lists the commands with their one-line summaries.
import { commandNames, loadCommand, type Command } from '../cli';

export const command: Command = {
  summary: 'list the commands',
  async run() {
    const names = commandNames();
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
