// `parley train` under interruption, end to end on a tiny char-LM: SIGTERM stops it with a checkpoint and the
// resume command (exit 143); a kill between the checkpoint's two renames (last.old without last) is recovered,
// not restarted from step 0; no temporaries are left behind. A cross-validation stopped by SIGINT reports the folds
// it scored and the --fold line that runs the rest (exit 130).
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { start, until } from './support';

const dir = mkdtempSync(join(tmpdir(), 'parley-train-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('train under interruption', () => {
  it('SIGTERM checkpoints and says how to resume; last.old is restored and training resumes from it', async () => {
    const lines: string[] = [];
    for (let e = 0; e < 6; e++) {
      lines.push(`#EPISODE\tS01E0${e + 1} Test`);
      for (let i = 0; i < 20; i++) lines.push('Penny\tHi Sheldon.', `Sheldon\tBazinga, Penny ${i % 3}.`);
    }
    writeFileSync(join(dir, 'd.tsv'), lines.join('\n') + '\n');
    const work = join(dir, 'work');
    const config = join(dir, 'tiny.yaml');
    writeFileSync(
      config,
      [
        'kind: charlm',
        'name: tiny',
        `data: { corpus: ${join(dir, 'd.tsv')}, validation: 1, test: 1, minCharCount: 1 }`,
        'model: { layers: 1, hidden: 16, embedding: 8, dropout: 0 }',
        'training: { batchSize: 4, seqLen: 16, epochs: 1000, maxSteps: 5000, validEvery: 1000, checkpointEvery: 1000, logEvery: 1 }',
        `output: { dir: ${join(dir, 'model')}, workDir: ${work}, dtype: float16 }`,
      ].join('\n'),
    );
    const first = start(['train', config]);
    await until(() => / train: epoch 1 update \d+ /.test(first.stderr()), first, 180_000, 'the first training step');
    first.child.kill('SIGTERM');
    expect(await first.exited, first.stderr()).toBe(143);
    expect(first.stderr()).toContain(`resume with: parley train ${config}`);
    expect(existsSync(join(work, 'checkpoints/last/state.json'))).toBe(true);
    expect(existsSync(join(dir, 'model/manifest.json'))).toBe(true);

    // The state a kill between replaceDirAtomic's two renames leaves.
    renameSync(join(work, 'checkpoints/last'), join(work, 'checkpoints/last.old'));
    const again = start(['train', config, '--max-updates', '1']);
    expect(await again.exited, again.stderr()).toBe(0);
    expect(again.stderr()).toMatch(/resumed at update [1-9]/);
    expect(readdirSync(join(work, 'checkpoints')).sort()).toEqual(['last']);
  }, 600_000);

  it('SIGINT during a cross-validation: the folds scored so far, the fold cut short left out, the rest to run with --fold', async () => {
    const texts: string[] = [];
    for (let i = 0; i < 60; i++) texts.push(`pos\tgreat fun film ${i}`, `neg\tdull boring mess ${i}`);
    writeFileSync(join(dir, 'cv.tsv'), texts.join('\n') + '\n');
    const config = join(dir, 'cv.yaml');
    // Long enough folds (many epochs of a bag of embeddings) that fold 2 is still training when the signal comes.
    writeFileSync(
      config,
      `kind: classifier\nname: cv\nmodelDir: ${join(dir, 'cv')}\ndata: { file: ${join(dir, 'cv.tsv')} }\n` +
        'model: { type: bag, hidden: 0, embeddingDim: 8 }\ntraining: { epochs: 40, earlyStopping: 0, batchSize: 4 }\n',
    );
    const run = start(['train', config, '--folds', '4']);
    await until(() => /fold 1\/4: accuracy/.test(run.stderr()), run, 300_000, 'the first fold scored');
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stdout()).toMatch(/^fold  1: accuracy \d+\.\d\d\nstopped after 1 of 4 folds: accuracy /);
    expect(run.stdout()).toContain('folds still to do: --folds 4 --fold 2,3,4\n');
    expect(run.stderr()).toContain('a cross-validation does not resume: run the folds still to do (above) with --fold');
    expect(run.stderr()).not.toMatch(/fold [234]\/4: accuracy/);
    expect(existsSync(join(dir, 'cv', 'folds', '3'))).toBe(false);
  }, 600_000);
});
