// The scripts in examples/ run as documented (from this checkout: tsx and the workspaces' sources; the
// install test runs quickstart.mjs on the packed packages with plain node). Tiny inputs, so each takes seconds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'parley-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function example(name: string, args: string[] = [], input?: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, join(REPO_ROOT, 'examples', name), ...args], {
    cwd: dir,
    input,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 300_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('examples/', () => {
  it('quickstart.mjs: translations, a Sheldon reply, BLEU', () => {
    const out = example('quickstart.mjs');
    expect(out).toMatch(/station/i);
    expect(out).toMatch(/^Sheldon: \S/m);
    expect(out).toMatch(/^BLEU = \d+\.\d+ /m);
  });

  it('translate-file.mjs writes one English line per Portuguese line', () => {
    writeFileSync(join(dir, 'in.pt'), 'Eu gosto de ler livros.\nOnde fica a estação?\n');
    expect(example('translate-file.mjs', ['in.pt', 'out.en', '3'])).toContain('translated 2 lines');
    const lines = readFileSync(join(dir, 'out.en'), 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/station/i);
  });

  it('chat.mjs answers each piped line as Sheldon', () => {
    const out = example('chat.mjs', ['--seed', '1'], 'Hi Sheldon!\nHow are you?\n');
    const replies = out.split('\n').filter(Boolean);
    expect(replies).toHaveLength(2);
    for (const r of replies) expect(r).toMatch(/^Sheldon: \S/);
  });

  it('score.mjs reports BLEU and chrF with a paired bootstrap test', () => {
    writeFileSync(join(dir, 'ref'), 'the cat sat on the mat\nI like books\nwhere is the station\n');
    writeFileSync(join(dir, 'base'), 'the cat sat on a mat\nI like book\nwhere station\n');
    writeFileSync(join(dir, 'new'), 'the cat sat on the mat\nI like books\nwhere is station\n');
    const out = example('score.mjs', ['ref', 'base', 'new']);
    expect(out).toContain('Paired bootstrap resampling test with 1000 resampling trials');
    expect(out).toMatch(/Baseline: base/);
    expect(out).toMatch(/\(p = 0\.\d{4}\)/);
  });

  it('train-charlm.mjs trains a tiny char-LM with progress events and samples from it', () => {
    const replies = ['Bazinga!', 'That is my spot.', 'Knock knock, Penny.'];
    const lines: string[] = [];
    for (let e = 0; e < 8; e++) {
      lines.push(`#EPISODE\tS01E0${e} Test`);
      for (let i = 0; i < 20; i++)
        lines.push(`Leonard\tHello Sheldon, number ${i % 7}.`, `Sheldon\t${replies[(i + e) % replies.length]}`);
    }
    writeFileSync(join(dir, 'dialogue.tsv'), `${lines.join('\n')}\n`);
    const out = example('train-charlm.mjs', ['dialogue.tsv', 'model', '10']);
    expect(out).toMatch(/^training char-LM tiny \([\d,]+ parameters\) for 10 steps$/m);
    expect(out).toMatch(/^step 10\/10 {2}loss \d+\.\d+ nats\/char$/m);
    expect(out).toMatch(/^validation \d+\.\d+ nats\/char/m);
    expect(out).toMatch(/^done: reached 10 updates$/m);
    expect(out).toMatch(/^test \d+\.\d+ nats\/char, model in /m);
    expect(out).toMatch(/^sample: Sheldon: /m);
    expect(JSON.parse(readFileSync(join(dir, 'model/manifest.json'), 'utf8'))).toMatchObject({ kind: 'charlm' });
  });
});
