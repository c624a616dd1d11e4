// Which directories a training run may write into. A run owns a directory that is missing or empty, or that
// an earlier run of the same kind and name wrote (its `parley-run.json` marker, or a model manifest of that
// kind and name, as in directories written before the marker existed). Anything else — another model, another
// run, files Parley did not write — is refused unless the user asks to overwrite, so `parley train` never
// silently replaces a model (and leaves its model card describing the wrong one).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '@parley/text';
import { MANIFEST_FILE } from './manifest';

/** The marker a training run leaves in each directory it owns. */
export const RUN_MARKER = 'parley-run.json';

/** Who a run is: its model kind and its config's name. */
export interface RunIdentity {
  kind: string;
  name: string;
}

/** Thrown when a run would write into a directory it does not own; the CLI turns it into a usage error. */
export class NotOurDirectoryError extends Error {
  constructor(
    readonly dir: string,
    readonly holds: string,
  ) {
    super(
      `${dir}: holds ${holds}; not overwriting it (choose another output directory, or pass --overwrite to replace it)`,
    );
    this.name = 'NotOurDirectoryError';
  }
}

function readIdentity(path: string): Partial<RunIdentity> | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<RunIdentity>;
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seq2seq configs without `name:` were named `seq2seq` until every kind took the config file's base name
 * (configName): a run started then is refused with this one migration hint rather than silently restarted.
 */
function legacyNameHint(id: Partial<RunIdentity>, run: RunIdentity): string {
  if (run.kind !== 'seq2seq' || id.kind !== 'seq2seq' || id.name !== 'seq2seq') return '';
  return '; a seq2seq config without `name:` is now named after its file, not "seq2seq": add `name: seq2seq` to the config to continue this run';
}

/** What `dir` holds, as far as ownership goes: undefined when the run may use it, else a description. */
export function foreignContents(dir: string, run: RunIdentity): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return 'a file, not a directory';
  const entries = readdirSync(dir);
  if (entries.length === 0) return undefined;
  const same = (id: Partial<RunIdentity> | undefined) => id?.kind === run.kind && id?.name === run.name;
  const describe = (id: Partial<RunIdentity>) =>
    `a ${id.kind ?? 'Parley'} ${id.kind ? 'model' : 'directory'} named "${id.name ?? '?'}"`;
  for (const file of [RUN_MARKER, MANIFEST_FILE, join('model', MANIFEST_FILE)]) {
    if (!existsSync(join(dir, file))) continue;
    const id = readIdentity(join(dir, file));
    if (same(id)) return undefined;
    if (id) return `${describe(id)} (this run is ${run.kind} "${run.name}")${legacyNameHint(id, run)}`;
  }
  return `${entries.length} file${entries.length > 1 ? 's' : ''} Parley did not write (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''})`;
}

/**
 * Makes `dir` this run's: creates it and (with `mark`, for work directories; an exported model directory is
 * identified by its manifest) writes the marker. Throws NotOurDirectoryError when it holds something else,
 * unless `overwrite` is set. Returns true when an existing foreign directory was taken over (the run must then
 * start fresh rather than resume from someone else's checkpoints).
 */
export function claimRunDir(dir: string, run: RunIdentity, overwrite = false, mark = true): boolean {
  const holds = foreignContents(dir, run);
  if (holds && !overwrite) throw new NotOurDirectoryError(dir, holds);
  mkdirSync(dir, { recursive: true });
  if (mark) writeJsonAtomic(join(dir, RUN_MARKER), { kind: run.kind, name: run.name });
  return holds !== undefined;
}
