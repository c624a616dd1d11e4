// Pipes, full disks and signals, end to end on the bundled Sheldon model: the real bin is spawned and its exit
// code and stderr checked. A closed pipe ends the command at once and quietly (exit 0, as `head` users expect),
// a full disk is one line naming the errno (no stack, no tfjs source), a signal exits 128 + its number, and a
// SIGTERM sent to `npm run` (whose `sh -c` dies without passing it on) does not leave the command running.
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processAlive } from '@parley/text';
import { REPO_ROOT } from '../support/shared';
import { start, until } from './support';

const SHELDON = join(REPO_ROOT, 'apps/parley/models/sheldon/manifest.json');
const noModel = existsSync(SHELDON) ? undefined : `skipped: the bundled model ${SHELDON} is not there`;
if (noModel) process.stderr.write(noModel + '\n');

describe.skipIf(!!noModel)('pipes and signals', () => {
  it('stdout closed by the reader (| head -c 10): exit 0 at once, nothing on stderr', async () => {
    // A million characters would take many minutes; the command must stop as soon as the reader is gone.
    const r = start(['generate', '--length', '1000000', '--seed', '1']);
    await until(() => r.stdout().length >= 10, r, 180_000, 'the first characters');
    r.child.stdout!.destroy();
    expect(await r.exited).toBe(0);
    expect(r.stderr()).toBe('');
  }, 600_000);

  it('a full disk (> /dev/full): one line with the errno, exit 1, no stack trace or source', async () => {
    if (!existsSync('/dev/full')) return;
    const full = openSync('/dev/full', 'w');
    const r = start(['generate', '--length', '50', '--seed', '1'], { stdio: ['ignore', full] });
    const code = await r.exited;
    closeSync(full);
    expect(code).toBe(1);
    expect(r.stderr()).toMatch(/^parley: writing to standard output: ENOSPC[^\n]*\n$/);
  }, 600_000);

  it('SIGHUP / SIGINT stop a running command with exit 129 / 130', async () => {
    for (const [signal, code] of [
      ['SIGHUP', 129],
      ['SIGINT', 130],
    ] as const) {
      const r = start(['generate', '--length', '1000000', '--seed', '1']);
      await until(() => r.stdout().length > 0, r, 180_000, 'the first characters');
      r.child.kill(signal);
      expect(await r.exited).toBe(code);
    }
  }, 600_000);

  it('SIGTERM to `npm run parley`: the command stops too, not left running orphaned', async () => {
    const npm = spawn('npm', ['run', '-s', 'parley', '--', 'generate', '--length', '1000000', '--seed', '1'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const npmExited = new Promise<void>((resolve) => npm.on('exit', () => resolve())); // not 'close': an orphan keeps the pipes open
    await until(() => out.length > 0, undefined, 180_000, 'the first characters');
    // Every process under npm (sh -c, node), found before npm goes.
    const under = (pid: number): number[] =>
      spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map(Number)
        .filter((p) => p > 0)
        .flatMap((p) => [p, ...under(p)]);
    const pids = under(npm.pid!);
    expect(pids.length).toBeGreaterThan(0);
    try {
      npm.kill('SIGTERM');
      await npmExited;
      await until(() => pids.every((p) => !processAlive(p)), undefined, 180_000, `processes ${pids.join(', ')} to end`);
    } finally {
      for (const p of pids) if (processAlive(p)) process.kill(p, 'SIGKILL');
    }
  }, 600_000);
});
