// Atomic file writes: write to a temporary file beside the target, then rename over it,
// so a reader (or a crash) never sees a half-written model, checkpoint or output file.
// A process killed mid-write leaves its temporary behind (`.NAME.tmp-PID-N`); the next write into the same
// directory removes those of processes that are gone. A kill between the two renames of replaceDirAtomic
// leaves `DIR.old` without `DIR`; recoverDir (run by every reader and writer of such directories) puts it back.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

let counter = 0;

/** A unique temporary path in the same directory as `path` (same filesystem, so rename is atomic). */
export function tempPathFor(path: string): string {
  counter += 1;
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${counter}`);
}

const TEMP_NAME = /^\..+\.tmp-(\d+)-\d+$/;

/** True while process `pid` exists (EPERM means it exists but is not ours): whether a temp or lock is stale. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temporaries (`.NAME.tmp-PID-N`) that processes which no longer run left in `dir`. */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    if (pid && pid !== process.pid && !processAlive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/** If a kill between replaceDirAtomic's renames left `dir.old` but no `dir`, renames it back. Returns true if it did. */
export function recoverDir(dir: string): boolean {
  const old = `${dir}.old`;
  if (existsSync(dir) || !existsSync(old)) return false;
  renameSync(old, dir);
  return true;
}

/** Writes `data` to `path` atomically (temp file + rename), creating parent directories. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  removeStaleTemps(dirname(path));
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Writes `value` as pretty-printed JSON (with a trailing newline) atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Replaces directory `dir` with the contents produced by `fill(tmpDir)`: `fill` writes into a fresh
 * temporary directory, which then takes `dir`'s place. The old directory is kept as `dir.old` only
 * for the instant between the two renames, so `dir` (or, after a kill in that instant, `dir.old`, which
 * recoverDir restores) is always either the old or the new complete set.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => void | Promise<void>): Promise<void> {
  mkdirSync(dirname(dir), { recursive: true });
  removeStaleTemps(dirname(dir));
  recoverDir(dir);
  const tmp = tempPathFor(dir);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = `${dir}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}
