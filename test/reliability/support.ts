// Helpers for the reliability suite: spawn the real `parley` bin, wait for what it writes, signal it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/shared';

export const BIN = join(REPO_ROOT, 'apps/parley/bin/parley.js');

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128 + signal number when the process died of a signal it did not handle). */
  exited: Promise<number>;
}

/** Starts `parley ARGS` (stdout/stderr piped unless `stdio` says otherwise). */
export function start(args: string[], opts: { stdio?: ('pipe' | 'ignore' | number)[]; cwd?: string } = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, CI: 'true' },
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const signals: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, sig) => resolve(code ?? 128 + (signals[sig ?? ''] ?? 0))),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
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
