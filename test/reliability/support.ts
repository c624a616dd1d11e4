// Helpers for the reliability suite: spawn the real `parley` bin, wait for what it writes, signal it. The child's
// stderr is a file (as `2> file` in a shell), not Node's default socket, on which libtensorflow's start-up lines
// cannot be silenced (test/support/spawn-sync.ts says why); whatever Parley writes to stderr is still seen.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared';
import { stderrFile } from '../support/spawn-sync';

export const BIN = join(REPO_ROOT, 'apps/parley/bin/parley.js');

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128 + signal number when the process died of a signal it did not handle). */
  exited: Promise<number>;
}

/** Starts `parley ARGS` (stdin ignored, stdout piped, stderr to a file, unless `stdio` gives stdin and stdout). */
export function start(
  args: string[],
  opts: { stdio?: [stdin: 'pipe' | 'ignore' | number, stdout: 'pipe' | 'ignore' | number]; cwd?: string } = {},
): Running {
  const err = stderrFile();
  const [stdin = 'ignore', stdout = 'pipe'] = opts.stdio ?? [];
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: [stdin, stdout, err.fd],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.on('close', () => err.dispose()); // before `exited` resolves: stderr() then holds all the child wrote
  const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, sig) => resolve(code ?? 128 + (signals[sig ?? ''] ?? 0))),
  );
  return { child, stdout: () => out, stderr: () => err.read(), exited };
}

/** Polls (every 100 ms) until `ready()` is true; rejects after `ms` (generous: the machine may be busy) or if `r` exits first. */
export async function until(ready: () => boolean, r?: Running, ms = 180_000, what = 'the condition'): Promise<void> {
  let done = false;
  void r?.exited.then(() => (done = true));
  const t0 = Date.now();
  while (!ready()) {
    if (done) throw new Error(`the process exited before ${what}; stderr: ${r?.stderr()}`);
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; stderr: ${r?.stderr()}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Size of a file in bytes (0 when missing). */
export function size(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}
