// File helpers: atomic writes (temp file then rename), so a crash never leaves half a file.
import { renameSync, writeFileSync } from 'node:fs';

/** Writes `data` to `path` by writing `path.<pid>.tmp` and renaming it over `path`. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
