import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@parley/engine';
import { writeFileAtomic } from '@parley/text';
import {
  Adam,
  PlateauScheduler,
  checkModelWeights,
  clipByGlobalNorm,
  fromFloat16Bits,
  hasCheckpoint,
  loadCheckpoint,
  loadWeights,
  readManifest,
  saveCheckpoint,
  saveWeights,
  toFloat16Bits,
  writeManifest,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  PARLEY_VERSION,
  StepWindow,
  validationCheckpoint,
  type ModelManifest,
  type ProgressEvent,
} from './index';

beforeAll(async () => {
  await initBackend();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'parley-common-'));

describe('float16', () => {
  it('converts known values exactly and rounds to nearest', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(fromFloat16Bits(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(fromFloat16Bits(toFloat16Bits(2 ** -24))).toBe(2 ** -24);
    for (const x of [0.1, -3.14159, 1234.5, 1e-4])
      expect(Math.abs(fromFloat16Bits(toFloat16Bits(x)) - x) / Math.abs(x)).toBeLessThan(1e-3);
  });
});

describe('weights', () => {
  it('round-trips float32 exactly and float16/int8 within their precision', () => {
    const dir = tmp();
    const values = Array.from(Float32Array.from({ length: 300 }, (_, i) => Math.sin(i) * 0.7));
    const t = { 'a/kernel': tf.tensor2d(values, [30, 10]), b: tf.tensor1d([1, -2, 3]) };
    for (const [dtype, tol] of [
      ['float32', 0],
      ['float16', 1e-3],
      ['int8', 0.7 / 127 / 2 + 1e-7],
    ] as const) {
      const path = join(dir, `${dtype}.bin`);
      saveWeights(path, t, dtype);
      const back = loadWeights(path);
      expect(back['a/kernel']!.shape).toEqual([30, 10]);
      const got = back['a/kernel']!.dataSync();
      const maxErr = Math.max(...values.map((v, i) => Math.abs(v - got[i]!)));
      expect(maxErr).toBeLessThanOrEqual(tol);
    }
    const size = (d: string) => readFileSync(join(dir, `${d}.bin`)).length;
    expect(size('int8')).toBeLessThan(size('float16'));
    expect(size('float16')).toBeLessThan(size('float32'));
  });

  it('names the file and tensor whose bytes are damaged, and still loads files written before checksums', () => {
    const dir = tmp();
    const path = join(dir, 'w.bin');
    saveWeights(path, { first: tf.tensor1d([1, 2, 3, 4]), second: tf.tensor1d([5, 6, 7, 8]) });
    const data = readFileSync(path);
    const damaged = Buffer.from(data);
    damaged[damaged.length - 3]! ^= 0x10; // a bit in the last tensor
    writeFileSync(path, damaged);
    expect(() => loadWeights(path)).toThrow(/w\.bin: tensor "second" is damaged \(sha256 mismatch\)/);
    writeFileSync(path, data.subarray(0, data.length - 6));
    expect(() => loadWeights(path)).toThrow(/w\.bin: truncated \(tensor second\)/);
    writeFileSync(path, withoutChecksums(data));
    expect(Array.from(loadWeights(path).second!.dataSync())).toEqual([5, 6, 7, 8]);
  });

  it('a change outside every tensor (padding) is still damage the manifest catches, and said to be there', () => {
    const dir = tmp();
    const sum = saveWeights(join(dir, 'w.bin'), { first: tf.tensor1d([1, 2, 3]), second: tf.tensor1d([4]) });
    const manifest = { weights: { file: 'w.bin', ...sum } } as unknown as ModelManifest;
    expect(checkModelWeights(dir, manifest).checksummed).toBe(true);
    const data = readFileSync(join(dir, 'w.bin'));
    const base = 10 + data.readUInt32LE(6);
    data[base + 13]! ^= 0x01; // "first" is 12 bytes, padded to 16
    writeFileSync(join(dir, 'w.bin'), data);
    expect(() => checkModelWeights(dir, manifest)).toThrow(
      /w\.bin: damaged \(sha256 differs from the manifest's, in bytes outside every tensor: the header or padding\)/,
    );
  });

  it('rejects a file that is not a weight file, naming it', () => {
    const path = join(tmp(), 'junk.bin');
    writeFileSync(path, 'hello world');
    expect(() => loadWeights(path)).toThrow(/junk\.bin: not a Parley weight file/);
  });
});

/** The same weight file as a Parley from before checksums wrote it (no per-tensor sha256 in the header). */
function withoutChecksums(data: Uint8Array): Buffer {
  const buf = Buffer.from(data);
  const headerLen = buf.readUInt32LE(6);
  const header = JSON.parse(buf.subarray(10, 10 + headerLen).toString('utf8')) as { tensors: { sha256?: string }[] };
  for (const t of header.tensors) delete t.sha256;
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  return Buffer.concat([buf.subarray(0, 6), len, json, buf.subarray(10 + headerLen)]);
}

describe('manifest and atomic writes', () => {
  it('writes a manifest that reads back and refuses newer versions', () => {
    const dir = tmp();
    const manifest: ModelManifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_VERSION,
      kind: 'charlm',
      created: new Date(0).toISOString(),
      architecture: { layers: 2 },
      tokenizer: { type: 'char' },
      weights: { file: 'weights.bin', dtype: 'float16' },
    };
    writeManifest(dir, manifest);
    expect(readManifest(dir)).toEqual({ ...manifest, parleyVersion: PARLEY_VERSION }); // stamped by writeManifest
    expect(readdirSync(dir)).toEqual(['manifest.json']); // no temp files left behind
    writeManifest(dir, { ...manifest, formatVersion: MANIFEST_VERSION + 1 });
    expect(() => readManifest(dir)).toThrow(/newer than this Parley reads/);
    expect(() => readManifest(tmp())).toThrow(/manifest\.json: not found/);
  });

  it('replaces a file whole', () => {
    const path = join(tmp(), 'out.txt');
    writeFileAtomic(path, 'one');
    writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
  });
});

describe('optimization', () => {
  it('Adam matches tf.train.adam', () => {
    const w1 = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const w2 = tf.variable(tf.tensor1d([1, -2, 0.5]));
    const ours = new Adam({ w: w1 }, { lr: 0.1 });
    const ref = tf.train.adam(0.1, 0.9, 0.999, 1e-8);
    for (let i = 0; i < 5; i++) {
      const g = tf.grad((x: tf.Tensor) => x.square().sum())(w1);
      ours.apply({ w: g });
      ref.minimize(() => w2.square().sum() as tf.Scalar);
    }
    const a = w1.dataSync();
    const b = w2.dataSync();
    for (let i = 0; i < 3; i++) expect(a[i]).toBeCloseTo(b[i]!, 5);
  });

  it('clips by global norm', () => {
    const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) }, 1);
    expect(norm).toBeCloseTo(5, 5);
    expect(Array.from(grads.a!.dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(grads.b!.dataSync()[0]).toBeCloseTo(0.8, 5);
  });

  it('halves the learning rate after `patience` validations without improvement', () => {
    const s = new PlateauScheduler({ factor: 0.5, patience: 1 });
    let lr = 1;
    for (const loss of [2, 1.5, 1.6, 1.55]) lr = s.observe(loss, lr);
    expect(lr).toBe(0.5);
  });
});

