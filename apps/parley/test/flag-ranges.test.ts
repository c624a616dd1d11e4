// The range audit of every command's numeric flags: each int/number option declares a range (min/max), and
// each command, run with a value just outside it, exits 2 with `parley <command>: --flag: must be …` before
// doing any work. The table is built from the declarations, so a flag added later without a range fails here.
// `parley eval` keeps sacreBLEU's own flags: its table is written out below.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flagName, type Command, type NumberOption, type OptionSpecs } from '../src/command';

const COMMANDS = fileURLToPath(new URL('../src/commands/', import.meta.url));

interface Declared extends Command {
  spec?: { name: string; options: OptionSpecs };
  subcommands?: Record<string, Declared>;
}

async function commands(): Promise<Declared[]> {
  const out: Declared[] = [];
  for (const file of readdirSync(COMMANDS).filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.'))) {
    const { command } = (await import(`${COMMANDS}${file}`)) as { command: Declared };
    out.push(...(command.subcommands ? Object.values(command.subcommands) : [command]));
  }
  return out;
}

/** Runs a command in-process; its exit code and what it printed on stderr. */
async function run(command: Command, argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const code = await command.run(argv);
  vi.restoreAllMocks();
  return { code, stderr };
}
afterEach(() => vi.restoreAllMocks());

describe('numeric flags', () => {
  it('every int/number option of every command declares a range, and a value outside it exits 2', async () => {
    const rows: string[] = [];
    for (const command of await commands()) {
      if (!command.spec) continue; // eval: below
      for (const [key, o] of Object.entries(command.spec.options)) {
        if (o.type !== 'int' && o.type !== 'number') continue;
        const n = o as NumberOption;
        const flag = `--${flagName(key)}`;
        expect(n.min !== undefined || n.max !== undefined, `${command.spec.name} ${flag} declares no range`).toBe(true);
        const bad = n.min !== undefined ? n.min - 1 : n.max! + 1;
        const r = await run(command, [`${flag}=${bad}`]);
        expect(r.code, `${command.spec.name} ${flag}=${bad}`).toBe(2);
        expect(r.stderr).toContain(`parley ${command.spec.name}: ${flag}: must be `);
        expect(r.stderr).toContain(`got "${bad}"`);
        if (n.type === 'int') {
          const frac = await run(command, [`${flag}=${(n.min ?? 0) + 1.5}`]);
          expect(frac.code).toBe(2);
          expect(frac.stderr).toContain(`${flag}: must be an integer`);
        }
        rows.push(`${command.spec.name} ${flag}`);
      }
    }
    // The audit saw the flags it is about (sampling, beam, columns, sizes, seeds).
    for (const row of ['generate --temperature', 'generate --top-p', 'generate --seed', 'translate --beam'])
      expect(rows).toContain(row);
    expect(rows.length).toBeGreaterThan(20);
  }, 300_000);

  it.each([
    [['-w', '-1'], '--width/-w: must be in [0, 100]'],
    [['-nr', '0'], '--num-refs/-nr: must be ≥ 1'],
    [['--confidence-n', '0'], '--confidence-n/-cin: must be ≥ 1'],
    [['--paired-bs-n', '0'], '--paired-bs-n/-pbsn: must be ≥ 1'],
    [['--paired-ar-n', '-5'], '--paired-ar-n/-parn: must be ≥ 1'],
    [['--smooth-value', '-0.1'], '--smooth-value/-sv: must be ≥ 0'],
    [['--max-ngram-order', '5'], '--max-ngram-order: must be in [1, 4]'],
    [['--chrf-char-order', '-1'], '--chrf-char-order/-cc: must be ≥ 0'],
    [['--chrf-word-order', '-1'], '--chrf-word-order/-cw: must be ≥ 0'],
    [['--chrf-beta', '-2'], '--chrf-beta: must be ≥ 0'],
  ])('eval %j exits 2 with its range', async (argv, message) => {
    const { command } = (await import('../src/commands/eval')) as { command: Command };
    const r = await run(command, ['ref.txt', '-i', 'hyp.txt', ...argv]);
    expect(r.stderr).toContain(`sacreBLEU: argument ${message}`);
    expect(r.code).toBe(2);
  });
});
