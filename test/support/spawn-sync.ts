// Running a child like a shell does with `2> file`: its stderr goes to a temporary file, not to the socket
// that Node's spawnSync gives a child by default. libtensorflow prints its absl start-up lines straight to
// file descriptor 2 while tfjs-node loads; Parley silences them on a terminal, pipe or file, but cannot on a
// socket (see packages/engine/src/native-stderr.ts). Tests that expect an empty stderr use this.
import { spawnSync, type SpawnSyncOptionsWithStringEncoding, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** spawnSync with stdin/stdout as usual and stderr through a temporary file. */
export function spawnSyncFileStderr(
  command: string,
  args: readonly string[],
  opts: SpawnSyncOptionsWithStringEncoding,
): SpawnSyncReturns<string> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-stderr-'));
  const file = join(dir, 'stderr');
  const fd = openSync(file, 'w');
  try {
    const r = spawnSync(command, args, { ...opts, stdio: ['pipe', 'pipe', fd] });
    return { ...r, stderr: readFileSync(file, 'utf8') };
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
