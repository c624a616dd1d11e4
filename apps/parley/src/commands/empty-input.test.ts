// Empty input is a clear error, never an empty model: `parley tokenizer train` on an empty file names the file
// and says it is empty (a word tokenizer of 4 special ids was written, and BPE spoke of "a vocabulary of 4 pieces").
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { command } from './tokenizer';

const dir = mkdtempSync(join(tmpdir(), 'parley-empty-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    return { code: await command.run(argv), err };
  } finally {
    spy.mockRestore();
  }
}

describe('empty input', () => {
  it.each(['word', 'char', 'bpe', 'unigram'])('tokenizer train --model-type %s refuses an empty file', async (type) => {
    const empty = join(dir, `empty-${type}.txt`);
    writeFileSync(empty, type === 'char' ? '\n  \n' : '');
    const out = join(dir, `tok-${type}`);
    const r = await run(['train', '--model-type', type, '--vocab-size', '20', '--input', empty, '--output', out]);
    expect(r.err).toContain(`${empty}: no text to train on (the input is empty)`);
    expect(r.code).toBe(1);
    expect(existsSync(`${out}.json`) || existsSync(`${out}.model`)).toBe(false);
  });
});
