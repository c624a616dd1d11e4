// Empty input is a clear error, never an empty model: `parley tokenizer train` on an empty file names the file
// and says it is empty (a word tokenizer of 4 special ids was written, and BPE spoke of "a vocabulary of 4 pieces");
// `parley train` (every config kind) and `parley embeddings train` on an empty or all-blank data file print one
// line naming the config key and the file and exit 2, before any directory is made (a seq2seq run trained 0
// updates and exited 0; the others said "dev + test (2) exceed the 0 groups", "file:0: only 0 word(s)" or
// "file:1: empty line" with exit 1).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { command } from './tokenizer';
import { command as train } from './train';
import { command as embeddings } from './embeddings';

const dir = mkdtempSync(join(tmpdir(), 'parley-empty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  cmd: { run(argv: string[]): Promise<number> },
  argv: string[],
): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await cmd.run(argv), err, out };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

describe('empty input', () => {
  it.each(['word', 'char', 'bpe', 'unigram'])('tokenizer train --model-type %s refuses an empty file', async (type) => {
    const empty = join(dir, `empty-${type}.txt`);
    writeFileSync(empty, type === 'char' ? '\n  \n' : '');
    const out = join(dir, `tok-${type}`);
    const r = await run(command, [
      'train',
      '--model-type',
      type,
      '--vocab-size',
      '20',
      '--input',
      empty,
      '--output',
      out,
    ]);
    expect(r.err).toContain(`${empty}: no text to train on (the input is empty)`);
    expect(r.code).toBe(1);
    expect(existsSync(`${out}.json`) || existsSync(`${out}.model`)).toBe(false);
  });

  /** A config of `kind` reading `data` and writing under `out`. */
  const config = (kind: string, data: string, out: string): string => {
    const body: Record<string, string[]> = {
      charlm: [
        `data: { corpus: ${data}, validation: 1, test: 1, minCharCount: 1 }`,
        'model: { layers: 1, hidden: 8, embedding: 4, dropout: 0 }',
        'training: { batchSize: 2, seqLen: 8, maxSteps: 2 }',
        `output: { dir: ${out}, workDir: ${out}-work }`,
      ],
      seq2seq: [
        `modelDir: ${out}`,
        `data: { train: [${data}], dev: ${data} }`,
        'model: { encoder: { embeddingDim: 4, hiddenSize: 4 }, decoder: { embeddingDim: 4, hiddenSize: 4 } }',
        'training: { maxUpdates: 2 }',
      ],
      classifier: [`modelDir: ${out}`, `data: { file: ${data}, dev: 0.1, test: 0.1 }`, 'model: { type: naive-bayes }'],
      embeddings: [`data: { corpus: ${data}, minCount: 1 }`, 'model: { dim: 4 }', `output: { dir: ${out} }`],
    };
    const path = join(dir, `${kind}-${out.split('/').at(-1)}.yaml`);
    writeFileSync(path, [`kind: ${kind}`, 'name: empty', ...body[kind]!, ''].join('\n'));
    return path;
  };

  const cases = ['charlm', 'seq2seq', 'classifier', 'embeddings'].flatMap((kind) =>
    [
      ['empty', ''],
      ['all-blank', '\n  \n\t\n\n'],
    ].map(([name, text]) => [kind, name!, text!] as const),
  );
  it.each(cases)(
    'parley train, kind %s: a data file that is %s is one line naming it, exit 2',
    async (kind, name, text) => {
      const data = join(dir, `${kind}-${name}.txt`);
      writeFileSync(data, text);
      const out = join(dir, `out-${kind}-${name}`);
      const r = await run(train, [config(kind, data, out)]);
      const key = {
        charlm: 'data.corpus',
        seq2seq: 'data.train[0]',
        classifier: 'data.file',
        embeddings: 'data.corpus',
      }[kind];
      const problem = name === 'empty' ? 'is empty' : 'holds only blank lines';
      expect(r.err.replace(/^(backend|model directory|work directory): .*\n/gm, '')).toBe(
        `parley train: ${key}: ${data} ${problem}: there is no text to train on\n`,
      );
      expect(r.code).toBe(2);
      expect(r.out).not.toMatch(/NaN/);
      expect(existsSync(out) || existsSync(`${out}-work`)).toBe(false); // refused before any directory is made
    },
  );

  it('parley embeddings train on an all-blank corpus: the same line, exit 2', async () => {
    const data = join(dir, 'emb-blank.txt');
    writeFileSync(data, '\n \n');
    const out = join(dir, 'out-emb-cmd');
    const r = await run(embeddings, ['train', config('embeddings', data, out)]);
    expect(r.err).toContain(`data.corpus: ${data} holds only blank lines: there is no text to train on`);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('parley train, kind charlm: a corpus too small to hold out validation and test says so, exit 2', async () => {
    const data = join(dir, 'one-episode.tsv');
    writeFileSync(data, '#EPISODE\tS01E01\nPenny\tHi.\nSheldon\tHello.\n');
    const r = await run(train, [config('charlm', data, join(dir, 'out-one'))]);
    expect(r.err).toContain(
      `data.corpus: ${data} has 1 episode: too few to hold out data.validation (1) and data.test (1) and train on the rest`,
    );
    expect(r.code).toBe(2);
  });
});
