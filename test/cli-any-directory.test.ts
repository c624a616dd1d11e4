// Every command works from any working directory: default model paths and the shared data resolve from the
// package, not from where the user stands. Runs the real `parley` binary in a temporary directory.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/shared';
import { spawnSyncFileStderr } from './support/spawn-sync';

const BIN = join(REPO_ROOT, 'apps/parley/bin/parley.js');
const elsewhere = mkdtempSync(join(tmpdir(), 'parley-cwd-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const parley = (args: string[], input?: string) =>
  spawnSyncFileStderr(process.execPath, [BIN, ...args], {
    cwd: elsewhere,
    input,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, CI: 'true' },
  });

const bundled =
  existsSync(join(REPO_ROOT, 'apps/parley/models/sheldon/manifest.json')) &&
  existsSync(join(REPO_ROOT, 'apps/parley/models/pt-en/manifest.json'));

describe('parley from another directory', () => {
  it.skipIf(!bundled)('generate and translate find their bundled models', () => {
    const g = parley(['generate', '--length', '20', '--seed', '1']);
    expect(g.stderr).toBe('');
    expect(g.status).toBe(0);
    expect([...g.stdout.trim()].length).toBeGreaterThan(5);
    const t = parley(['translate', '--beam', '2'], 'Eu gosto de gatos.\n');
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout.split('\n')).toHaveLength(2);
    expect(t.stdout.trim().length).toBeGreaterThan(0);
  });

  it('help, usage errors and a config given by path work there too', () => {
    expect(parley(['help']).stdout).toContain('translate');
    const bad = parley(['translate', '--beam', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      `parley translate: --beam: must be an integer ≥ 1, got "0"\nRun 'parley translate --help' for usage.\n`,
    );
    const missing = parley(['train', 'nowhere.yaml']);
    expect(missing.status).toBe(2); // a config that cannot be read is bad input on the command line
    expect(missing.stderr).toMatch(/^parley train: nowhere.yaml: cannot read the config file\n/);
  });
});
