// Temporary files for tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'parley-text-'));
let n = 0;

/** Writes `content` to a fresh temp file and returns its path. */
export function tempFile(content: string | Uint8Array, name = `f${n++}.txt`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A fresh path in the temp directory (nothing written). */
export function tempPath(name: string): string {
  return join(dir, `${n++}-${name}`);
}
