// `parley generate`, `parley chat`, the app's Chat screen and the Train screen's samples draw char-LM text through
// one sampler (@parley/decode's generate, reached through @parley/core's charLmSampling) with settings resolved in
// one place (resolveCharSampling: library defaults → the model's `sampling` section → the caller), so the same
// model, settings and seed give the same text from the CLI and the app. Runs the real CLI and the real app service.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { collect } from '@parley/text';
import { CHAR_SAMPLING_DEFAULTS, generateChars, loadCharLm } from '@parley/core';
import { loadChatService } from '../apps/parley/src/app/real/chat';
import type { ChatTurn } from '../apps/parley/src/app/services';
import { DEFAULT_CHARLM_MODEL } from '../apps/parley/src/paths';
import { REPO_ROOT } from './support/shared';

const bundled = existsSync(join(DEFAULT_CHARLM_MODEL, 'manifest.json'));
const tmp = mkdtempSync(join(tmpdir(), 'parley-generate-agreement-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function parley(args: string[], input = ''): string {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'apps/parley/bin/parley.js'), ...args], {
    input,
    encoding: 'utf8',
    timeout: 300_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The bundled model with a `sampling` section in its manifest (weights and tokenizer linked, not copied). */
function modelWithSampling(sampling: object): string {
  const dir = join(tmp, 'sampling-model');
  const manifest = JSON.parse(readFileSync(join(DEFAULT_CHARLM_MODEL, 'manifest.json'), 'utf8')) as object;
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, sampling }, null, 2));
  for (const f of ['weights.bin', 'tokenizer.json']) symlinkSync(join(DEFAULT_CHARLM_MODEL, f), join(dir, f));
  return dir;
}

/** The characters a stream yields, as one string. */
const joined = async (chars: AsyncIterable<string>): Promise<string> => (await collect(chars)).join('');

describe.skipIf(!bundled)('the CLI and the app sample the same char-LM text', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('parley chat and the Chat screen give the same reply for the same seed, with the model’s settings', async () => {
    const line = 'Sheldon, what are you doing?';
    for (const dir of [DEFAULT_CHARLM_MODEL, modelWithSampling({ temperature: 0.3, topP: 0.8 })]) {
      const service = loadChatService(dir);
      // The screen starts from the settings `parley chat` uses when no flag is given.
      const expected =
        dir === DEFAULT_CHARLM_MODEL
          ? CHAR_SAMPLING_DEFAULTS
          : { ...CHAR_SAMPLING_DEFAULTS, temperature: 0.3, topP: 0.8 };
      expect(service.defaults).toMatchObject({ temperature: expected.temperature, topP: expected.topP });
      const cli = parley(['chat', '--model', dir, '--you', 'Leonard', '--seed', '5'], `${line}\n`);
      const app = await joined(service.reply([{ speaker: 'Leonard', text: line }], { ...service.defaults, seed: 5 }));
      expect(app.length).toBeGreaterThan(0);
      expect(cli).toBe(`Sheldon: ${app}\n`);
    }
  }, 600_000);

  it('parley chat and the Chat screen give the same replies over two turns for one conversation seed', async () => {
    const lines = ['Sheldon, what are you doing?', 'Do you want to come to the movies?'];
    const service = loadChatService(DEFAULT_CHARLM_MODEL);
    const cli = parley(['chat', '--you', 'Leonard', '--seed', '5'], lines.map((l) => `${l}\n`).join(''));
    // The screen passes its seed unchanged with every reply (chatReply draws reply n with seed + n).
    const settings = { ...service.defaults, seed: 5 };
    const history: ChatTurn[] = [];
    const replies: string[] = [];
    for (const line of lines) {
      history.push({ speaker: 'Leonard', text: line });
      const reply = await joined(service.reply(history, settings));
      history.push({ speaker: 'Sheldon', text: reply.trim() });
      replies.push(reply);
    }
    expect(cli).toBe(replies.map((r) => `Sheldon: ${r}\n`).join(''));
  }, 600_000);

  it('parley generate and the library (the Train screen’s samples) give the same text for the same seed', async () => {
    const prime = 'Penny: Do you want to get some dinner?\nSheldon: ';
    const cli = parley(['generate', '--prime', prime, '--seed', '3', '--length', '80']);
    const lm = loadCharLm(DEFAULT_CHARLM_MODEL);
    const lib = await joined(generateChars(lm, prime, { seed: 3, maxNewTokens: 80 }));
    lm.net.dispose();
    expect([...lib]).toHaveLength(80);
    expect(cli).toBe(`${prime}${lib}\n`);
  }, 600_000);
});
