// A command's output file, written so that nothing is lost or overwritten by mistake:
//   - checked before any work starts (checkOutputTarget): not a directory, its directory exists and is writable,
//     not a read-only file, and not the same file (inode) as an input; an output directory (a model written by
//     `parley average`, `parley test --out`) is checked the same way by checkOutputDir, and what it may hold
//     by @parley/core's foreignContents, the rule training runs follow;
//   - written to OUT.partial, line by line, and renamed to OUT only when complete;
//   - locked: OUT.lock is created exclusively and holds the writer's pid, so a second job writing the same OUT
//     is refused (a lock whose process is gone is taken over);
//   - fingerprinted: OUT.partial.json (written atomically) records the sha256 of the input and the settings that shape the output,
//     and --resume refuses a partial made from another input or with other settings;
//   - a write error (ENOSPC, EIO …) is one line naming the file, the errno and how many lines are kept;
//   - a stop signal keeps the partial, prints the command that resumes it and exits 130/143/129.
import { errorMessage } from '@parley/engine/errors';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
  accessSync,
  constants,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { processAlive, writeJsonAtomic } from '@parley/text';
import { RefusalError } from './command';
import { onStop } from './process-guard';

/** The settings that shape the output, as recorded in the fingerprint (JSON values only). */
export type Settings = Record<string, string | number | boolean | null>;

/** Throws when `out` cannot or must not be written: see the top of this file. `inputs` are the files read. */
export function checkOutputTarget(out: string, inputs: readonly string[] = []): void {
  const dir = dirname(resolve(out));
  if (!existsSync(dir)) throw new Error(`${out}: directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new Error(`${out}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(`${out}: cannot write in ${dir} (permission denied)`);
  }
  if (!existsSync(out)) return;
  const st = statSync(out);
  if (st.isDirectory()) throw new Error(`${out}: is a directory; give a file name for the output`);
  if ((st.mode & 0o222) === 0) throw new Error(`${out}: is read-only; Parley does not replace read-only files`);
  const input = inputs.find((i) => sameInode(i, out));
  if (input !== undefined) throw new Error(`${out}: is the input file ${input}; write the output to another file`);
}

/** The same file or directory (inode) as `b`, when both exist. */
function sameInode(a: string, b: string): boolean {
  if (!existsSync(a) || !existsSync(b)) return false;
  const [x, y] = [statSync(a), statSync(b)];
  return x.dev === y.dev && x.ino === y.ino;
}

/**
 * Throws when directory `dir` cannot or must not be an output: a file is there, it is read-only, no writable
 * directory would hold it (missing parents are created), or it is one of the `inputs` (same inode). Whether
 * what it already holds may be replaced is the caller's rule (see foreignContents in @parley/core).
 */
