// End-to-end: `parley tokenizer train|encode|decode` as a user runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/shared';
import { tempFile, tempPath } from './tmp';

function parley(args: string[], input: string | Buffer = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'apps/parley/src/cli.tsx', ...args], { cwd: REPO_ROOT, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TEXT = ['The quick brown fox jumps over the lazy dog.', 'O rápido cachorro marrom pula sobre a raposa.', 'Bazinga! Penny, Penny, Penny.'];
const corpus = Array.from({ length: 40 }, (_, i) => TEXT[i % 3]).join('\n') + '\n';

describe('parley tokenizer', () => {
  it('trains a BPE model, encodes to pieces/ids line by line and decodes back', () => {
    const prefix = tempPath('cli-bpe');
    const t = parley(['tokenizer', 'train', '--input', tempFile(corpus), '--vocab-size', '100', '--output', prefix]);
    expect(t.stderr).toMatch(/wrote .*\.model and .*\.vocab: 100 pieces from 40 sentences/);
    expect(t.code).toBe(0);
    expect(existsSync(`${prefix}.vocab`)).toBe(true);
    const input = `${TEXT[0]}\n\n${TEXT[1]}\n`;
    const ids = parley(['tokenizer', 'encode', '--model', `${prefix}.model`, '--output-format', 'id'], input);
    expect(ids.code).toBe(0);
    const lines = ids.stdout.split('\n');
    expect(lines).toHaveLength(4); // 3 lines + final newline; the empty line stays empty
    expect(lines[1]).toBe('');
    expect(lines[0]).toMatch(/^\d+( \d+)*$/);
    const back = parley(['tokenizer', 'decode', '--model', `${prefix}.model`, '--input-format', 'id'], ids.stdout);
    expect(back.stdout).toBe(input);
    const pieces = parley(['tokenizer', 'encode', '--model', `${prefix}.model`], 'Penny, Penny\n');
    expect(pieces.stdout).toMatch(/^▁Penny , ▁Penny\n$/);
  });

  it('names <stdin>:line for invalid UTF-8, and with --skip-bad-lines keeps line alignment and reports the count', () => {
    const model = tempPath('cli-char');
    expect(parley(['tokenizer', 'train', '--input', tempFile(corpus), '--vocab-size', '100', '--model-type', 'char', '--output', model]).code).toBe(0);
    const bad = Buffer.concat([Buffer.from('Bazinga\n'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('\nPenny\n')]);
    const fail = parley(['tokenizer', 'encode', '--model', `${model}.json`], bad);
    expect(fail.code).toBe(1);
    expect(fail.stderr).toMatch(/<stdin>:2: invalid UTF-8/);
    const skip = parley(['tokenizer', 'encode', '--model', `${model}.json`, '--skip-bad-lines'], bad);
    expect(skip.code).toBe(0);
    expect(skip.stdout).toBe('B a z i n g a\n\nP e n n y\n');
    expect(skip.stderr).toMatch(/skipped 1 \(invalid UTF-8: 1\)/);
  });

  it('rejects a training TSV with a short line, naming file and line; usage errors exit 2', () => {
    const tsv = tempFile('a\tb\nno tab here\n');
    const r = parley(['tokenizer', 'train', '--input', tsv, '--columns', '0,1', '--vocab-size', '50', '--output', tempPath('x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${tsv}:2: wrong column count`);
    expect(parley(['tokenizer', 'encode']).code).toBe(2);
  });
});
