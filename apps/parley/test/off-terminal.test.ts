// Off a terminal (piped output, or CI=true) the app does not start: plain text, no escape codes.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const CLI = fileURLToPath(new URL('../src/cli.tsx', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [TSX, CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 300_000, // slow start-up on a busy machine is not a failure,
  });

// `script` (util-linux) makes the pseudo-terminal of the TERM=dumb case; without it that case is skipped, saying so.
const noScript =
  spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0
    ? undefined
    : 'skipped: TERM=dumb in a pseudo-terminal: `script` (util-linux) is not installed';
if (noScript) process.stderr.write(noScript + '\n');

describe('off a terminal', () => {
  it('`parley app` with piped output explains and points to the plain commands, without escape codes', () => {
    const r = run(['app']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('needs an interactive terminal');
    expect(r.stderr).toContain('parley translate');
    expect(r.stdout + r.stderr).not.toContain('\u001b');
  }, 600_000);

  it('bare `parley` (npm start) with CI=true prints the command list instead of opening the app', () => {
    const r = run([], { CI: 'true' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\s+app\s+open the terminal app/m);
    expect(r.stdout + r.stderr).not.toContain('\u001b');
  }, 600_000);

  it.skipIf(!!noScript)(
    'on a terminal with TERM=dumb: `parley` prints the command list and `parley app` explains, without escape codes',
    () => {
      const inPty = (args: string) =>
        spawnSync('script', ['-qec', `${process.execPath} ${TSX} ${CLI} ${args}`, '/dev/null'], {
          encoding: 'utf8',
          env: { ...process.env, TERM: 'dumb', CI: '' },
          timeout: 300_000,
        });
      const bare = inPty('');
      expect(bare.stdout).toMatch(/^\s+app\s+open the terminal app/m);
      expect(bare.stdout).not.toContain('\u001b');
      const app = inPty('app');
      expect(app.stdout).toContain('needs a terminal with cursor control (TERM is dumb)');
      expect(app.stdout).not.toContain('\u001b');
    },
    600_000,
  );
});
