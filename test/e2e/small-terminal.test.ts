// The app in a real 40×10 terminal (tmux), not only in ink-testing-library: the title stays on the top line (the
// screen used to be taller than the terminal, which scrolled its top away), and the key help on Home, and the input
// line and key help on Chat before and after a reply, stay visible. Off a cursor-capable terminal (TERM=dumb, or
// stdout a pipe) the bytes `parley` writes, recorded raw with tmux's pipe-pane, hold no escape codes at all; the
// app's own run, recorded the same way, does hold cursor codes (so the check can see them). Every wait polls the
// screen with a generous timeout: the machine may be busy. Skips, saying why, without tmux.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared';

const BIN = join(REPO_ROOT, 'apps/parley/bin/parley.js');
const CHAT_MODEL = join(REPO_ROOT, 'apps/parley/models/sheldon/manifest.json');
const COLUMNS = 40;
const ROWS = 10;

const noTmux = spawnSync('tmux', ['-V']).status === 0 ? undefined : 'tmux is not installed (apt-get install -y tmux)';
if (noTmux) process.stderr.write(`skipped: small-terminal test in tmux: ${noTmux}\n`);
const noChat = existsSync(CHAT_MODEL) ? undefined : `no chat model at ${CHAT_MODEL}`;
if (!noTmux && noChat) process.stderr.write(`small-terminal test in tmux: the Chat part is skipped: ${noChat}\n`);

// A private tmux server, so the test never touches the user's sessions.
const SOCKET = `parley-small-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'parley-small-'));
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = (s: string) => tmux('capture-pane', '-p', '-t', s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  if (!noTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(dir, { recursive: true, force: true });
});

/** Polls the screen of session `s` until `check` holds; fails after `timeoutMs` showing the screen. */
async function waitFor(s: string, check: (x: string) => boolean, what: string, timeoutMs = 180_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const x = screen(s);
    if (check(x)) return x;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; screen:\n${x}`);
    await sleep(250);
  }
}

/**
 * Starts `command` in a new COLUMNS×ROWS session `s` whose output (every byte the command writes to the terminal)
 * is recorded to a file from its first byte: the shell waits for Enter until pipe-pane is on.
 */
function startRecorded(s: string, command: string): string {
  const raw = join(dir, `${s}.raw`);
  tmux(
    'new-session',
    '-d',
    '-s',
    s,
    '-x',
    String(COLUMNS),
    '-y',
    String(ROWS),
    '-c',
    REPO_ROOT,
    `read go; ${command}; echo PARLEY-EXIT=$?; sleep 600`,
  );
  tmux('pipe-pane', '-o', '-t', s, `cat >> '${raw}'`);
  tmux('send-keys', '-t', s, 'Enter');
  return raw;
}

/** ESC sequences that move the cursor, erase, or switch screens (CSI … A-H, J, K, s, u, ?…h/l). */
const CURSOR_CODES = /\u001b\[[0-9;?]*[A-HJKSTfhlsu]/;

/** The screen's lines without tmux's trailing empty rows. */
const lines = (x: string) => x.replace(/\n+$/, '').split('\n');

describe.skipIf(!!noTmux)('the app in a real 40×10 terminal (tmux)', () => {
  it('Home and Chat keep the title on top and the input line and key help at the bottom; the app draws with cursor codes', async () => {
    // CI=true would print help instead of opening the app; the app is what is under test.
    const raw = startRecorded('app', `env -u CI node ${BIN}`);
    // The first frame is drawn before the screen has measured its content; then the rest is clipped, with a line saying so.
    const below = /↓ \d+ line\(s\) below/;
    let x = await waitFor('app', (s) => s.includes('1. Chat') && below.test(s), 'Home, its content measured');
    expect(lines(x).length).toBeLessThanOrEqual(ROWS);
    expect(lines(x)[0]).toMatch(/^Parley\b/); // the top is not clipped
    expect(lines(x).at(-1)).toContain('Ctrl-C quit'); // the key help is the last line

    if (!noChat) {
      const inputLine = /^Leonard: +type a line and press Enter/m;
      tmux('send-keys', '-t', 'app', 'c');
      x = await waitFor('app', (s) => inputLine.test(s), 'the Chat screen with its input line');
      expect(lines(x)[0]).toMatch(/^Parley › Chat/);
      expect(x).toContain('Enter send');
      expect(lines(x).at(-1)).toContain('Ctrl-C quit');
      // A screen listens for keys once React has run its effects: the line is typed again (every 10 s) while
      // the input still shows its placeholder. A line longer than the terminal is wide shows its end on one
      // line (it used to wrap, squash the label to "LeonardSheldon…" and push the key help off the screen).
      const said = 'Sheldon, what is your favourite number? Mine is seventy-three.';
      const typed = /^Leonard: .*seventy-three\./m;
      for (let attempt = 0; !typed.test(screen('app')); attempt++) {
        if (attempt === 120) throw new Error(`the typed line never showed; screen:\n${screen('app')}`);
        if (attempt % 40 === 0 && inputLine.test(screen('app'))) tmux('send-keys', '-t', 'app', '-l', said);
        await sleep(250);
      }
      x = screen('app');
      expect(lines(x)[0]).toMatch(/^Parley › Chat/);
      expect(lines(x).at(-1)).toContain('Ctrl-C quit');
      tmux('send-keys', '-t', 'app', 'Enter');
      // The reply streams in; when it is done the empty input line comes back, still above the key help.
      x = await waitFor('app', (s) => /Sheldon: \S/.test(s) && inputLine.test(s), 'a finished reply');
      expect(lines(x).length).toBeLessThanOrEqual(ROWS);
      expect(lines(x)[0]).toMatch(/^Parley › Chat/);
      expect(x).toContain('Enter send');
      expect(lines(x).at(-1)).toContain('Ctrl-C quit');
    }

    tmux('send-keys', '-t', 'app', 'C-c');
    x = await waitFor('app', (s) => s.includes('PARLEY-EXIT='), 'the app to exit');
    expect(x).toContain('PARLEY-EXIT=0');
    expect(readFileSync(raw, 'utf8')).toMatch(CURSOR_CODES);
  }, 900_000);

  it('TERM=dumb and piped output: plain text, no escape codes in the bytes written', async () => {
    const runs = [
      ['dumb', `env -u CI TERM=dumb node ${BIN}`, 'PARLEY-EXIT=0', /open the terminal app/],
      ['dumb-app', `env -u CI TERM=dumb node ${BIN} app`, 'PARLEY-EXIT=2', /TERM is dumb/],
      ['piped', `env -u CI node ${BIN} | cat`, 'PARLEY-EXIT=0', /open the terminal app/],
      ['piped-app', `env -u CI node ${BIN} app 2>&1 | cat`, 'PARLEY-EXIT=0', /needs an interactive terminal/],
    ] as const;
    for (const [s, command, exit, says] of runs) {
      const raw = startRecorded(s, command);
      await waitFor(s, (x) => x.includes('PARLEY-EXIT='), `${s} to finish`);
      const x = screen(s);
      expect(x, s).toContain(exit);
      const bytes = readFileSync(raw, 'utf8');
      expect(bytes, s).toMatch(says);
      expect(bytes, s).not.toContain('\u001b');
    }
  }, 900_000);
});
