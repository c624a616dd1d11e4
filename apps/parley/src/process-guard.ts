// What the `parley` process does when things outside the command go wrong, installed once by cli.tsx:
//   - stdout closed by the reader (`parley translate | head -1`): EPIPE ends the command at once, quietly, exit 0,
//     as Unix tools do;
//   - any other write error on stdout (`> /dev/full`: ENOSPC), or any error nobody caught: one line
//     `parley: …` and exit 1, never a stack trace (PARLEY_DEBUG=1 shows it) and never the source line Node
//     prints when tfjs-wasm's emscripten glue rethrows from its own uncaughtException handler (that is why our
//     handler is installed first and exits);
//   - SIGINT / SIGTERM / SIGHUP: the innermost handler registered with onStop decides: save and exit now, or
//     stop gracefully (training writes a checkpoint) and let the command exit; a second signal exits at once.
//     Exit codes are 128 + the signal number: 130, 143, 129;
//   - run as an npm script (`npm start`, `npm run parley -- …`), the launcher going away is a hang-up: npm passes
//     SIGTERM to the `sh -c` it started, which dies without passing it on, and the command went on working,
//     orphaned. So under npm, when the parent process is gone, the command stops as on SIGHUP (exit 129).
import { errorMessage } from '@parley/engine/errors';
import { processAlive } from '@parley/text';

/** The signals that stop a command. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** Exit code for a command stopped by a signal (128 + its number). */
export const SIGNAL_EXIT_CODE: Record<StopSignal, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * What happens on a stop signal: 'exit' (the handler has saved what it can; the process exits now with the
 * signal's code) or 'graceful' (the command stops at its next safe point and exits itself).
 */
export type StopHandler = (signal: StopSignal) => 'exit' | 'graceful';

const handlers: StopHandler[] = [];
let stoppedBy: StopSignal | undefined;
let installed = false;

/** Registers a stop handler (innermost first); returns a function that removes it. */
export function onStop(handler: StopHandler): () => void {
  handlers.push(handler);
  return () => {
    const i = handlers.lastIndexOf(handler);
    if (i >= 0) handlers.splice(i, 1);
  };
}

/** The signal that asked the command to stop, if one did. */
export function stopSignal(): StopSignal | undefined {
  return stoppedBy;
}

function isEpipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** One line for an error that escaped the command. */
export function fatalMessage(err: unknown, where?: string): string {
  const text = errorMessage(err).split('\n')[0];
  return `parley: ${where ? `${where}: ` : ''}${text}${where ? '; nothing more was written' : ''}\n`;
}

function die(err: unknown, where?: string): never {
  if (isEpipe(err)) process.exit(0);
  let text = fatalMessage(err, where);
  if (process.env.PARLEY_DEBUG === '1' && err instanceof Error && err.stack) text += `${err.stack}\n`;
  try {
    process.stderr.write(text);
  } catch {
    // stderr is gone too: nothing left to tell
  }
  process.exit(1);
}

function onSignal(signal: StopSignal): void {
  const code = SIGNAL_EXIT_CODE[signal];
  if (stoppedBy) process.exit(code); // the second signal: stop at once
  stoppedBy = signal;
  const handler = handlers.at(-1);
  if (!handler || handler(signal) === 'exit') process.exit(code);
}

/** Installs the handlers described at the top of this file (idempotent). */
export function installProcessGuards(): void {
  if (installed) return;
  installed = true;
  process.stdout.on('error', (err) => die(err, 'writing to standard output'));
  process.stderr.on('error', () => {}); // nowhere left to report; the command's exit code still tells
  process.on('uncaughtException', (err) => die(err));
  process.on('unhandledRejection', (err) => die(err));
  for (const signal of Object.keys(SIGNAL_EXIT_CODE) as StopSignal[]) process.on(signal, () => onSignal(signal));
  if (process.env.npm_lifecycle_event !== undefined) stopWhenParentGoes();
}

/** Stops the command (as SIGHUP) once its parent process is gone: reparented (POSIX), or no longer running. */
function stopWhenParentGoes(): void {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent && processAlive(parent)) return;
    clearInterval(watch); // once: a second stop would cut a graceful stop (a checkpoint being written) short
    onSignal('SIGHUP');
  }, 500);
  watch.unref();
}

let lastTurn = 0;

/**
 * Lets the event loop turn, at most every 20 ms. Signals and write errors on a pipe (EPIPE when the reader quits)
 * arrive as events, which a loop that only awaits promises (tfjs on wasm) never lets run: without these turns,
 * Ctrl-C or `parley generate | head -c 10` would be noticed only when all the work is done.
 */
export async function letEventsIn(): Promise<void> {
  const now = performance.now();
  if (now - lastTurn < 20) return;
  lastTurn = now;
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Writes to stdout, then lets events in (see letEventsIn). */
export async function writeStdout(text: string): Promise<void> {
  process.stdout.write(text);
  await letEventsIn();
}
