import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { formatProgressEvent, type ProgressEvent } from '../common/events';
import { resolveConfig } from './config';
import { trainSeq2seq } from './train';
import { Translator } from './translator';
import type { Seq2seqData } from './data';

const dirs: string[] = [];
beforeAll(async () => {
  await initBackend();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A small reverse task: sequences of 1..6 symbols out of 8, target reversed. */
function reverseData(n: number, seed: number): { source: string; target: string; line: number }[] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, (_, i) => {
    const seq = Array.from({ length: 1 + Math.floor(r() * 6) }, () => `w${Math.floor(r() * 8)}`);
    return { source: seq.join(' '), target: [...seq].reverse().join(' '), line: i + 1 };
  });
}

function config(dir: string, training: Record<string, unknown>) {
  return resolveConfig(
    {
      kind: 'seq2seq',
      name: 'reverse-tiny',
      modelDir: dir,
      data: { train: ['unused.tsv'], dev: 'unused.tsv', removeHeldOut: false },
      tokenizer: { type: 'word', vocabSize: 20 },
      model: {
        encoder: { embeddingDim: 32, hiddenSize: 32, dropout: 0 },
        decoder: { embeddingDim: 32, hiddenSize: 32, attention: 'general', dropout: 0.1 },
      },
      training: { lr: 0.01, batchTokens: 400, validEvery: 50, logEvery: 25, labelSmoothing: 0, ...training },
      exportDtype: 'float32',
    },
    join(dir, 'config.yaml'),
    dir,
  );
}

const data: Seq2seqData = { train: reverseData(600, 1), dev: reverseData(30, 2), test: [], notes: [] };
/** The model directory trained by the first test (fine-tuning starts from it). */
let reverseModelDir = '';

