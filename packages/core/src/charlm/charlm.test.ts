import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { collect } from '@parley/text';
import { formatProgressEvent, loadWeights, type ProgressEvent } from '../common/index';
import {
  CharLmNet,
  StreamBatcher,
  chatPrompt,
  chatReply,
  generateChars,
  loadCharLm,
  readTextDocs,
  resolveCharLmConfig,
  trainCharLm,
  type CharLmConfig,
} from './index';

beforeAll(async () => {
  await initBackend();
});

/** A small, very regular dialogue corpus: a tiny model learns it within a few dozen steps. */
function writeCorpus(dir: string): string {
  const lines: string[] = [];
  const replies = ['Bazinga!', 'That is my spot.', 'Knock knock, Penny.', 'I am not crazy, my mother had me tested.'];
  for (let e = 0; e < 12; e++) {
    lines.push(`#EPISODE\tS01E${String(e + 1).padStart(2, '0')} Test`);
    for (let i = 0; i < 30; i++) {
      lines.push(`Leonard\tHello Sheldon, number ${(e * 30 + i) % 7}.`);
      lines.push(`Sheldon\t${replies[(e + i) % replies.length]}`);
    }
  }
  const path = join(dir, 'dialogue.tsv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function tinyConfig(dir: string, training: Partial<CharLmConfig['training']> = {}): CharLmConfig {
  return resolveCharLmConfig(
    {
      kind: 'charlm',
      name: 'tiny',
      data: { corpus: writeCorpus(dir), validation: 2, test: 2, minCharCount: 1 },
      model: { layers: 2, hidden: 24, embedding: 8, dropout: 0.1 },
      training: { batchSize: 8, seqLen: 16, lr: 0.01, validEvery: 5, checkpointEvery: 3, logEvery: 5, ...training },
      output: { dir: join(dir, 'model'), workDir: join(dir, 'work'), dtype: 'int8' },
    },
    'test config',
  );
}

describe('config', () => {
  it('fills defaults and rejects unknown or mistyped options, naming them', () => {
    const c = resolveCharLmConfig({ kind: 'charlm', data: { corpus: 'x.tsv' }, output: { dir: 'm' } }, 'a.yaml');
    expect(c.model.hidden).toBe(512);
    expect(c.output.workDir).toBe(join(process.cwd(), 'runs/a'));
    expect(() =>
      resolveCharLmConfig(
        { kind: 'charlm', data: { corpus: 'x' }, output: { dir: 'm' }, model: { hiden: 3 } },
        'a.yaml',
      ),
    ).toThrow('a.yaml: model.hiden: unknown key (did you mean hidden?)');
    expect(() =>
      resolveCharLmConfig(
        { kind: 'charlm', data: { corpus: 'x' }, output: { dir: 'm' }, training: { lr: 'fast' } },
        'a.yaml',
      ),
    ).toThrow('a.yaml: training.lr: must be a number ≥ 0, got "fast"');
    expect(() => resolveCharLmConfig({ kind: 'charlm', output: { dir: 'm' } }, 'a.yaml')).toThrow(
      'a.yaml: data.corpus: is required',
    );
  });
});

describe('stream batches', () => {
  it('carries each row on from where the previous batch ended', () => {
    const ids = Int32Array.from({ length: 101 }, (_, i) => i);
    const b = new StreamBatcher(ids, 2, 5);
    const first = b.batch(0, 0, 0);
    const second = b.batch(0, 1, 0);
    expect(Array.from(first.inputs.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(first.targets.subarray(0, 5))).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(second.inputs.subarray(0, 5))).toEqual([5, 6, 7, 8, 9]);
    expect(first.inputs[5]).toBe(50);
  });
});

describe('char-LM training', () => {
  it('lowers validation loss, writes a loadable model whose stored weights score like full precision, and generates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-charlm-'));
    const events: ProgressEvent[] = [];
    const result = await trainCharLm(tinyConfig(dir, { maxSteps: 120, validEvery: 20 }), {
      onEvent: (e) => events.push(e),
    });
    const vals = events.flatMap((e) => (e.type === 'validation' ? [e.loss] : []));
    expect(vals.length).toBe(6);
    expect(vals.at(-1)!).toBeLessThan(vals[0]! - 1);
    expect(result.validation.natsPerChar).toBeLessThan(2);
    expect(Math.abs(result.quantizedValidation.natsPerChar - result.validation.natsPerChar)).toBeLessThan(0.02);
    expect(events.some((e) => e.type === 'step' && e.tokensPerSec > 0 && e.etaSec! >= 0)).toBe(true);
    // The one event union: start, steps (epoch and step within it), validations in bits/char, checkpoints, done.
    const start = events.find((e) => e.type === 'start');
    expect(start).toMatchObject({ startStep: 0, totalSteps: 120, metric: 'bits/char', higherIsBetter: false });
    // Steps count from 1; `epoch` is the epochs completed before the step, `epochStep` the step within its epoch.
    const perEpoch = (start as { stepsPerEpoch: number }).stepsPerEpoch;
    for (const e of events)
      if (e.type === 'step')
        expect(e).toMatchObject({
          epoch: Math.floor((e.step - 1) / perEpoch),
          epochStep: ((e.step - 1) % perEpoch) + 1,
        });
    expect(events.find((e) => e.type === 'step')).toMatchObject({ step: 5, epoch: 0, epochStep: 5, unit: 'chars' });
    expect(events.find((e) => e.type === 'validation')).toMatchObject({ step: 20, best: true, samples: [] });
    expect(events).toContainEqual({
      type: 'checkpoint',
      step: 20,
      path: join(dir, 'work', 'checkpoints', 'best'),
      best: true,
    });
    expect(events.at(-1)).toEqual({ type: 'done', reason: 'finished', step: 120, why: 'reached 120 updates' });
    expect(result.stopReason).toBe('reached 120 updates');
    // train.log (in the work directory) is exactly the events, formatted in one place (and time-stamped).
    const logged = readFileSync(join(dir, 'work', 'train.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\S+ /, ''));
    expect(logged).toEqual(events.flatMap((e) => formatProgressEvent(e).split('\n')));
    expect(logged).toContainEqual(
      expect.stringMatching(/^validation: update 20 nats\/char \S+ bits\/char \S+ \(new best\)$/),
    );

    const lm = loadCharLm(join(dir, 'model'));
    expect(lm.manifest.kind).toBe('charlm');
    expect(lm.manifest.weights.dtype).toBe('int8');
    let text = '';
    for await (const ch of generateChars(lm, '\nLeonard:', { seed: 1, maxNewTokens: 30, temperature: 0.5 })) text += ch;
    expect(text.length).toBe(30);
    let again = '';
    for await (const ch of generateChars(lm, '\nLeonard:', { seed: 1, maxNewTokens: 30, temperature: 0.5 }))
      again += ch;
    expect(again).toBe(text);
    let reply = '';
    for await (const ch of chatReply(lm, [{ speaker: 'Leonard', text: 'Hello Sheldon, number 3.' }], {
      temperature: 0,
    }))
      reply += ch;
    expect(reply).not.toContain('\n');
    expect(reply.length).toBeGreaterThan(0);
    expect(reply.length).toBeLessThan(100); // ended at the end of the line, not at the length limit
    // A conversation's seed: the reply after one reply of Sheldon's draws with seed + 1 (replySeed).
    const history = [
      { speaker: 'Leonard', text: 'Hello Sheldon, number 3.' },
      { speaker: 'Sheldon', text: reply },
      { speaker: 'Leonard', text: 'Hello Sheldon, number 4.' },
    ];
    const second = (await collect(chatReply(lm, history, { seed: 7, temperature: 1 }))).join('');
    const prompt = chatPrompt(history, 'Sheldon');
    const drawn = await collect(generateChars(lm, prompt, { seed: 8, temperature: 1, stopStrings: ['\n'] }));
    expect(drawn.join('').replace(/\n$/, '')).toBe(second);
    lm.net.dispose();
  });

  it('resumes from a checkpoint to exactly the weights of an uninterrupted run', async () => {
    const a = mkdtempSync(join(tmpdir(), 'parley-charlm-a-'));
    const b = mkdtempSync(join(tmpdir(), 'parley-charlm-b-'));
    await trainCharLm(tinyConfig(a, { maxSteps: 8 }));
    await trainCharLm(tinyConfig(b, { maxSteps: 4 }));
    const resumed: ProgressEvent[] = [];
    await trainCharLm(tinyConfig(b, { maxSteps: 8 }), { onEvent: (e) => resumed.push(e) });
    expect(resumed.find((e) => e.type === 'start')).toMatchObject({ startStep: 4 });
    const wa = loadWeights(join(a, 'work/checkpoints/last/weights.bin'));
    const wb = loadWeights(join(b, 'work/checkpoints/last/weights.bin'));
    for (const name of Object.keys(wa))
      expect(Array.from(wb[name]!.dataSync())).toEqual(Array.from(wa[name]!.dataSync()));
    expect(JSON.parse(readFileSync(join(b, 'work/checkpoints/last/state.json'), 'utf8')).step).toBe(8);
  });

  it('counts maxMinutes across resumes: a resumed run stops at once when the earlier runs used the budget', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-charlm-minutes-'));
    await trainCharLm(tinyConfig(dir, { maxSteps: 3 }));
    const stateFile = join(dir, 'work/checkpoints/last/state.json');
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { step: number; elapsedSeconds: number };
    expect(state.step).toBe(3);
    expect(state.elapsedSeconds).toBeGreaterThan(0); // the wall clock so far is kept for the next run
    // As if the first run had trained for 90 minutes: a 60-minute budget is spent before the resumed run starts.
    writeFileSync(stateFile, JSON.stringify({ ...state, elapsedSeconds: 90 * 60 }));
    const events: ProgressEvent[] = [];
    await trainCharLm(tinyConfig(dir, { maxSteps: 6, maxMinutes: 60 }), { onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.type === 'step')).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'done', step: 3, why: 'reached the time limit of 60 minutes' });
    // With budget left the same resume trains on to maxSteps, and the count goes on from the saved seconds.
    writeFileSync(stateFile, JSON.stringify({ ...state, elapsedSeconds: 30 * 60 }));
    await trainCharLm(tinyConfig(dir, { maxSteps: 6, maxMinutes: 60 }));
    const after = JSON.parse(readFileSync(stateFile, 'utf8')) as { step: number; elapsedSeconds: number };
    expect(after.step).toBe(6);
    expect(after.elapsedSeconds).toBeGreaterThan(30 * 60);
  });
});

