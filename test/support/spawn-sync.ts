// Running a child like a shell does with `2> file`: its stderr goes to a temporary file, not to the socket
// that Node's child_process gives a child by default ('pipe' is a socketpair on Linux). libtensorflow prints its
// absl start-up lines straight to file descriptor 2 while tfjs-node loads; Parley silences them on a terminal,
// pipe or file, but cannot on a socket: Node has no dup() and Linux refuses to open /dev/fd/2 for a socket
// (ENXIO), so the socket could not be put back on descriptor 2 (see packages/engine/src/native-stderr.ts). A
// user's shell, terminal or Python's subprocess gives a tty, pipe or file, so tests that expect an empty stderr
// give one too (everything Parley itself writes to stderr still lands in the file). stderrFile is the one way;
// spawnSyncFileStderr and the reliability suite's start() use it.
import { spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary file for a child's stderr: `fd` to pass in its stdio, `read()` what it holds so far. */
export interface StderrFile {
  fd: number;
  read(): string;
  /** Closes the parent's descriptor and removes the file; read() then returns what was there at removal. */
  dispose(): void;
}

export function stderrFile(): StderrFile {
  const dir = mkdtempSync(join(tmpdir(), 'parley-stderr-'));
  const file = join(dir, 'stderr');
  const fd = openSync(file, 'w');
  let last: string | undefined;
  return {
    fd,
    read: () => last ?? readFileSync(file, 'utf8'),
    dispose: () => {
      if (last !== undefined) return;
      last = readFileSync(file, 'utf8');
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** spawnSync with stdin/stdout as usual and stderr through a temporary file. */
export function spawnSyncFileStderr(
  command: string,
  args: readonly string[],
  opts: SpawnSyncOptionsWithStringEncoding,
): SpawnSyncReturns<string> {
  const err = stderrFile();
  try {
    const r = spawnSync(command, args, { ...opts, stdio: ['pipe', 'pipe', err.fd] });
    err.dispose();
    return { ...r, stderr: err.read() };
  } finally {
    err.dispose();
  }
}