describe('checkpoints', () => {
  it('round-trip weights, optimizer moments and state', async () => {
    const dir = tmp();
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    const adam = new Adam({ w });
    adam.apply({ w: tf.tensor1d([0.1, 0.2, 0.3]) });
    await saveCheckpoint(dir, 'last', {
      weights: { w },
      optimizer: adam.stateTensors(),
      state: { step: 1, lr: 0.002 },
    });
    await saveCheckpoint(dir, 'last', {
      weights: { w },
      optimizer: adam.stateTensors(),
      state: { step: 2, lr: 0.002 },
    });
    expect(hasCheckpoint(dir, 'last')).toBe(true);
    expect(hasCheckpoint(dir, 'best')).toBe(false);
    const ck = loadCheckpoint(dir, 'last');
    expect(ck.state.step).toBe(2);
    expect(Array.from(ck.weights.w!.dataSync())).toEqual(Array.from(w.dataSync()));
    const adam2 = new Adam({ w: tf.variable(tf.zeros([3])) });
    adam2.loadState(ck.optimizer, 2);
    expect(Array.from(adam2.stateTensors()['m/w']!.dataSync())).toEqual(
      Array.from(adam.stateTensors()['m/w']!.dataSync()),
    );
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual(['last']);
  });

  it('restores `last` from the `last.old` a kill between the two renames left, and keeps it on the next save', async () => {
    const dir = tmp();
    const w = tf.variable(tf.tensor1d([1, 2, 3]));
    await saveCheckpoint(dir, 'last', { weights: { w }, optimizer: {}, state: { step: 7 } });
    renameSync(join(dir, 'checkpoints/last'), join(dir, 'checkpoints/last.old')); // the state a kill leaves
    expect(hasCheckpoint(dir, 'last')).toBe(true);
    expect(loadCheckpoint(dir, 'last').state.step).toBe(7);
    renameSync(join(dir, 'checkpoints/last'), join(dir, 'checkpoints/last.old'));
    await saveCheckpoint(dir, 'best', { weights: { w }, optimizer: {}, state: { step: 7 } });
    await saveCheckpoint(dir, 'last', { weights: { w }, optimizer: {}, state: { step: 8 } });
    expect(loadCheckpoint(dir, 'last').state.step).toBe(8);
    expect(readdirSync(join(dir, 'checkpoints')).sort()).toEqual(['best', 'last']);
  });

  it('removes the temporaries of killed writers, not those of live ones', async () => {
    const dir = tmp();
    const ckDir = join(dir, 'checkpoints');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    mkdirSync(join(ckDir, `.last.tmp-${dead}-3`), { recursive: true });
    writeFileSync(join(ckDir, `.state.json.tmp-${dead}-1`), '{');
    const live = join(ckDir, `.last.tmp-${process.ppid}-1`);
    mkdirSync(live);
    const w = tf.variable(tf.tensor1d([1]));
    await saveCheckpoint(dir, 'last', { weights: { w }, optimizer: {}, state: { step: 1 } });
    expect(readdirSync(ckDir).sort()).toEqual([`.last.tmp-${process.ppid}-1`, 'last']);
  });
});