export function checkOutputDir(dir: string, inputs: readonly string[] = []): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir}: is a file; the output is a directory`);
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new Error(`${dir}: is read-only; Parley does not replace read-only files`);
    }
    const input = inputs.find((i) => sameInode(i, dir));
    if (input !== undefined) throw new Error(`${dir}: is the input ${input}; write the output to another directory`);
    return;
  }
  let parent = dirname(resolve(dir));
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) throw new Error(`${dir}: ${parent} is a file, not a directory`);
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new Error(`${dir}: cannot write in ${parent} (permission denied)`);
  }
}

/** Runs the output checks (checkOutputTarget, checkOutputDir, …) as refusals: exit 2, as every writer's refusal. */
export function refuseAsUsage(check: () => void): void {
  try {
    check();
  } catch (err) {
    throw new RefusalError(errorMessage(err));
  }
}

/** sha256 of the input bytes plus the settings: what a partial output is checked against on --resume. */
export function fingerprint(input: Uint8Array, settings: Settings): { inputSha256: string; settings: Settings } {
  return { inputSha256: createHash('sha256').update(input).digest('hex'), settings };
}

interface Sidecar {
  format: 'parley-partial';
  version: 1;
  inputSha256: string;
  settings: Settings;
}

/** Takes OUT.lock (exclusive create); throws naming the other writer when it is running. */
function lock(path: string, out: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (pid && pid !== process.pid && processAlive(pid)) {
        throw new Error(
          `${out}: another parley (pid ${pid}) is writing it (${path}); wait for it to finish or choose another -o`,
        );
      }
      rmSync(path, { force: true }); // left by a process that is gone
    }
  }
  throw new Error(`${path}: could not take the lock`);
}

/** Complete lines in a partial output; cuts off a trailing incomplete line. */
function completeLines(path: string): number {
  const buf = readFileSync(path);
  const last = buf.lastIndexOf(0x0a);
  if (last + 1 < buf.length) truncateSync(path, last + 1);
  let n = 0;
  for (let i = 0; i <= last; i++) if (buf[i] === 0x0a) n++;
  return n;
}

export interface OutputJobOptions {
  /** Continue OUT.partial (after checking its fingerprint) instead of starting over. */
  resume: boolean;
  /** What the output is made from and how (see fingerprint()). */
  fingerprint: { inputSha256: string; settings: Settings };
  /** The command line that resumes the job, shown when it is interrupted or a write fails. */
  resumeCommand: string;
  /** The command's name for messages, e.g. `parley translate`. */
  name: string;
}

/** An output file being written through OUT.partial; see the top of this file. */
export class OutputJob {
  readonly partial: string;
  readonly sidecar: string;
  readonly lockPath: string;
  /** Lines already in the partial when the job started (from --resume). */
  readonly start: number;
  /** Lines in the partial now. */
  lines: number;
  private fd: number | undefined;
  private readonly removeStop: () => void;
  private readonly releaseOnExit = () => this.release();

  constructor(
    readonly out: string,
    private readonly o: OutputJobOptions,
  ) {
    this.partial = `${out}.partial`;
    this.sidecar = `${out}.partial.json`;
    this.lockPath = `${out}.lock`;
    lock(this.lockPath, out);
    process.on('exit', this.releaseOnExit);
    try {
      this.start = o.resume && existsSync(this.partial) ? this.checkResumable() : 0;
      writeJsonAtomic(this.sidecar, { format: 'parley-partial', version: 1, ...o.fingerprint } satisfies Sidecar);
      this.fd = openSync(this.partial, this.start > 0 ? 'a' : 'w');
    } catch (err) {
      this.release();
      throw err;
    }
    this.lines = this.start;
    this.removeStop = onStop((signal) => {
      this.close();
      this.release();
      process.stderr.write(
        `\n${o.name}: stopped by ${signal}; ${this.lines} lines are kept in ${this.partial}\nresume with: ${o.resumeCommand}\n`,
      );
      return 'exit';
    });
  }

  /** Checks the partial's fingerprint against this job's; returns its complete lines. */
  private checkResumable(): number {
    if (!existsSync(this.sidecar)) {
      throw new Error(
        `${this.partial}: no fingerprint (${this.sidecar}), so it cannot be matched to this input; run without --resume to start over`,
      );
    }
    let old: Sidecar;
    try {
      old = JSON.parse(readFileSync(this.sidecar, 'utf8')) as Sidecar;
    } catch {
      throw new Error(`${this.sidecar}: not valid JSON; run without --resume to start over`);
    }
    const now = this.o.fingerprint;
    if (old.inputSha256 !== now.inputSha256) {
      throw new Error(
        `${this.partial}: was made from a different input (sha256 ${old.inputSha256.slice(0, 12)}…, this one is ${now.inputSha256.slice(0, 12)}…); give the same input, or run without --resume to start over`,
      );
    }
    for (const key of new Set([...Object.keys(old.settings ?? {}), ...Object.keys(now.settings)])) {
      const a = JSON.stringify(old.settings?.[key] ?? null);
      const b = JSON.stringify(now.settings[key] ?? null);
      if (a !== b)
        throw new Error(
          `${this.partial}: was made with ${key} ${a}, this run has ${b}; use the same settings, or run without --resume to start over`,
        );
    }
    return completeLines(this.partial);
  }

  /** Appends one line (a newline is added). A write error names the file and what is kept. */
  write(line: string): void {
    try {
      writeSync(this.fd!, line + '\n');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      this.close();
      this.release();
      this.removeStop();
      throw new Error(
        `${this.partial}: ${e.code ?? 'write error'} (${e.message.replace(/^\w+: /, '').replace(/, write$/, '')}) after ${this.lines} lines; ` +
          `the complete lines are kept in ${this.partial}; resume with: ${this.o.resumeCommand}`,
      );
    }
    this.lines++;
  }

  /** Completes the job: OUT.partial becomes OUT; the fingerprint and lock go. */
  finish(): void {
    this.close();
    renameSync(this.partial, this.out);
    rmSync(this.sidecar, { force: true });
    this.release();
    this.removeStop();
  }

  /** Ends the job without completing it: the partial and its fingerprint stay for --resume. */
  abandon(): void {
    this.close();
    this.release();
    this.removeStop();
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private release(): void {
    process.off('exit', this.releaseOnExit);
    try {
      if (readFileSync(this.lockPath, 'utf8').trim() === String(process.pid)) rmSync(this.lockPath, { force: true });
    } catch {
      // already gone
    }
  }
}
