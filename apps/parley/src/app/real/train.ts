// The Train screen's service: each run is a child process (train-worker.ts) streaming JSON events, so
// training does not freeze the app; stop() sends it SIGINT, and the trainer checkpoints before it exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TrainEvent, TrainRun, TrainService } from '../services';
import { findConfigs } from './models';

// From a checkout the worker is TypeScript: it runs with `node --import tsx` (one process) rather than the tsx
// CLI, which would sit between the app and the trainer and swallow the SIGINT that asks the trainer to
// checkpoint, and resolves the workspaces from source. Built (dist/), it is plain JavaScript.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER = fileURLToPath(new URL(`./train-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url));
const WORKER_NODE_ARGS = FROM_SOURCE
  ? ['--conditions=parley-source', '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
  : [];

/** A queue that turns pushes into an async iterable (ends after `end()`). */
function channel<T>() {
  const items: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(item: T) {
      items.push(item);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      for (;;) {
        if (items.length) yield items.shift()!;
        else if (ended) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

/** Live runs and their stop files, so the app can stop them all when it exits. */
const live = new Map<ChildProcess, string>();
let runs = 0;

/**
 * Asks a run to stop. Training loops may not let Node handle signals between steps, so the request is a
 * file the worker checks at each progress report (PARLEY_STOP_FILE), with SIGINT as well.
 */
function requestStop(child: ChildProcess, stopFile: string): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  writeFileSync(stopFile, 'stop\n');
  child.kill('SIGINT');
}

/** How many runs the app started are still going. */
export function liveRuns(): number {
  return live.size;
}

/** Stops every run the app started and waits (up to `timeoutMs`) for their checkpoints. */
export async function stopAllRuns(timeoutMs = 30_000): Promise<void> {
  await Promise.all(
    [...live].map(
      ([child, stopFile]) =>
        new Promise<void>((done) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
          child.once('exit', () => (clearTimeout(kill), done()));
          requestStop(child, stopFile);
        }),
    ),
  );
}

export function createTrainService(configs = findConfigs()): TrainService {
  return {
    configs,
    async start(configPath, { resume, folds }) {
      if (!existsSync(configPath)) throw new Error(`${configPath}: config file not found`);
      const stopFile = join(tmpdir(), `parley-stop-${process.pid}-${++runs}`);
      rmSync(stopFile, { force: true });
      const child = spawn(
        process.execPath,
        [
          ...WORKER_NODE_ARGS,
          WORKER,
          configPath,
          ...(folds !== undefined ? ['--folds', String(folds)] : resume ? ['--resume'] : []),
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, PARLEY_STOP_FILE: stopFile },
          // Its own process group: Ctrl-C in the app's terminal reaches the app, which stops the run itself.
          detached: true,
        },
      );
      live.set(child, stopFile);
      const events = channel<TrainEvent>();
      let done = false;
      const errors: string[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => {
        try {
          const e = JSON.parse(line) as TrainEvent;
          if (e.type === 'done') done = true;
          events.push(e);
        } catch {
          events.push({ type: 'log', line });
        }
      });
      createInterface({ input: child.stderr }).on('line', (line) => {
        errors.push(line);
        events.push({ type: 'log', line });
      });
      child.on('exit', (code) => {
        live.delete(child);
        rmSync(stopFile, { force: true });
        if (!done) {
          if (code !== 0) events.push({ type: 'log', line: `training failed (exit ${code}): ${errors.at(-1) ?? ''}` });
          events.push({ type: 'done', reason: 'stopped', step: 0 });
        }
        events.end();
      });
      const run: TrainRun = {
        events,
        stop() {
          requestStop(child, stopFile);
        },
      };
      return run;
    },
  };
}
