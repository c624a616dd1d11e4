// `parley translate` end to end on a tiny random model: one output line per input line, whatever the input.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '@parley/engine';
import { resolveModelConfig, saveSeq2seq, Seq2seqModel } from '@parley/core';
import { WordTokenizer } from '@parley/text';
import { splitLines } from '@parley/text';
import { command as translate, formatLine, inputLines } from '../apps/parley/src/commands/translate';
import { PassThrough } from 'node:stream';
import { lineBatches } from '../apps/parley/src/line-batches';
import { REPO_ROOT } from './support/shared';
import { stdoutLines } from './support/child-lines';

let dir = '';
let model = '';

beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'parley-translate-'));
  model = join(dir, 'model');
  const tok = WordTokenizer.train(['o gato come peixe', 'the cat eats fish'], {
    maxTokens: 50,
    standardize: 'none',
    normalization: 'NFC',
  });
  const m = new Seq2seqModel(
    resolveModelConfig({
      vocabSize: tok.vocabSize,
      encoder: { embeddingDim: 8, hiddenSize: 8 },
      decoder: { embeddingDim: 8, hiddenSize: 8 },
    }),
    3,
  );
  saveSeq2seq(model, m, tok, { training: { config: { testing: { alpha: 1, maxLengthRatio: 1.5 } } } });
  m.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parley(args: string[], input?: string) {
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), 'translate', ...args],
    {
      input,
      encoding: 'utf8',
      cwd: REPO_ROOT,
      env: { ...process.env, CI: 'true' },
      timeout: 300_000, // a busy machine makes start-up slow, not wrong
    },
  );
}