describe('stepping', () => {
  it('feeding a prefix then one character gives the logits of feeding it all at once', async () => {
    for (const cell of ['lstm', 'gru'] as const) {
      const net = new CharLmNet({ cell, layers: 2, hidden: 8, embedding: 4, dropout: 0 }, 10, 3);
      const whole = await net.step(
        [
          [1, 2, 3, 4],
          [4, 3, 2, 1],
        ],
        undefined,
      );
      const prefix = await net.step(
        [
          [1, 2, 3],
          [4, 3, 2],
        ],
        undefined,
      );
      const next = await net.step([[4], [1]], prefix.state);
      for (let i = 0; i < 20; i++) expect(next.logits[i]).toBeCloseTo(whole.logits[i]!, 5);
      net.disposeState(whole.state);
      net.disposeState(next.state);
      net.dispose();
    }
  });
});

describe('chat prompt', () => {
  it('reads a plain-text corpus as every reader does: BOM dropped, CRLF as LF, invalid UTF-8 names file:line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-charlm-text-'));
    const write = (name: string, text: string | Buffer) => (writeFileSync(join(dir, name), text), join(dir, name));
    const lf = readTextDocs(write('lf.txt', 'one\ntwo\nthree\n'), 2);
    expect(lf).toEqual([
      { name: 'lines 1-2', text: 'one\ntwo\n' },
      { name: 'lines 3-3', text: 'three\n' },
    ]);
    expect(readTextDocs(write('crlf.txt', '\ufeffone\r\ntwo\r\nthree\r\n'), 2)).toEqual(lf);
    const bad = write('bad.txt', Buffer.concat([Buffer.from('one\n'), Buffer.from([0xff]), Buffer.from('\n')]));
    expect(() => readTextDocs(bad)).toThrow(`${bad}:2: invalid UTF-8`);
  });

  it('lays the conversation out as training turns and keeps the most recent context', () => {
    expect(chatPrompt([{ speaker: 'Penny', text: 'Hi  there\n' }], 'Sheldon')).toBe('\nPenny: Hi there\nSheldon: ');
    const long = Array.from({ length: 50 }, (_, i) => ({ speaker: 'Leonard', text: `line ${i}` }));
    const p = chatPrompt(long, 'Sheldon', 100);
    expect(p).toContain('line 49');
    expect(p).not.toContain('line 0\n');
    expect(p.length).toBeLessThan(130);
  });
});
