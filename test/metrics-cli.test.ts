// `parley eval` against every command of sacreBLEU 2.6.0's recorded CLI outputs
// (../shared/vectors/sacrebleu-cli-examples.md): same stdout, same stderr, same exit code.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../apps/parley/src/commands/eval';
import { sharedFile, skipReason } from './support/shared';

const REL = 'vectors/sacrebleu-cli-examples.md';
const reason = skipReason(REL);

interface Example {
  cmd: string;
  exit: number;
  stdout: string;
  stderr: string;
}

function parseExamples(md: string): { files: Record<string, string>; examples: Example[] } {
  const files: Record<string, string> = {};
  for (const m of md.matchAll(/^### (\S+\.txt)\n\n```text\n([\s\S]*?)```/gm)) files[m[1]!] = m[2]!;
  const examples: Example[] = [];
  const parts = md.split(/^### `/m).slice(1);
  for (const part of parts) {
    const cmd = part.slice(0, part.indexOf('`'));
    if (!cmd.includes('sacrebleu')) continue;
    const exit = Number(/exit code: (\d+)/.exec(part)?.[1] ?? '0');
    const block = (label: string) => {
      const m = new RegExp(`${label}:\\n\\n\`\`\`text\\n([\\s\\S]*?)\`\`\``).exec(part);
      return m ? m[1]! : '';
    };
    examples.push({ cmd, exit, stdout: block('stdout'), stderr: block('stderr') });
  }
  return { files, examples };
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
  try {
    const code = await command.run(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

describe.skipIf(!!reason)('parley eval reproduces sacreBLEU 2.6.0 CLI outputs', () => {
  const { files, examples } = reason
    ? { files: {}, examples: [] }
    : parseExamples(readFileSync(sharedFile(REL)!, 'utf8'));
  const cwd = process.cwd();
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-eval-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    process.chdir(dir);
  });
  afterAll(() => process.chdir(cwd));

  it('finds the examples', () => {
    process.stderr.write(
      `sacreBLEU CLI examples: ${examples.length} commands, ${Object.keys(files).length} input files\n`,
    );
    expect(examples.length).toBeGreaterThan(15);
  });

  for (const ex of examples) {
    // `--version` names the Python entry point (`__main__.py 2.6.0`); parley prints `sacrebleu 2.6.0`.
    const skip = ex.cmd.includes('--version');
    it.skipIf(skip)(ex.cmd, async () => {
      // `cat F | sacrebleu ...` reads stdin; in-process, the same file is passed with -i.
      let line = ex.cmd;
      const piped = /^cat (\S+) \| (.*)$/.exec(line);
      if (piped) line = `${piped[2]} -i ${piped[1]}`;
      const argv = line.split(/\s+/).slice(1);
      const res = await run(argv);
      expect(res.stdout).toBe(ex.stdout);
      expect(res.stderr).toBe(ex.stderr);
      expect(res.code).toBe(ex.exit);
    });
  }
});

describe('parley eval errors and input handling', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-eval-err-'));
  const file = (name: string, content: string | Buffer) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const ref = file('ref.txt', 'a b c d\ne f g h\n');
  const hyp = file('hyp.txt', 'a b c d\ne f x h\n');

  it('names a missing file', async () => {
    const res = await run([ref, '-i', join(dir, 'nope.txt')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${join(dir, 'nope.txt')}: no such file`);
  });

  it('names both files and their line counts when they differ', async () => {
    const short = file('short.txt', 'a b c d\n');
    const res = await run([ref, '-i', short]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${short} has 1 lines, ${ref} has 2 lines`);
  });

  it('names the file and line of invalid UTF-8', async () => {
    const bad = file(
      'bad.txt',
      Buffer.concat([Buffer.from('a b c d\ne f '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]),
    );
    const res = await run([ref, '-i', bad]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${bad}: line 2 is not valid utf-8`);
  });

  it('refuses empty input like sacreBLEU (nothing to score)', async () => {
    const empty = file('empty.txt', '');
    const emptyRef = file('empty-ref.txt', '');
    const res = await run([emptyRef, '-i', empty]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/empty/);
  });

  it('--help is made from the one option table: every name it lists is one the parser knows', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    const names = [...help.stdout.matchAll(/^ {2}((?:-[\w-]+, )*--[\w-]+)/gm)].flatMap((m) => m[1]!.split(', '));
    expect(names).toEqual(expect.arrayContaining(['-tok', '--tokenize', '-nr', '--num-refs', '--chrf-beta', '-e']));
    for (const name of names) {
      const r = await run([ref, name, '-i', hyp]); // -i last: a flag's missing value never makes it read stdin
      expect(r.stderr, name).not.toContain('unrecognized arguments');
    }
    expect((await run([ref, '-t', 'wmt14'])).stderr).toContain('--test-set is not supported by parley eval');
  });

  it('rejects unknown options and invalid choices', async () => {
    expect((await run([ref, '-i', hyp, '--bogus'])).stderr).toContain('unrecognized arguments: --bogus');
    expect((await run([ref, '-i', hyp, '-tok', 'klingon'])).stderr).toContain("invalid choice: 'klingon'");
  });

  it('reads tab-separated references with --num-refs and prints scores only with -b', async () => {
    const tsv = file('refs.tsv', 'a b c d\ta b c e\ne f g h\te f x h\n');
    const res = await run([tsv, '-nr', '2', '-i', hyp, '-b', '-w', '2']);
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('100.00\n');
  });

  it('reads hypotheses from stdin when -i is absent', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(process.cwd(), 'apps/parley/src/cli.tsx'),
        'eval',
        ref,
        '-m',
        'bleu',
        'ter',
        '-f',
        'text',
        '-b',
      ],
      { input: readFileSync(hyp), cwd: process.cwd(), encoding: 'utf8' },
    );
    expect(out).toBe('61.8\n12.5\n'); // as with -i hyp.txt
  });
});
