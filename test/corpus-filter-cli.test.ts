// `parley corpus filter`: kept lines verbatim and in order, removed ones reported, inputs never rewritten.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { filterCommand } from '../apps/parley/src/corpus-filter';

const dir = mkdtempSync(join(tmpdir(), 'parley-filter-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INPUT =
  [
    'Hello, world!\tOlá, mundo!\tsubs',
    'Janice?\tJanice!\tsubs',
    'Hello world\tolá mundo\ttatoeba',
    'I like coffee very much.\tEu gosto muito de café.\ttatoeba',
    'Yes.\tSim, claro, com certeza, pode contar comigo sempre que precisar.\tsubs',
  ].join('\n') + '\n';

async function run(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await filterCommand.run(argv), stderr };
  } finally {
    spy.mockRestore();
  }
}

describe('parley corpus filter', () => {
  const input = join(dir, 'in.tsv');
  writeFileSync(input, INPUT);

  it('writes the kept lines with all their columns, and the removed ones with their rule', async () => {
    const out = join(dir, 'out.tsv');
    const removed = join(dir, 'removed.tsv');
    const r = await run([input, '--source-column', '2', '--target-column', '1', '-o', out, '--removed', removed]);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      'Hello, world!\tOlá, mundo!\tsubs\nI like coffee very much.\tEu gosto muito de café.\ttatoeba\n',
    );
    expect(
      readFileSync(removed, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t').at(-1)),
    ).toEqual(['identical', 'duplicate', 'ratio']);
    expect(r.stderr).toContain('in.tsv: 5 pairs, kept 2 (removed: identical 1, duplicate 1, ratio 1)');
    expect(readFileSync(input, 'utf8')).toBe(INPUT);
  });

  it('refuses to write over one of its inputs, and names bad lines with file:line', async () => {
    const r = await run([input, '-o', input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the input/);
    expect(readFileSync(input, 'utf8')).toBe(INPUT);
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'Hello\tOlá\nonly one column\n');
    const b = await run([bad, '-o', join(dir, 'x.tsv')]);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${bad}:2:`);
  });
});
