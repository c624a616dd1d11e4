import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { chooseBackend, describeBackend, useBackend } from './backend';
import { embeddingLookup } from './rnn/embedding';
import { testBackends } from './rnn/testing';

describe('backend choice', () => {
  it('falls back to wasm when tfjs-node is not installed, and says why', async () => {
    // The automatic choice, whatever PARLEY_BACKEND says (CI's node run and PARLEY_BACKEND=wasm|cpu set it).
    const report = await chooseBackend(undefined);
    expect(['node-gpu', 'node', 'wasm']).toContain(report.name);
    const line = describeBackend(report);
    expect(line).toMatch(
      /^backend: \S+( \(\d+ threads\))? \((the fastest backend|the fastest one installed|forced by PARLEY_BACKEND)\)/,
    );
    if (report.name === 'wasm') expect(line).toMatch(/skipped node-gpu \(.+\), node \(.+\)/);
    expect(tf.getBackend()).toBe(report.tfName);
  });

  it('runs the same matmul on cpu and wasm', async () => {
    const a = [1, 2, 3, 4, 5, 6];
    const b = [1, 0, 0, 1, 1, 1];
    await useBackend('cpu');
    const cpu = tf.matMul(tf.tensor2d(a, [2, 3]), tf.tensor2d(b, [3, 2])).arraySync();
    await useBackend('wasm');
    const wasm = tf.matMul(tf.tensor2d(a, [2, 3]), tf.tensor2d(b, [3, 2])).arraySync();
    expect(wasm).toEqual(cpu);
    expect(cpu).toEqual([
      [4, 5],
      [10, 11],
    ]);
  });

  it('gather takes indices created on another backend (tfjs-node refused them), and Parley creates its own on the active one', async () => {
    const backend = testBackends().at(-1)!; // node in CI's node-backend run
    await useBackend(backend === 'cpu' ? 'wasm' : 'cpu');
    const foreignIds = tf.tensor1d([2, 0], 'int32');
    await useBackend(backend);
    const table = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tf.gather(table, foreignIds).arraySync()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    const ids = tf.tensor2d([[1, 2]], [1, 2], 'int32');
    expect(embeddingLookup(tf.variable(table), ids).arraySync()).toEqual([
      [
        [3, 4],
        [5, 6],
      ],
    ]);
    expect(() => tf.gather(table, tf.tensor1d([3], 'int32')).dataSync()).toThrow();
  });
});
