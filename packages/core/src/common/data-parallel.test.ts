import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@parley/engine';
import { resolveCharLmConfig, trainCharLm, type CharLmConfig } from '../charlm/index';
import { resolveConfig, trainSeq2seq, type Seq2seqData } from '../seq2seq/index';
import { resolveWorkers, splitEven } from './data-parallel';

const dirs: string[] = [];
const savedEnv = process.env.PARLEY_WORKERS;
let wasm = false;
beforeAll(async () => {
  wasm = (await initBackend()).name === 'wasm';
  if (!wasm)
    console.log(`data-parallel training tests skipped: they need the wasm backend (running ${tf.getBackend()})`);
});
afterEach(() => {
  if (savedEnv === undefined) delete process.env.PARLEY_WORKERS;
  else process.env.PARLEY_WORKERS = savedEnv;
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'parley-dp-'));
  dirs.push(d);
  return d;
}

function charLmConfig(
  dir: string,
  workers: number,
  training: Partial<CharLmConfig['training']> = {},
  dropout = 0,
): CharLmConfig {
  const lines: string[] = [];
  for (let e = 0; e < 8; e++) {
    lines.push(`#EPISODE\tS01E0${e + 1} Test`);
    for (let i = 0; i < 30; i++)
      lines.push(
        `Leonard\tHello Sheldon, number ${(e * 30 + i) % 7}.`,
        `Sheldon\t${['Bazinga!', 'That is my spot.', 'Knock knock, Penny.'][(e + i) % 3]}`,
      );
  }
  writeFileSync(join(dir, 'dialogue.tsv'), lines.join('\n') + '\n');
  return resolveCharLmConfig(
    {
      kind: 'charlm',
      data: { corpus: join(dir, 'dialogue.tsv'), validation: 1, test: 1, minCharCount: 1 },
      model: { layers: 2, hidden: 24, embedding: 8, dropout },
      training: {
        batchSize: 8,
        seqLen: 16,
        lr: 0.01,
        maxSteps: 6,
        validEvery: 100,
        checkpointEvery: 3,
        logEvery: 1,
        workers,
        ...training,
      },
      output: { dir: join(dir, 'model'), workDir: join(dir, 'work'), dtype: 'float32' },
    },
    'tiny.yaml', // named after its source: tiny
  );
}

/** The loss of every step, and the worker count the run recorded in its model's manifest. */
async function charLmLosses(cfg: CharLmConfig, resume = false): Promise<{ losses: number[]; workers: number }> {
  const losses: number[] = [];
  await trainCharLm(cfg, { resume, onEvent: (e) => e.type === 'step' && losses.push(e.loss) });
  const manifest = JSON.parse(readFileSync(join(cfg.output.dir, 'manifest.json'), 'utf8')) as {
    training: { workers: number };
  };
  return { losses, workers: manifest.training.workers };
}

describe('resolveWorkers and splitEven', () => {
  it('takes PARLEY_WORKERS over the config, and 1 on backends other than wasm', () => {
    delete process.env.PARLEY_WORKERS;
    expect(resolveWorkers(3, undefined, 'wasm')).toEqual({ count: 3, source: 'training.workers' });
    expect(resolveWorkers(3, undefined, 'tensorflow').count).toBe(1);
    expect(resolveWorkers(0, 2, 'wasm').count).toBe(2);
    const auto = resolveWorkers(0, undefined, 'wasm');
    expect(auto.count).toBeGreaterThanOrEqual(1);
    expect(auto.source).toMatch(/^automatic/);
    process.env.PARLEY_WORKERS = '1';
    expect(resolveWorkers(3, 2, 'wasm')).toEqual({ count: 1, source: 'PARLEY_WORKERS' });
    process.env.PARLEY_WORKERS = 'two';
    expect(() => resolveWorkers(3, undefined, 'wasm')).toThrow(/PARLEY_WORKERS must be a whole number/);
    expect(splitEven(8, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 8],
    ]);
    expect(splitEven(2, 3)).toEqual([
      [0, 1],
      [1, 2],
    ]);
  });
});

describe('data-parallel char-LM training', () => {
  it('gives the single-threaded loss curve with 3 workers (uneven shards: 3, 3 and 2 rows)', async (ctx) => {
    if (!wasm) ctx.skip();
    delete process.env.PARLEY_WORKERS;
    const one = await charLmLosses(charLmConfig(tmp(), 1));
    const three = await charLmLosses(charLmConfig(tmp(), 3));
    expect(one.workers).toBe(1);
    expect(three.workers).toBe(3);
    expect(one.losses).toHaveLength(6);
    expect(one.losses[5]).toBeLessThan(one.losses[0]! - 0.1);
    expect(three.losses).toHaveLength(6);
    three.losses.forEach((l, i) => expect(l).toBeCloseTo(one.losses[i]!, 4));
  });

  it('with dropout, repeats itself for a given worker count and resumes exactly', async (ctx) => {
    if (!wasm) ctx.skip();
    delete process.env.PARLEY_WORKERS;
    const straight = await charLmLosses(charLmConfig(tmp(), 2, {}, 0.3));
    const dir = tmp();
    const first = await charLmLosses(charLmConfig(dir, 2, { maxSteps: 3 }, 0.3));
    expect(straight.workers).toBe(2);
    // The resumed run keeps the checkpoint's worker count, and with it the dropout masks.
    const resumed = await charLmLosses(charLmConfig(dir, 0, {}, 0.3), true);
    expect(resumed.workers).toBe(2);
    expect([...first.losses, ...resumed.losses]).toEqual(straight.losses);
  });
});

/** The reverse task: 1..6 symbols out of 8, target reversed. */
function reverseData(n: number, seed: number): Seq2seqData['train'] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, (_, i) => {
    const seq = Array.from({ length: 1 + Math.floor(r() * 6) }, () => `w${Math.floor(r() * 8)}`);
    return { source: seq.join(' '), target: [...seq].reverse().join(' '), line: i + 1 };
  });
}

describe('data-parallel seq2seq training', () => {
  it('gives the single-threaded loss curve with 2 workers', async (ctx) => {
    if (!wasm) ctx.skip();
    delete process.env.PARLEY_WORKERS;
    const data: Seq2seqData = { train: reverseData(200, 1), dev: reverseData(10, 2), test: [], notes: [] };
    const run = async (workers: number) => {
      const dir = tmp();
      const cfg = resolveConfig(
        {
          kind: 'seq2seq',
          modelDir: dir,
          data: { train: ['unused.tsv'], dev: 'unused.tsv', removeHeldOut: false },
          tokenizer: { type: 'word', vocabSize: 20 },
          model: {
            encoder: { embeddingDim: 16, hiddenSize: 16, dropout: 0 },
            decoder: { embeddingDim: 16, hiddenSize: 16, attention: 'general', dropout: 0 },
          },
          training: {
            lr: 0.01,
            batchTokens: 300,
            maxUpdates: 6,
            validEvery: 100,
            logEvery: 100,
            labelSmoothing: 0.1,
            workers,
          },
          exportDtype: 'float32',
        },
        join(dir, 'config.yaml'),
        dir,
      );
      return (await trainSeq2seq(cfg, { data })).losses.map(([, l]) => l);
    };
    const one = await run(1);
    const two = await run(2);
    expect(one).toHaveLength(6);
    two.forEach((l, i) => expect(l).toBeCloseTo(one[i]!, 4));
  });
});
