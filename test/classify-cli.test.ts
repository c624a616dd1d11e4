// `parley train` / `test` / `classify` on classifier configs, end to end through the CLI: a naive Bayes model
// trained here, one output line per input line (streaming stdin), the per-class report, bad input exits 2.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared';
import { stdoutLines } from './support/child-lines';

let dir: string;

function parley(args: string[], input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), ...args], {
    input,
    encoding: 'utf8',
    cwd: REPO_ROOT,
    env: { ...process.env, CI: 'true' },
    timeout: 120_000,
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-classify-'));
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    lines.push(
      `spam\tWIN a free prize now call ${i}`,
      `ham\tsee you at lunch tomorrow ${i}`,
      `ham\tthanks for the notes ${i}`,
    );
  }
  writeFileSync(join(dir, 'sms.tsv'), lines.join('\n') + '\n');
  writeFileSync(
    join(dir, 'nb.yaml'),
    [
      'kind: classifier',
      'name: sms-nb',
      'modelDir: nb',
      'data:',
      '  file: sms.tsv',
      '  dev: 0.2',
      '  test: 0.2',
      'training:',
      '  classWeights: balanced',
      '',
    ].join('\n'),
  );
  const r = parley(['train', join(dir, 'nb.yaml'), '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/fitted; dev texts 36 accuracy 1/);
});

describe('parley classify', () => {
  it('piped: one line per input line, empty stays empty, --with-score and --top', () => {
    const r = parley(
      ['classify', '--model', join(dir, 'nb'), '--with-score'],
      'free prize call now\n\n\r\nlunch tomorrow?',
    );
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.split('\n');
    expect(out).toHaveLength(5);
    expect(out[0]).toMatch(/^spam\t0\.\d{4}$/);
    expect(out.slice(1, 3)).toEqual(['', '']);
    expect(out[3]).toMatch(/^ham\t/);
    const top = parley(['classify', '--model', join(dir, 'nb'), '--top', '2'], 'free prize\n');
    expect(top.stdout).toBe('spam\tham\n');
  });

  it('streams: each line is answered while stdin stays open', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'apps/parley/src/cli.tsx'), 'classify', '--model', join(dir, 'nb')],
      { cwd: REPO_ROOT, env: { ...process.env, CI: 'true' } },
    );
    const out = stdoutLines(child);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      child.stdin.write('win a prize\n');
      expect((await out.waitFor(1))[0]).toBe('spam');
      child.stdin.write('thanks for lunch\n');
      expect((await out.waitFor(2))[1]).toBe('ham');
      child.stdin.end();
      expect(await exited, out.stderr()).toBe(0);
    } finally {
      child.kill();
    }
  });

  it('parley test prints the per-class table and the confusion matrix', () => {
    const r = parley(['test', join(dir, 'nb.yaml')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/test: 36 texts/);
    expect(r.stdout).toMatch(/^\s+spam\s+1\.0000\s+1\.0000\s+1\.0000\s+12$/m);
    expect(r.stdout).toMatch(/weighted avg/);
    expect(r.stdout).toMatch(/ROC-AUC 1\.0000/);
    expect(r.stdout).toMatch(/confusion matrix/);
  });

  it('--folds K --fold I,J runs only those folds; a fold outside 1..K or --fold alone exits 2', () => {
    writeFileSync(join(dir, 'cv.yaml'), 'kind: classifier\nname: sms-cv\nmodelDir: cv\ndata:\n  file: sms.tsv\n');
    const r = parley(['train', join(dir, 'cv.yaml'), '--folds', '5', '--fold', '4,2', '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^fold  2: accuracy \d+\.\d\d\nfold  4: accuracy \d+\.\d\d\nfolds 2, 4 of 5-fold cross-validation: accuracy \d+\.\d\d ± \d+\.\d\d \(mean ± std\)\n/,
    );
    expect(existsSync(join(dir, 'cv', 'folds', '2', 'manifest.json'))).toBe(true);
    expect(existsSync(join(dir, 'cv', 'folds', '1'))).toBe(false);
    for (const [args, message] of [
      [['--folds', '5', '--fold', '6'], '--fold 6: there are only 5 folds'],
      [['--fold', '1'], '--fold goes with --folds K'],
      [['--folds', '5', '--fold', '0'], '--fold: must be fold numbers 1, 2, … (comma-separated)'],
    ] as const) {
      const bad = parley(['train', join(dir, 'cv.yaml'), ...args]);
      expect(bad.status).toBe(2);
      expect(bad.stderr).toContain(message);
    }
  });

  it('bad input: a broken data line and a bad config exit 2 naming file:line', () => {
    writeFileSync(join(dir, 'bad.tsv'), 'ham\thello there\nspam\n');
    writeFileSync(join(dir, 'bad.yaml'), 'kind: classifier\ndata:\n  file: bad.tsv\n');
    const r = parley(['train', join(dir, 'bad.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.tsv:2: wrong column count/);
    writeFileSync(join(dir, 'bad2.yaml'), 'kind: classifier\ndata:\n  file: sms.tsv\nmodel:\n  type: svm\n');
    const c = parley(['train', join(dir, 'bad2.yaml')]);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/bad2\.yaml:5: model\.type: must be one of naive-bayes, .*got "svm"/);
    expect(c.stderr).not.toMatch(/\n\s+at /);
  });

  it('--ensemble with a member of another data file exits 2 naming its config, before any fold is trained', () => {
    writeFileSync(join(dir, 'other.tsv'), 'ham\thello there\nspam\tfree prize\n'.repeat(10));
    writeFileSync(join(dir, 'other.yaml'), 'kind: classifier\nmodelDir: other\ndata:\n  file: other.tsv\n');
    const r = parley(['train', join(dir, 'nb.yaml'), '--folds', '2', '--ensemble', join(dir, 'other.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /other\.yaml: an ensemble member must be a single-label classifier of the same data file as/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'nb', 'folds'))).toBe(false);
    expect(existsSync(join(dir, 'other'))).toBe(false);
  });
});
