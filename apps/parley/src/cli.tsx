// The `parley` command. `parley <command> [options]` runs src/commands/<command>.ts(x);
// `parley` alone opens the terminal app on a terminal, and prints help otherwise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Command {
  /** One line shown by `parley help`. */
  summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

const COMMANDS_DIR = fileURLToPath(new URL('./commands/', import.meta.url));

function commandFile(name: string): string | undefined {
  if (!/^[a-z][a-z-]*$/.test(name)) return undefined;
  for (const ext of ['.ts', '.tsx']) {
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
  const [name, ...rest] = argv;
  if (name === undefined) {
    const interactive = process.stdout.isTTY && process.stdin.isTTY && process.env.CI !== 'true';
    const open = await loadCommand(interactive ? 'app' : 'help');
    return open ? open.run(rest) : 0;
  }
  if (name === '--help' || name === '-h') return (await loadCommand('help'))!.run(rest);
  const command = await loadCommand(name);
  if (!command) {
    process.stderr.write(`parley: unknown command '${name}'. Run 'parley help' for the list.\n`);
    return 2;
  }
  return command.run(rest);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`parley: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
