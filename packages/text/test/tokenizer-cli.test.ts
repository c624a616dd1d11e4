// `parley tokenizer train|encode|decode` as a user runs it: one real process end to end, the rest in-process
// (same command module, stdin/stdout swapped) to keep the suite fast.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { command } from '../../../apps/parley/src/commands/tokenizer';
import { REPO_ROOT } from '../../../test/support/shared';
import { tempFile, tempPath } from './tmp';

/** Runs `parley tokenizer …` in this process with `input` on stdin; collects exit code, stdout and stderr. */
async function tokenizer(args: string[], input: string | Buffer = '') {
  const stdin = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  Object.defineProperty(process, 'stdin', { value: Readable.from([Buffer.from(input)]), configurable: true });
  process.stdout.write = ((chunk: string | Uint8Array) => (
    (stdout += chunk.toString()),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    (stderr += chunk.toString()),
    true
  )) as typeof process.stderr.write;
  try {
    const code = await command.run(args);
    return { code, stdout, stderr };
  } finally {
    Object.defineProperty(process, 'stdin', stdin);
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const TEXT = [
  'The quick brown fox jumps over the lazy dog.',
  'O rápido cachorro marrom pula sobre a raposa.',
  'Bazinga! Penny, Penny, Penny.',
];
const corpus = Array.from({ length: 40 }, (_, i) => TEXT[i % 3]).join('\n') + '\n';

describe('parley tokenizer', () => {
  it('trains a BPE model, encodes to pieces/ids line by line and decodes back', async () => {
    const prefix = tempPath('cli-bpe');
    const t = await tokenizer(['train', '--input', tempFile(corpus), '--vocab-size', '100', '--output', prefix]);
    expect(t.stderr).toMatch(/wrote .*\.model and .*\.vocab: 100 pieces from 40 sentences/);
    expect(t.code).toBe(0);
    expect(existsSync(`${prefix}.vocab`)).toBe(true);
    const input = `${TEXT[0]}\n\n${TEXT[1]}\n`;
    // A real `parley` process: stdin → stdout, one line out per line in, the empty line stays empty.
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/parley/src/cli.tsx',
        'tokenizer',
        'encode',
        '--model',
        `${prefix}.model`,
        '--output-format',
        'id',
      ],
      {
        cwd: REPO_ROOT,
        input,
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^\d+( \d+)*$/);
    const back = await tokenizer(['decode', '--model', `${prefix}.model`, '--input-format', 'id'], r.stdout);
    expect(back.stdout).toBe(input);
    const pieces = await tokenizer(['encode', '--model', `${prefix}.model`], 'Penny, Penny\r\n');
    expect(pieces.stdout).toBe('▁Penny , ▁Penny\n');
    expect((await tokenizer(['decode', '--model', `${prefix}.model`], pieces.stdout)).stdout).toBe('Penny, Penny\n');
    const badId = await tokenizer(['decode', '--model', `${prefix}.model`, '--input-format', 'id'], '5 6\n7 x\n');
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/<stdin>:2: 'x' is not an id/);
  });

  it('names <stdin>:line for invalid UTF-8, and with --skip-bad-lines keeps line alignment and reports the count', async () => {
    const model = tempPath('cli-char');
    expect(
      (
        await tokenizer([
          'train',
          '--input',
          tempFile(corpus),
          '--vocab-size',
          '100',
          '--model-type',
          'char',
          '--output',
          model,
        ])
      ).code,
    ).toBe(0);
    const bad = Buffer.concat([Buffer.from('Bazinga\n'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\nPenny\n')]);
    const fail = await tokenizer(['encode', '--model', `${model}.json`], bad);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/<stdin>:2: invalid UTF-8/);
    const skip = await tokenizer(['encode', '--model', `${model}.json`, '--skip-bad-lines'], bad);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toBe('B a z i n g a\n\nP e n n y\n');
    expect(skip.stderr).toMatch(/skipped 1 \(invalid UTF-8: 1\)/);
  });

  it('rejects a training TSV with a short line, naming file and line; usage errors exit 2', async () => {
    const tsv = tempFile('a\tb\nno tab here\n');
    const r = await tokenizer([
      'train',
      '--input',
      tsv,
      '--columns',
      '0,1',
      '--vocab-size',
      '50',
      '--output',
      tempPath('x'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${tsv}:2: wrong column count`);
    const skipped = await tokenizer([
      'train',
      '--input',
      tsv,
      '--columns',
      '0,1',
      '--vocab-size',
      '10',
      '--model-type',
      'word',
      '--output',
      tempPath('w'),
      '--skip-bad-lines',
    ]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped 1 \(wrong column count: 1\)/);
    expect((await tokenizer(['encode'])).code).toBe(2);
    expect((await tokenizer(['train', '--input', tsv, '--vocab-size', 'many'])).stderr).toMatch(
      /--vocab-size: must be an integer ≥ 5, got "many"/,
    );
  });
});
