// Locates the read-only shared data beside the repo (PARLEY_SHARED, default ../shared).
// Tests that need it run when it is there and say why they skip when it is not.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const SHARED_DIR = resolve(REPO_ROOT, process.env.PARLEY_SHARED ?? '../shared');

/** The absolute path of a file under the shared directory, or undefined when it is missing. */
export function sharedFile(relative: string): string | undefined {
  const path = join(SHARED_DIR, relative);
  return existsSync(path) ? path : undefined;
}

/** Why a shared-data test skips (printed once per missing file). */
export function skipReason(relative: string): string | undefined {
  if (sharedFile(relative)) return undefined;
  const reason = `skipped: ${join(SHARED_DIR, relative)} not found (set PARLEY_SHARED to the shared data directory)`;
  process.stderr.write(`${reason}\n`);
  return reason;
}