/** Runs `parley translate ARGS` in this process (cheaper than a spawn), capturing what it prints. */
async function translateHere(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
  const e = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  try {
    return { status: await translate.run(args), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('translate line handling', () => {
  it('splits lines like a user expects: BOM dropped, CRLF and LF, last line without newline', () => {
    expect(splitLines('\uFEFFa\r\n\r\nb\nc')).toEqual(['a', '', 'b', 'c']);
    expect(splitLines('a\n')).toEqual(['a']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines('\n\n')).toEqual(['', '']);
  });

  it('the streaming reader splits exactly like splitLines, whatever the chunk boundaries', async () => {
    const text = '\uFEFFo gato\r\n\r\ncome péixe\n\nfim\r\n   \núltima';
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const input = new PassThrough();
      const got: string[][] = [];
      const done = (async () => {
        for await (const b of lineBatches(input, { budget: 3, cost: (l) => l.split(' ').length, idleMs: 1 }))
          got.push(b);
      })();
      for (let i = 0; i < bytes.length; i += size) input.write(bytes.subarray(i, i + size));
      input.end();
      await done;
      expect(got.flat(), `chunk size ${size}`).toEqual(splitLines(text));
      // a batch of several lines stays within the budget (a single costlier line forms a batch of its own)
      for (const b of got.filter((b) => b.length > 1))
        expect(b.reduce((n, l) => n + l.split(' ').length, 0)).toBeLessThanOrEqual(3);
    }
  });

  it('the streaming reader judges bad lines as parley translate -o does (inputLines): empty in their place, or the end', async () => {
    const bytes = Buffer.concat([Buffer.from('a\r\nb\rc\n'), Buffer.from([0xff]), Buffer.from('\nd\n\ufeffe')]);
    const read = async (badLines: 'empty' | 'error') => {
      const input = new PassThrough();
      const got: string[] = [];
      const bad: string[] = [];
      const done = (async () => {
        for await (const b of lineBatches(input, {
          budget: 9,
          cost: () => 1,
          idleMs: 1,
          badLines,
          onBadLine: (e) => bad.push(e.message),
        }))
          got.push(...b);
      })().catch((e: unknown) => e);
      input.end(bytes);
      return { got, bad, error: await done };
    };
    const skipped = await read('empty');
    expect(skipped.got).toEqual(await inputLines(bytes, '<stdin>', true));
    expect(skipped.got).toEqual(['a', '', '', 'd', '']);
    expect(skipped.bad).toEqual([
      '<stdin>:2: carriage return inside the line',
      '<stdin>:3: invalid UTF-8 (byte offset 0 in the line)',
      '<stdin>:5: byte-order mark (U+FEFF) inside the file',
    ]);
    const stopped = await read('error');
    expect(stopped.got).toEqual(['a']);
    expect(String(stopped.error)).toContain('<stdin>:2: carriage return inside the line');
  });

  it('formats n-best and scores on one line', () => {
    const r = {
      source: 's',
      sourceTokens: [],
      hypotheses: [
        { text: 'a\nb', score: -1, logProb: -1, tokens: [], attention: [] },
        { text: 'c', score: -2, logProb: -2, tokens: [], attention: [] },
      ],
    };
    expect(formatLine(r, 2, true)).toBe('a b\t-1.0000\tc\t-2.0000');
    expect(formatLine(r, 1, false)).toBe('a b');
    expect(formatLine(undefined, 1, false)).toBe('');
  });

  it('piped: one output line per input line (empty lines, CRLF, BOM, a very long line)', () => {
    const long = Array.from({ length: 3000 }, () => 'gato').join(' ');
    const input = '\uFEFFo gato\r\n\r\ncome peixe\n\n' + long + '\n   \npeixe';
    const r = parley(['--model', model, '--beam', '3', '--with-score'], input);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.split('\n');
    expect(out.at(-1)).toBe('');
    out.pop();
    expect(out.length).toBe(7);
    expect(out[1]).toBe('');
    expect(out[3]).toBe('');
    expect(out[5]).toBe('');
    for (const i of [0, 2, 4, 6]) expect(out[i]).toMatch(/\t-?\d+\.\d{4}$/);
  }, 600_000);

  it('piped: streams — each line is answered while stdin stays open', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(REPO_ROOT, 'apps/parley/src/cli.tsx'),
        'translate',
        '--model',
        model,
        '--beam',
        '2',
        '--with-score',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, CI: 'true' },
      },
    );
    const out = stdoutLines(child);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      child.stdin.write('o gato come peixe\n');
      expect((await out.waitFor(1))[0]).toMatch(/\t-?\d+\.\d{4}$/);
      child.stdin.write('peixe\n');
      expect((await out.waitFor(2))[1]).toMatch(/\t-?\d+\.\d{4}$/);
      child.stdin.end();
      expect(await exited, out.stderr()).toBe(0);
      expect(out.lines.length).toBe(2);
      expect(out.partial()).toBe('');
    } finally {
      child.kill();
    }
  }, 600_000);

  it('-o writes through FILE.partial; --resume refuses a partial it cannot match to this input', () => {
    const inFile = join(dir, 'in.txt');
    const outFile = join(dir, 'out.txt');
    writeFileSync(inFile, 'o gato\ncome\n\npeixe\n');
    writeFileSync(`${outFile}.partial`, 'KEPT-1\nKEPT-2\nhalf a li');
    const foreign = parley(['--model', model, '-i', inFile, '-o', outFile, '--resume', '--beam', '1']);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain(`${outFile}.partial: no fingerprint`);
    expect(readFileSync(`${outFile}.partial`, 'utf8')).toBe('KEPT-1\nKEPT-2\nhalf a li');
    const r = parley(['--model', model, '-i', inFile, '-o', outFile, '--beam', '1']);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(`${outFile}.partial`)).toBe(false);
    expect(existsSync(`${outFile}.partial.json`)).toBe(false);
    expect(existsSync(`${outFile}.lock`)).toBe(false);
    expect(readFileSync(outFile, 'utf8').split('\n')).toHaveLength(5);
  }, 600_000);

  it('invalid UTF-8 names file:line, or with --skip-bad-lines leaves an empty output line; piped too', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(
      bad,
      Buffer.concat([Buffer.from('o gato\n'), Buffer.from([0xc3, 0x28]), Buffer.from(' come\npeixe\n')]),
    );
    const r = await translateHere(['--model', model, '-i', bad, '--beam', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:2: invalid UTF-8`);
    const skip = await translateHere(['--model', model, '-i', bad, '--beam', '1', '--skip-bad-lines']);
    expect(skip.status, skip.stderr).toBe(0);
    const out = skip.stdout.split('\n');
    expect(out).toHaveLength(4);
    expect(out[1]).toBe('');
    const piped = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), 'translate', '--model', model, '--beam', '1'],
      {
        input: readFileSync(bad),
        encoding: 'utf8',
        cwd: REPO_ROOT,
        env: { ...process.env, CI: 'true' },
        timeout: 120_000,
      },
    );
    expect(piped.status).toBe(1);
    expect(piped.stderr).toContain('<stdin>:2: invalid UTF-8');
    expect(piped.stdout.split('\n')).toHaveLength(2); // the line before it was translated
  }, 600_000);

  it('-o is checked before any work: the input itself, a directory, a read-only file; -i DIR names it', async () => {
    const inFile = join(dir, 'same.txt');
    writeFileSync(inFile, 'o gato\n');
    const same = await translateHere(['--model', model, '-i', inFile, '-o', inFile]);
    expect(same.status).toBe(2); // a refusal, as average -o, tokenizer train --output, test --out
    expect(same.stderr).toContain('is the input file');
    expect(readFileSync(inFile, 'utf8')).toBe('o gato\n');
    const toDir = await translateHere(['--model', model, '-i', inFile, '-o', dir]);
    expect(toDir.status).toBe(2);
    expect(toDir.stderr).toContain(`${dir}: is a directory`);
    expect(existsSync(`${dir}.partial`)).toBe(false);
    const ro = join(dir, 'ro.txt');
    writeFileSync(ro, 'keep\n');
    chmodSync(ro, 0o444);
    const r = await translateHere(['--model', model, '-i', inFile, '-o', ro]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is read-only');
    expect(readFileSync(ro, 'utf8')).toBe('keep\n');
    const fromDir = await translateHere(['--model', model, '-i', dir]);
    expect(fromDir.status).toBe(1);
    expect(fromDir.stderr).toContain(`${dir}: is a directory`);
  }, 600_000);

  it('a missing model is a clear error', () => {
    const r = parley(['--model', join(dir, 'nope')], 'x\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/manifest\.json: not found/);
  }, 600_000);
});
