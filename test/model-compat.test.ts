// Models written by earlier Parley versions keep loading and keep producing the same output. Each version
// leaves tiny fixtures in test/fixtures/models/<version>/ (written by write.ts, never edited by hand); every
// later version runs this test against all of them. Also: every manifest records the version that wrote it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { CharTokenizer } from '@parley/text';
import { CharLmNet, PARLEY_VERSION, readManifest, saveCharLm } from '@parley/core';
import { expectedOutputs, type FixtureOutputs } from './support/model-fixtures';

const FIXTURES = join(import.meta.dirname, 'fixtures/models');
const versions = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

beforeAll(async () => {
  await initBackend();
});

describe('model directories from earlier versions', () => {
  it('there is a fixture written by this version', () => {
    expect(versions).toContain(PARLEY_VERSION);
  });

  for (const version of versions) {
    it(`${version}: loads and reproduces the recorded outputs`, async () => {
      const dir = join(FIXTURES, version);
      for (const kind of ['charlm', 'seq2seq']) expect(readManifest(join(dir, kind)).parleyVersion).toBe(version);
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as FixtureOutputs;
      const actual = await expectedOutputs(dir);
      expect(actual.charlm.natsPerChar).toBeCloseTo(expected.charlm.natsPerChar, 4);
      expect(actual.charlm.greedy).toBe(expected.charlm.greedy);
      expect(actual.seq2seq.text).toBe(expected.seq2seq.text);
      expect(actual.seq2seq.logProb).toBeCloseTo(expected.seq2seq.logProb, 3);
    });
  }
});

describe('manifests', () => {
  it('record the Parley version that wrote them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-version-'));
    try {
      const chars = CharTokenizer.train(['abc']);
      const net = new CharLmNet({ cell: 'gru', layers: 1, hidden: 4, embedding: 2, dropout: 0 }, chars.vocabSize, 1);
      saveCharLm(dir, net, chars);
      net.dispose();
      expect(readManifest(dir).parleyVersion).toBe(PARLEY_VERSION);
      expect(PARLEY_VERSION).toBe(
        (
          JSON.parse(readFileSync(join(import.meta.dirname, '../packages/core/package.json'), 'utf8')) as {
            version: string;
          }
        ).version,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
