import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from './backend';
import { lstm } from './rnn/lstm';
import { createLstmWeights } from './rnn/weights';

// The threaded wasm build is started in a child process (a backend starts once per process).
/** The same computation as the child's script, in this process on single-threaded wasm. */
function compute() {
  const w = createLstmWeights(8, 8, { seed: 1 });
  const x = tf.randomUniform([2, 3, 8], -1, 1, 'float32', 2) as tf.Tensor3D;
  const big = tf.matMul(
    tf.randomUniform([64, 256], -1, 1, 'float32', 3),
    tf.randomUniform([256, 512], -1, 1, 'float32', 4),
  );
  return { h: lstm(x, w).h.arraySync(), sum: tf.sum(big).arraySync() as number };
}
const script = `
  import { initBackend, describeBackend, tf, lstm, createLstmWeights } from ${JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url)))};
  const report = await initBackend();
  const w = createLstmWeights(8, 8, { seed: 1 });
  const x = tf.randomUniform([2, 3, 8], -1, 1, 'float32', 2);
  const big = tf.matMul(tf.randomUniform([64, 256], -1, 1, 'float32', 3), tf.randomUniform([256, 512], -1, 1, 'float32', 4));
  console.log(JSON.stringify({ line: describeBackend(report), h: lstm(x, w).h.arraySync(), sum: tf.sum(big).arraySync() }));
`;

function run(threads: string): { line: string; h: number[][]; sum: number } {
  const tsx = fileURLToPath(new URL('../../../node_modules/tsx/dist/cli.mjs', import.meta.url));
  const file = join(mkdtempSync(join(tmpdir(), 'parley-threads-')), 'check.mts');
  writeFileSync(file, script);
  const out = execFileSync(process.execPath, [tsx, file], {
    env: { ...process.env, PARLEY_BACKEND: 'wasm', PARLEY_WASM_THREADS: threads },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('multi-threaded wasm (PARLEY_WASM_THREADS)', () => {
  it('starts a 2-thread pool in Node, gives the same results as one thread, and lets the process exit', async () => {
    await useBackend('wasm');
    const one = compute();
    const two = run('2');
    expect(two.line).toBe('backend: wasm (2 threads) (forced by PARLEY_BACKEND)');
    two.h.flat().forEach((v, i) => expect(Math.abs(v - one.h.flat()[i]!)).toBeLessThan(1e-6));
    expect(Math.abs(two.sum - one.sum)).toBeLessThan(1e-2 * Math.abs(one.sum) + 1e-2);
  });
});
