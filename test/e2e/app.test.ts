// End to end: the real app in a real terminal. tmux runs `npm start` in a 120×40 window; the test sends
// keys and reads the screen back, from Home to a streamed chat reply, a translation with its attention
// heatmap, a classified review with its word weights, a word's neighbours, and a clean exit on Ctrl-C. Skips (saying why) without tmux or the bundled models.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/shared';

const CHAT_MODEL = process.env.PARLEY_CHAT_MODEL ?? join(REPO_ROOT, 'apps/parley/models/sheldon');
const TRANSLATE_MODEL = process.env.PARLEY_TRANSLATE_MODEL ?? join(REPO_ROOT, 'apps/parley/models/pt-en');

const hasChat = existsSync(join(CHAT_MODEL, 'manifest.json'));
const hasTranslate = existsSync(join(TRANSLATE_MODEL, 'manifest.json'));
const hasSentiment =
  !process.env.PARLEY_CLASSIFY_MODELS && existsSync(join(REPO_ROOT, 'apps/parley/models/sentiment/manifest.json'));

function why(): string | undefined {
  if (spawnSync('tmux', ['-V']).status !== 0) return 'tmux is not installed (apt-get install -y tmux)';
  if (!hasChat && !hasTranslate) return `no bundled models in ${CHAT_MODEL} or ${TRANSLATE_MODEL}`;
  return undefined;
}
const reason = why();
if (reason) process.stderr.write(`skipped: app end-to-end test: ${reason}\n`);
// With one bundled model only, the other half of the test is skipped (and says so).
if (!reason && !hasChat) process.stderr.write(`app end-to-end test: chat part skipped, no model in ${CHAT_MODEL}\n`);
if (!reason && !hasTranslate)
  process.stderr.write(`app end-to-end test: translate part skipped, no model in ${TRANSLATE_MODEL}\n`);

// Word vectors for the Embeddings screen (a word2vec text file, as `parley embeddings train` writes).
const VECTORS = join(mkdtempSync(join(tmpdir(), 'parley-e2e-')), 'vectors.txt');
writeFileSync(VECTORS, '3 2\ncat 1 0.1\ndog 0.9 0.2\ncar 0 1\n');

// A private tmux server, so the test never touches the user's sessions.
const SOCKET = `parley-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'app');
const keys = (...k: string[]) => tmux('send-keys', '-t', 'app', ...k);
const text = (s: string) => tmux('send-keys', '-t', 'app', '-l', s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: (s: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const s = screen();
    if (check(s)) return s;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await sleep(200);
  }
}

afterAll(() => {
  if (!reason) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

describe('parley app in a real terminal (tmux)', () => {
  it.skipIf(!!reason)(
    'npm start → chat reply → translation with heatmap → classify → word neighbours → Ctrl-C exits cleanly',
    async () => {
      // CI=true would make the CLI print help instead of opening the app; the app is what is under test.
      tmux(
        'new-session',
        '-d',
        '-s',
        'app',
        '-x',
        '120',
        '-y',
        '40',
        '-c',
        REPO_ROOT,
        `env -u CI PARLEY_EMBEDDINGS=${VECTORS} npm start; echo PARLEY-EXIT=$?; sleep 600`,
      );
      let s = await waitFor(
        (x) => x.includes('1. Chat') && /chat\s+[●○] /.test(x) && /translate\s+[●○] /.test(x),
        'Home with the models loaded',
        45_000,
      );
      expect(s).toMatch(/backend: \w+/);
      if (hasChat) expect(s).toMatch(/chat\s+● /);
      if (hasTranslate) expect(s).toMatch(/translate\s+● /);

      // A new screen listens for keys once React has run its effects: the test waits for typed text to
      // show before pressing Enter (the machine may be busy).
      if (hasChat) {
        // Chat: a typed line gets a streamed reply from Sheldon.
        keys('c');
        await waitFor((x) => x.includes('Parley › Chat'), 'the Chat screen');
        await sleep(1000);
        text('Sheldon, what is your favourite number?');
        await waitFor((x) => x.includes('Leonard: Sheldon, what is your favourite number?'), 'the typed line');
        keys('Enter');
        s = await waitFor(
          (x) => /Sheldon: \S/.test(x) && x.includes('type a line and press Enter'),
          'a finished reply',
        );
        expect(s).toMatch(/Leonard: Sheldon, what is your favourite number\?/);
        keys('Escape');
        await waitFor((x) => x.includes('1. Chat'), 'Home again');
        await sleep(1000);
      }

      if (hasTranslate) {
        // Translate: n-best with scores, then the heatmap on Tab.
        keys('t');
        await waitFor((x) => x.includes('Parley › Translate'), 'the Translate screen');
        await sleep(1000);
        text('Eu gosto muito de ler livros.');
        await waitFor((x) => x.includes('pt › Eu gosto muito de ler livros.'), 'the typed sentence');
        keys('Enter');
        s = await waitFor((x) => /❯ 1\.\s+-?\d+\.\d{3} \S/.test(x), 'the n-best list');
        await sleep(500);
        keys('Tab');
        s = await waitFor((x) => x.includes('hide heatmap'), 'the heatmap');
        expect(s).toContain('columns: Portuguese (source)');
        expect(s).toMatch(/[░▒▓█]/);
        keys('Escape');
        await waitFor((x) => x.includes('1. Chat'), 'Home again');
        await sleep(1000);
      }

      if (hasSentiment) {
        // Classify (5: the bundled sentiment model): the bars follow the typed review, then its words' weights.
        keys('5');
        await waitFor((x) => x.includes('Parley › Classify'), 'the Classify screen');
        await sleep(1000);
        text('a wonderful , moving film');
        s = await waitFor((x) => x.includes('towards pos:'), 'the bars and the word weights');
        expect(s).toMatch(/^pos\s+█+/m);
        expect(s).toContain('a wonderful , moving film');
      }

      // Embeddings (w, last on Home) on the word2vec file PARLEY_EMBEDDINGS names: neighbours as bars.
      keys('Escape');
      await waitFor((x) => x.includes('1. Chat'), 'Home again');
      await sleep(1000);
      keys('w');
      await waitFor((x) => x.includes('3 words × 2'), 'the Embeddings screen with its vectors loaded');
      await sleep(1000);
      text('cat');
      s = await waitFor((x) => x.includes('cat ≈'), 'the neighbours of cat');
      expect(s).toMatch(/^dog\s+█+\S*\s+0\.9\d{3}\n+car\s+/m);

      // Ctrl-C leaves the app with exit code 0 and hands the terminal back to the shell.
      keys('C-c');
      s = await waitFor((x) => x.includes('PARLEY-EXIT='), 'the app to exit');
      expect(s).toContain('PARLEY-EXIT=0');
    },
    120_000,
  );
});
