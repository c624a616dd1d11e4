// The `parley` command. `parley <command> [options]` runs src/commands/<command>.ts(x) (dist/commands/<command>.js built);
// `parley` alone opens the terminal app on a terminal, and prints help otherwise.
// Commands declare their options with defineCommand (./command.ts); errors print the one way (reportError).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { closest, reportError, type Command } from './command';
import { installProcessGuards } from './process-guard';
import { appUnavailable } from './terminal';

export type { Command } from './command';
export { installProcessGuards } from './process-guard';

const COMMANDS_DIR = fileURLToPath(new URL('./commands/', import.meta.url));

function commandFile(name: string): string | undefined {
  if (!/^[a-z][a-z-]*$/.test(name)) return undefined;
  for (const ext of ['.ts', '.tsx', '.js']) {
    const file = `${COMMANDS_DIR}${name}${ext}`;
    if (existsSync(file)) return file;
  }
  return undefined;
}

export async function loadCommand(name: string): Promise<Command | undefined> {
  const file = commandFile(name);
  if (!file) return undefined;
  const mod = (await import(file)) as { command: Command };
  return mod.command;
}

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  let name = first;
  if (name === undefined) {
    const open = await loadCommand(appUnavailable() ? 'help' : 'app');
    return open ? open.run(rest) : 0;
  }
  if (name === '--help' || name === '-h') name = 'help';
  const command = await loadCommand(name);
  if (!command) {
    const near = closest(name, commandNames());
    process.stderr.write(
      `parley: unknown command '${name}'${near ? ` (did you mean '${near}'?)` : ''}. Run 'parley help' for the list.\n`,
    );
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(name, err);
  }
}

/** The names of all commands (the files in ./commands). */
export function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => /^[a-z][a-z-]*\.(tsx?|js)$/.test(f))
    .map((f) => f.replace(/\.(tsx?|js)$/, ''))
    .sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  installProcessGuards();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = reportError('', err);
    },
  );
}
