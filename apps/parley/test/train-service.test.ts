// The real TrainService: a tiny char-LM run in a child process, streamed as dashboard events, stopped
// from the app, which leaves a checkpoint and an exported model behind; a classifier cross-validated in folds.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { loadChatService } from '../src/app/real/chat';
import { createTrainService } from '../src/app/real/train';
import { DEFAULT_SAMPLING } from '../src/app/services';
import type { TrainEvent } from '../src/app/services';

const dir = mkdtempSync(join(tmpdir(), 'parley-app-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tinyConfig(): string {
  const words = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'and', 'dog', 'ran', 'far'];
  const lines = Array.from({ length: 3000 }, (_, i) =>
    Array.from({ length: 6 }, (__, j) => words[(i * 7 + j * 3 + ((i * j) % 5)) % words.length]).join(' '),
  );
  writeFileSync(join(dir, 'text.txt'), lines.join('\n') + '\n');
  const config = `kind: charlm
name: tiny
data: { corpus: ${join(dir, 'text.txt')}, format: text, validation: 1, test: 1 }
model: { cell: lstm, layers: 1, hidden: 16, embedding: 8, dropout: 0 }
training: { batchSize: 4, seqLen: 16, epochs: 1, maxSteps: 100000, validEvery: 10, validChars: 500, checkpointEvery: 10, logEvery: 2 }
output: { dir: ${join(dir, 'model')}, workDir: ${join(dir, 'work')}, dtype: float32 }
`;
  writeFileSync(join(dir, 'tiny.yaml'), config);
  return join(dir, 'tiny.yaml');
}

describe('TrainService (real trainer in a child process)', () => {
  it('streams start, step, validation and checkpoint events, and stop() checkpoints and exports the model', async () => {
    const service = createTrainService([]);
    const run = await service.start(tinyConfig(), { resume: false });
    const events: TrainEvent[] = [];
    for await (const e of run.events) {
      events.push(e);
      if (e.type === 'validation') run.stop();
    }
    const types = new Set(events.map((e) => e.type));
    expect(types).toContain('start');
    expect(types).toContain('step');
    const start = events.find((e) => e.type === 'start')!;
    expect(start).toMatchObject({ metric: 'bits/char', higherIsBetter: false, totalEpochs: 1 });
    const v = events.find((e) => e.type === 'validation')!;
    expect(v).toMatchObject({ step: 10, best: true });
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', reason: 'stopped' });
    // Stopped soon after the validation at step 10 (the stop is seen at the next progress report).
    expect((done as { step: number }).step).toBeLessThan(20);
    expect(events.some((e) => e.type === 'checkpoint' && e.step === (done as { step: number }).step)).toBe(true);
    expect(existsSync(join(dir, 'model', 'manifest.json'))).toBe(true);
    // Samples of the validated checkpoint, for the dashboard.
    const samples = events.find((e) => e.type === 'samples');
    expect(samples).toMatchObject({ step: 10 });
    expect((samples as { samples: string[] }).samples[0]!.length).toBeGreaterThan(0);
  });

  it('the chat service streams a reply from the model the run exported, one character at a time, reproducibly by seed', async () => {
    await initBackend();
    const chat = loadChatService(join(dir, 'model'));
    expect(chat.model.name).toBe('tiny');
    expect(chat.model.summary).toMatch(/1×16 lstm/);
    const reply = async (seed: number) => {
      const chars: string[] = [];
      for await (const ch of chat.reply([{ speaker: 'Leonard', text: 'the cat' }], {
        ...DEFAULT_SAMPLING,
        maxLength: 30,
        seed,
      }))
        chars.push(ch);
      return chars;
    };
    const a = await reply(7);
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((c) => [...c].length === 1 && c !== '\n')).toBe(true);
    expect(await reply(7)).toEqual(a);
  });

  it('cross-validates a classifier config: each fold trains, then its fold event; a char-LM config is refused', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 20; i++) lines.push(`spam\tWIN a free prize now call ${i}`, `ham\tsee you at lunch ${i}`);
    writeFileSync(join(dir, 'sms.tsv'), lines.join('\n') + '\n');
    writeFileSync(
      join(dir, 'cv.yaml'),
      `kind: classifier\nname: sms-cv\nmodelDir: ${join(dir, 'cv')}\ndata:\n  file: ${join(dir, 'sms.tsv')}\n`,
    );
    const service = createTrainService([]);
    const events: TrainEvent[] = [];
    for await (const e of (await service.start(join(dir, 'cv.yaml'), { resume: false, folds: 3 })).events)
      events.push(e);
    const folds = events.filter((e) => e.type === 'fold');
    expect(folds).toEqual([1, 2, 3].map((fold) => ({ type: 'fold', fold, folds: 3, metric: 'accuracy', value: 1 })));
    expect(events.filter((e) => e.type === 'start')).toHaveLength(3);
    expect(events.at(-1)).toEqual(folds[2]); // each fold's run (start … done) comes before its score
    expect(existsSync(join(dir, 'cv', 'folds', '3', 'manifest.json'))).toBe(true);

    const refused: TrainEvent[] = [];
    for await (const e of (await service.start(tinyConfig(), { resume: false, folds: 3 })).events) refused.push(e);
    expect(refused).toContainEqual({
      type: 'log',
      line: expect.stringMatching(
        /training failed \(exit 1\): .*tiny\.yaml: cross-validation is for kind: classifier configs \(this one is kind: charlm\)/,
      ),
    });
  });

  it('reports a missing config clearly', async () => {
    await expect(createTrainService([]).start(join(dir, 'nope.yaml'), { resume: false })).rejects.toThrow(
      /nope\.yaml: config file not found/,
    );
  });
});
