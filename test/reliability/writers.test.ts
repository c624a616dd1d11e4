// Every command that writes files refuses, before any work, to destroy what it did not make: an output that is
// one of its inputs, a directory where a file goes (or a file where a directory goes), a read-only file, a
// directory holding something else. Each refusal is a usage error (exit 2) naming the path, and the file that
// was there is unchanged. (translate -o and corpus filter -o: translate-output.test.ts, corpus-filter-cli.test.ts;
// train for every kind: the run-directory tests beside each trainer.) Each spawns the CLI several times, so each
// has a long timeout: a busy machine makes them slow, not wrong.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { resolveModelConfig, saveSeq2seq, Seq2seqModel } from '@parley/core';
import { WordTokenizer } from '@parley/text';
import { REPO_ROOT } from '../support/shared';
import { spawnSyncFileStderr } from '../support/spawn-sync';

let dir = '';
const ckpt = (n: number) => join(dir, 'run', 'checkpoints', `best-${n}`);
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'parley-writers-'));
  const tok = WordTokenizer.train(['o gato come peixe', 'the cat eats fish'], { maxTokens: 50 });
  for (const seed of [1, 2]) {
    const m = new Seq2seqModel(
      resolveModelConfig({
        vocabSize: tok.vocabSize,
        encoder: { embeddingDim: 8, hiddenSize: 8 },
        decoder: { embeddingDim: 8, hiddenSize: 8 },
      }),
      seed,
    );
    saveSeq2seq(ckpt(seed), m, tok);
    m.dispose();
  }
  writeFileSync(join(dir, 'dev.tsv'), 'the cat\to gato\n');
  writeFileSync(join(dir, 'test.tsv'), 'the fish\to peixe\n');
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'kind: seq2seq',
      `modelDir: ${ckpt(1)}`,
      'data:',
      '  train: [dev.tsv]',
      '  dev: { path: dev.tsv, source: 2, target: 1 }',
      '  test: { path: test.tsv, source: 2, target: 1 }',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'corpus.txt'), 'the cat eats fish\nthe dog eats meat\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stderr to a file, as `parley … 2> file` in a shell (test/support/spawn-sync.ts says why). */
const parley = (args: string[]) =>
  spawnSyncFileStderr(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), ...args], {
    encoding: 'utf8',
    cwd: REPO_ROOT,
    timeout: 300_000,
  });

/** Runs `args`, expects a refusal (exit 2, one line naming `path` and `why`), and that `path` is unchanged. */
function refused(args: string[], path: string, why: RegExp): void {
  const before = snapshot(path);
  const r = parley(args);
  expect(r.stderr).toMatch(why);
  expect(r.stderr).toContain(path);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(r.status).toBe(2);
  expect(snapshot(path)).toEqual(before);
}

function expectOk(r: ReturnType<typeof parley>): void {
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}

function snapshot(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    try {
      return readdirSync(path)
        .sort()
        .map((f) => `${f}: ${snapshot(join(path, f))}`)
        .join('\n');
    } catch {
      return '(missing)';
    }
  }
}

describe('writers refuse to destroy what they did not make', () => {
  it('parley average: -o is one of the inputs, a file, or a directory holding other files', () => {
    refused(['average', '-o', ckpt(1), ckpt(1), ckpt(2)], ckpt(1), /is the input/);
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'my notes\n');
    refused(['average', '-o', file, ckpt(1), ckpt(2)], file, /is a file/);
    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.tex'), 'chapter 1\n');
    refused(['average', '-o', mine, ckpt(1), ckpt(2)], mine, /Parley did not write.*--overwrite/);
    // A directory of its own kind and run is replaced, as before.
    const out = join(dir, 'averaged');
    expectOk(parley(['average', '-o', out, ckpt(1), ckpt(2)]));
    expectOk(parley(['average', '-o', out, ckpt(1), ckpt(2)]));
  }, 900_000);

  it('parley tokenizer train: --output files that are an input, a directory or read-only', () => {
    const input = join(dir, 'corpus.json');
    writeFileSync(input, '{"the": 1}\nthe cat\n');
    const base = ['tokenizer', 'train', '--model-type', 'word', '--vocab-size', '20'];
    refused([...base, '--input', input, '--output', join(dir, 'corpus')], input, /is the input file/);
    mkdirSync(join(dir, 'tok.json'));
    refused(
      [...base, '--input', join(dir, 'corpus.txt'), '--output', join(dir, 'tok')],
      join(dir, 'tok.json'),
      /is a directory/,
    );
    const locked = join(dir, 'locked.json');
    writeFileSync(locked, 'keep me\n');
    chmodSync(locked, 0o444);
    refused([...base, '--input', join(dir, 'corpus.txt'), '--output', join(dir, 'locked')], locked, /is read-only/);
    const fresh = parley([...base, '--input', join(dir, 'corpus.txt'), '--output', join(dir, 'fresh')]);
    expect(fresh.status).toBe(0);
    expect(fresh.stderr).toMatch(/^wrote .*fresh\.json: \d+ ids from \d+ lines\n$/); // its one report line
    expect(existsSync(join(dir, 'fresh.json'))).toBe(true);
  }, 900_000);

  it('parley test --out: a file where the directory goes, a read-only output, checked before decoding', () => {
    const config = join(dir, 'config.yaml');
    const file = join(dir, 'scores');
    writeFileSync(file, 'not a directory\n');
    refused(['test', config, '--out', file], file, /is a file/);
    const out = join(dir, 'hyps');
    mkdirSync(out);
    const locked = join(out, 'dev.beam5.txt');
    writeFileSync(locked, 'my translations\n');
    chmodSync(locked, 0o444);
    refused(['test', config, '--out', out, '--beam', '5'], locked, /is read-only/);
  }, 900_000);
});