describe('seq2seq training', () => {
  it('learns the reverse task within a short budget and writes its model directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-rev-'));
    dirs.push(dir);
    const r = await trainSeq2seq(config(dir, { maxUpdates: 150, validEvery: 30, keepBest: 2 }), { data });
    expect(r.best!.bleu).toBeGreaterThan(80);
    reverseModelDir = dir;
    const t = await Translator.load(dir);
    const out = await t.translate('w1 w2 w3 w4', { beamSize: 3 });
    expect(out.hypotheses[0]!.text).toBe('w4 w3 w2 w1');
    expect(out.hypotheses[0]!.attention.length).toBe(5); // 4 tokens + EOS
    // Sampling through @parley/decode: temperature 0 is greedy; several samples come back as a batch.
    const greedy = await t.translate('w5 w6 w7', { beamSize: 1 });
    expect(await t.sample('w5 w6 w7', { temperature: 0 })).toEqual([greedy.hypotheses[0]!.text]);
    expect((await t.sample('w5 w6 w7', { temperature: 1, samples: 3, seed: 1 })).length).toBe(3);
    t.dispose();
    const tsv = readFileSync(join(dir, 'validations.tsv'), 'utf8').trim().split('\n');
    expect(tsv[0]).toBe('step\tloss\tppl\tbleu\tchrf\tlr\tbest');
    expect(tsv.length).toBe(1 + 5);
    expect(r.tokensPerSecond).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'train.log'), 'utf8')).toMatch(/sample 1: w\S*( w\S*)* → /);
    expect(readdirSync(join(dir, 'checkpoints')).filter((n) => n.startsWith('best-')).length).toBe(2);
  }, 600_000); // 150 updates take about a minute idle and two on a loaded 2-core machine

  it('reports typed progress events and stops on an AbortSignal after one more validation and checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-events-'));
    dirs.push(dir);
    const small = { train: data.train.slice(0, 120), dev: data.dev.slice(0, 6), test: [], notes: [] };
    const events: ProgressEvent[] = [];
    const stop = new AbortController();
    const r = await trainSeq2seq(config(dir, { maxUpdates: 1000, validEvery: 4, logEvery: 2, logExamples: 2 }), {
      data: small,
      signal: stop.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'validation') stop.abort(); // the Train screen's stop key, after the first validation
      },
    });
    expect(r.stopReason).toBe('stopped on request');
    const progress = events.filter((e) => e.type !== 'log');
    expect(progress.map((e) => e.type)).toEqual(['start', 'step', 'step', 'validation', 'checkpoint', 'done']);
    expect(progress[0]).toMatchObject({ type: 'start', startStep: 0, totalSteps: 1000, metric: 'BLEU' });
    expect(progress[3]).toMatchObject({ type: 'validation', step: 4, best: true });
    expect((progress[3] as { samples: string[] }).samples).toHaveLength(2);
    expect(progress[4]).toEqual({ type: 'checkpoint', step: 4, path: join(dir, 'checkpoints', 'last'), best: true });
    expect(progress[5]).toEqual({ type: 'done', reason: 'stopped', step: 4, why: 'stopped on request' });
    // train.log is exactly the events, formatted in one place (and time-stamped).
    const logged = readFileSync(join(dir, 'train.log'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/^\S+ /, ''));
    expect(logged).toEqual(events.flatMap((e) => formatProgressEvent(e).split('\n')));
    expect(logged.find((l) => l.startsWith('validation: update 4 '))).toMatch(
      /^validation: update 4 loss \S+ ppl \S+ bleu \S+ chrf \S+ \(new best\)$/,
    );
  });

  it('resuming from a checkpoint continues on the same loss curve', async () => {
    const a = mkdtempSync(join(tmpdir(), 'parley-resume-a-'));
    const b = mkdtempSync(join(tmpdir(), 'parley-resume-b-'));
    dirs.push(a, b);
    const small = { train: data.train.slice(0, 200), dev: data.dev.slice(0, 8), test: [], notes: [] };
    const opts = { validEvery: 6, logEvery: 100, scheduler: 'plateau', patience: 0 };
    const full = await trainSeq2seq(config(a, { ...opts, maxUpdates: 12 }), { data: small });
    await trainSeq2seq(config(b, { ...opts, maxUpdates: 6 }), { data: small });
    expect(existsSync(join(b, 'checkpoints', 'last', 'state.json'))).toBe(true);
    const resumed = await trainSeq2seq(config(b, { ...opts, maxUpdates: 12 }), { data: small });
    expect(resumed.losses.map(([s]) => s)).toEqual([7, 8, 9, 10, 11, 12]);
    resumed.losses.forEach(([, l], i) => expect(l).toBeCloseTo(full.losses[6 + i]![1], 4));
  });

  it('a stop request ends training at the next update with a checkpoint, and the run resumes from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-stop-'));
    dirs.push(dir);
    const small = { train: data.train.slice(0, 200), dev: data.dev.slice(0, 8), test: [], notes: [] };
    const opts = { validEvery: 100, logEvery: 1 };
    const stop = new AbortController();
    const stopped = await trainSeq2seq(config(dir, { ...opts, maxUpdates: 50 }), {
      data: small,
      signal: stop.signal,
      onEvent: (e) => e.type === 'step' && e.step === 4 && stop.abort(),
    });
    expect(stopped.stopReason).toBe('stopped on request');
    expect(stopped.steps).toBe(4);
    expect(stopped.validations.at(-1)?.step).toBe(4);
    expect(existsSync(join(dir, 'checkpoints', 'last', 'state.json'))).toBe(true);
    // A kill between a validation's row and its checkpoint leaves a row the checkpoint does not know of.
    const tsv = join(dir, 'validations.tsv');
    appendFileSync(tsv, '5\t1.0000\t2.72\t0.00\t0.00\t1.000e-2\t\n');
    const resumed = await trainSeq2seq(config(dir, { ...opts, maxUpdates: 6 }), { data: small });
    expect(resumed.losses.map(([s]) => s)).toEqual([5, 6]);
    const steps = readFileSync(tsv, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t')[0]);
    expect(steps).toEqual(['4', '6']);
  });

  it('initFrom fine-tunes a trained model: its weights and tokenizer, fresh optimizer; a different architecture is refused', async () => {
    expect(reverseModelDir).not.toBe('');
    const tuned = mkdtempSync(join(tmpdir(), 'parley-init-'));
    const fresh = mkdtempSync(join(tmpdir(), 'parley-init-fresh-'));
    dirs.push(tuned, fresh);
    const small = { train: data.train.slice(0, 100), dev: data.dev, test: [], notes: [] };
    const opts = { maxUpdates: 5, validEvery: 5, logEvery: 100, lr: 0.001 };
    const fromScratch = await trainSeq2seq(config(fresh, opts), { data: small });
    const fineTuned = await trainSeq2seq(config(tuned, { ...opts, initFrom: reverseModelDir }), { data: small });
    expect(fromScratch.best!.bleu).toBeLessThan(30);
    expect(fineTuned.best!.bleu).toBeGreaterThan(80);
    expect(fineTuned.losses[0]![1]).toBeLessThan(fromScratch.losses[0]![1] / 2);
    expect(readFileSync(join(tuned, 'train.log'), 'utf8')).toContain(
      `init: weights and tokenizer from ${reverseModelDir}`,
    );
    const bigger = config(mkdtempSync(join(tmpdir(), 'parley-init-bad-')), { initFrom: reverseModelDir });
    dirs.push(bigger.modelDir);
    bigger.model.encoder = { ...bigger.model.encoder, hiddenSize: 16 };
    await expect(trainSeq2seq(bigger, { data: small })).rejects.toThrow(/weights\.bin: tensor ".*" has shape/);
  });
});
