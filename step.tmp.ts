import { initBackend, tf, createLstmWeights, lstmStep, setKernelFixes } from '@parley/engine';
import { lstmStepReference } from './packages/engine/src/rnn/testing';
await initBackend(process.env.PARLEY_BACKEND);
const [B, I, U] = [Number(process.env.B ?? 8), 64, Number(process.env.U ?? 32)];
const w = createLstmWeights(I, U, { seed: 1 });
const x = tf.randomNormal([B, I]) as tf.Tensor2D;
const s0 = { h: tf.randomNormal([B, U]) as tf.Tensor2D, c: tf.randomNormal([B, U]) as tf.Tensor2D };
function time(name: string, f: () => void, n = 300) {
  for (let i = 0; i < 20; i++) tf.tidy(f);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) tf.tidy(f);
  console.log(name, ((performance.now() - t0) / n * 1000).toFixed(0), 'us');
}
const a = tf.randomNormal([B, U]);
for (let r = 0; r < 2; r++) {
time('add', () => { tf.add(a, a); });
time('step infer', () => { lstmStep(x, s0, w); });
time('ref infer', () => { lstmStepReference(x, s0, w); });
const g = (step: typeof lstmStep) => () => { tf.grads((h: tf.Tensor) => { const s = step(x, { h: h as tf.Tensor2D, c: s0.c }, w); return tf.sum(tf.add(s.h, s.c)) as tf.Scalar; })([s0.h]); };
time('step grad', g(lstmStep));
time('ref grad', g(lstmStepReference));
}
