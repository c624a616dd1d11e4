// loadTrainingConfig: every kind names a config without `name:` the same way (configName: the file's base name),
// and its default run directory follows that name; a run made under seq2seq's old default name gets one clear
// migration hint.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { foreignContents, RUN_MARKER } from './common/run-dir';
import { loadTrainingConfig, type TrainingConfigFile } from './config';

const dir = mkdtempSync(join(tmpdir(), 'parley-config-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BODIES: Record<TrainingConfigFile['kind'], string> = {
  charlm: 'data: { corpus: text.txt }\noutput: { dir: model }',
  seq2seq: 'data: { train: [{ path: pairs.tsv }], dev: { path: dev.tsv } }',
  classifier: 'data: { file: labels.tsv }',
  embeddings: 'data: { corpus: text.txt }',
};

/** Where the run (work directory or model directory) of a loaded config goes by default. */
function runDir(c: TrainingConfigFile): string {
  if (c.kind === 'charlm') return c.output.workDir;
  if (c.kind === 'embeddings') return c.output.dir;
  return c.modelDir;
}

describe('the default model name', () => {
  for (const [kind, body] of Object.entries(BODIES)) {
    it(`is the config file's base name for kind ${kind}, and names the default run directory`, () => {
      const file = join(dir, `my-${kind}.yaml`);
      writeFileSync(file, `kind: ${kind}\n${body}\n`);
      const c = loadTrainingConfig(file, '/shared');
      expect(c.name).toBe(`my-${kind}`);
      expect(runDir(c)).toBe(join(dir, 'runs', `my-${kind}`));
      writeFileSync(file, `kind: ${kind}\nname: given\n${body}\n`);
      expect(loadTrainingConfig(file, '/shared').name).toBe('given');
    });
  }
});

describe('a run of a seq2seq config from before (named "seq2seq" by default)', () => {
  it('is refused with the migration hint, and continues once the config says name: seq2seq', () => {
    const run = join(dir, 'old-run');
    mkdirSync(run);
    writeFileSync(join(run, RUN_MARKER), JSON.stringify({ kind: 'seq2seq', name: 'seq2seq' }));
    const file = join(dir, 'old.yaml');
    writeFileSync(file, `kind: seq2seq\nmodelDir: old-run\n${BODIES.seq2seq}\n`);
    const c = loadTrainingConfig(file, '/shared');
    expect(foreignContents(run, { kind: 'seq2seq', name: c.name })).toMatch(/add `name: seq2seq` to the config/);
    writeFileSync(file, `kind: seq2seq\nname: seq2seq\nmodelDir: old-run\n${BODIES.seq2seq}\n`);
    const named = loadTrainingConfig(file, '/shared');
    expect(foreignContents(run, { kind: 'seq2seq', name: named.name })).toBeUndefined();
  });
});
