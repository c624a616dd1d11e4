// `parley translate -o` under interruption, end to end: the real bin is spawned, signalled and resumed, and the
// files are checked. Nothing written is lost, the resumed output equals an uninterrupted run, a second job cannot
// write the same output, and --resume refuses a partial made from another input.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { resolveModelConfig, saveSeq2seq, Seq2seqModel } from '@parley/core';
import { WordTokenizer } from '@parley/text';
import { size, start, until } from './support';

let dir = '';
let model = '';
let input = '';

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'parley-reliability-'));
  model = join(dir, 'model');
  const words = ['o', 'gato', 'come', 'peixe', 'the', 'cat', 'eats', 'fish', 'bom', 'dia'];
  const tok = WordTokenizer.train([words.join(' ')], { maxTokens: 50, standardize: 'none', normalization: 'NFC' });
  const m = new Seq2seqModel(
    resolveModelConfig({
      vocabSize: tok.vocabSize,
      encoder: { embeddingDim: 16, hiddenSize: 16 },
      decoder: { embeddingDim: 16, hiddenSize: 16 },
    }),
    7,
  );
  saveSeq2seq(model, m, tok, { training: { config: { testing: { alpha: 1, maxLengthRatio: 1.5 } } } });
  m.dispose();
  input = join(dir, 'in.txt');
  const lines = Array.from({ length: 2000 }, (_, i) =>
    Array.from({ length: 3 + (i % 5) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '),
  );
  writeFileSync(input, lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (out: string, ...more: string[]) => [
  'translate',
  '--model',
  model,
  '-i',
  input,
  '-o',
  out,
  '--beam',
  '1',
  ...more,
];

describe('translate -o under interruption', () => {
  it('SIGTERM keeps the partial and prints the resume command (exit 143); a second job on the same -o is refused; the resumed output equals an uninterrupted run', async () => {
    const out = join(dir, 'out.txt');
    const first = start(args(out));
    await until(() => size(`${out}.partial`) > 0, first, 180_000, 'the first translated lines');
    // While it runs (held still, so it cannot finish first), another job may not write the same output.
    first.child.kill('SIGSTOP');
    const second = start(args(out));
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(new RegExp(`another parley \\(pid ${first.child.pid}\\) is writing it`));
    first.child.kill('SIGTERM');
    first.child.kill('SIGCONT');
    expect(await first.exited, first.stderr()).toBe(143);
    expect(first.stderr()).toMatch(/stopped by SIGTERM; \d+ lines are kept in .*out\.txt\.partial/);
    expect(first.stderr()).toMatch(/resume with: parley translate .* --resume/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial.json`)).toBe(true);
    expect(existsSync(`${out}.lock`)).toBe(false);
    const kept = readFileSync(`${out}.partial`, 'utf8');

    // --resume from another input is refused, and the partial stays as it was.
    const other = join(dir, 'other.txt');
    writeFileSync(other, 'bom dia\n');
    const wrong = start(['translate', '--model', model, '-i', other, '-o', out, '--beam', '1', '--resume']);
    expect(await wrong.exited).toBe(1);
    expect(wrong.stderr()).toContain('was made from a different input');
    const otherBeam = start(args(out, '--resume', '--beam', '2'));
    expect(await otherBeam.exited).toBe(1);
    expect(otherBeam.stderr()).toContain('was made with beam 1, this run has 2');
    expect(readFileSync(`${out}.partial`, 'utf8')).toBe(kept);

    const resumed = start(args(out, '--resume'));
    expect(await resumed.exited, resumed.stderr()).toBe(0);
    expect(resumed.stderr()).toMatch(/resuming .*out\.txt\.partial: \d+ of 2000 lines already translated/);
    expect(existsSync(`${out}.partial`) || existsSync(`${out}.partial.json`) || existsSync(`${out}.lock`)).toBe(false);
    const got = readFileSync(out, 'utf8');
    expect(got.startsWith(kept)).toBe(true);

    const ref = join(dir, 'ref.txt');
    const whole = start(args(ref));
    expect(await whole.exited, whole.stderr()).toBe(0);
    expect(got).toBe(readFileSync(ref, 'utf8'));
  }, 600_000);
});
