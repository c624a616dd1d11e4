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
if (!name || !existsSync(`${dir}${name}.ts`)) {
  process.stderr.write(`usage: npm run bench -- <suite> [--json]\nsuites: ${suites.join(', ') || '(none yet)'}\n`);
  process.exit(name ? 2 : 0);
}
const suite = (await import(`./${name}.ts`)) as Suite;
report(await suite.run(rest), json);