describe('trainer pieces', () => {
  it('StepWindow reports the mean loss and throughput since the previous step event, then starts anew', async () => {
    const w = new StepWindow();
    w.add(2, 10);
    w.add(4, 30);
    await new Promise((r) => setTimeout(r, 5));
    const e = w.close({ step: 2, epoch: 0, unit: 'chars' }, 6);
    expect(e).toMatchObject({ type: 'step', step: 2, epoch: 0, unit: 'chars', loss: 3 });
    expect(e.tokensPerSec).toBeGreaterThan(0);
    expect(e.tokensPerSec).toBeLessThan(40 / 0.004); // 40 chars in at least 5 ms
    expect(e.etaSec).toBeGreaterThan(0); // 6 more updates at the window's pace
    w.add(1, 5);
    expect(w.close({ step: 3, epoch: 0, etaSec: 7 }, 6)).toMatchObject({ loss: 1, etaSec: 7 });
  });

  it('validationCheckpoint writes checkpoints/last, emits the validation and checkpoint, and says when patience is used up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-valck-'));
    const events: ProgressEvent[] = [];
    const w = { a: tf.variable(tf.ones([2])) };
    const v = { step: 3, loss: 1, metric: 1, best: false, samples: [] };
    const stop = (bad: number, limit: number) =>
      validationCheckpoint(
        (e) => events.push(e),
        dir,
        { weights: w, optimizer: {}, trainer: { step: 3 } },
        {
          ...v,
          patience: { bad, limit },
        },
      );
    expect(await stop(1, 2)).toBe(false);
    expect(await stop(2, 2)).toBe(true);
    expect(await stop(5, 0)).toBe(false); // 0 = never stops
    expect(events.slice(0, 2).map((e) => e.type)).toEqual(['validation', 'checkpoint']);
    expect(loadCheckpoint(dir, 'last').state).toMatchObject({ trainer: { step: 3 } });
  });
});
