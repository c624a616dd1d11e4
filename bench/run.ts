// `npm run bench -- <suite> [--json] [suite options]`: runs bench/<suite>.ts.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Measurement } from './lib';
import { report } from './lib';

export interface Suite {
  /** Runs the suite's cases; progress goes to stderr, results are returned. */
  run(args: string[]): Promise<Measurement[]>;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const suites = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['run.ts', 'lib.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));

const args = process.argv.slice(2);
const json = args.includes('--json');
const rest = args.filter((a) => a !== '--json');
const name = rest.shift();
const help = name === '--help' || name === '-h';
if (!name || help || !existsSync(`${dir}${name}.ts`)) {
  (name && !help ? process.stderr : process.stdout).write(
    `usage: npm run bench -- <suite> [--json] [suite options]\nsuites: ${suites.join(', ') || '(none yet)'}\n` +
      `Run 'npm run bench -- <suite> --help' for a suite's options.\n`,
  );
  process.exit(name && !help ? 2 : 0);
}
const suite = (await import(`./${name}.ts`)) as Suite;
report(await suite.run(rest), json);
