// bin/parley runs the CLI in its own process: exit codes are the command's, there is no second Node process,
// and a signal sent to `parley` reaches the command (the old bin ran a child through spawnSync and left it
// running after a SIGTERM).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/parley.js', import.meta.url));
const ENV = { ...process.env, CI: 'true' };

/** The pids of a process's children (empty when it has none). */
function childrenOf(pid: number): string[] {
  const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.trim());
}

describe('bin/parley', () => {
  it('returns the command exit code, from any directory', () => {
    const r = spawnSync(process.execPath, [BIN, 'no-such-command'], { cwd: tmpdir(), encoding: 'utf8', env: ENV });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'no-such-command'");
    expect(execFileSync(process.execPath, [BIN, 'help'], { cwd: tmpdir(), encoding: 'utf8', env: ENV })).toContain(
      'usage: parley',
    );
  });

  it('runs the command in-process: no child process, and SIGTERM ends it', async () => {
    const hasPs = spawnSync('ps', ['-o', 'pid=', '--ppid', '1']).status === 0;
    const child = spawn(process.execPath, [BIN, 'translate'], { cwd: tmpdir(), env: ENV });
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const closed = new Promise<NodeJS.Signals | number | null>((resolve) =>
        child.on('close', (code, signal) => resolve(signal ?? code)),
      );
      const answered = new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve();
        }),
      );
      child.stdin.write('o gato come peixe\n');
      await Promise.race([answered, closed.then(() => expect.fail(`parley translate exited early: ${err}`))]);
      expect(out.trim().length).toBeGreaterThan(0);
      if (hasPs) expect(childrenOf(child.pid!)).toEqual([]);
      else console.log('bin.test: no `ps` here, the no-child-process check is skipped');
      child.kill('SIGTERM');
      // stdin is still open: only a process that the signal really ended closes its pipes.
      const ended = await closed;
      expect(ended === 'SIGTERM' || ended === 143, `ended with ${String(ended)}`).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
