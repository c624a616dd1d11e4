import { initBackend, tf, createLstmWeights, lstm } from '@parley/engine';
await initBackend('node');
const be = tf.backend() as any; const bd = be.binding;
const { Int64Scalar } = await import('@tensorflow/tfjs-node/dist/int64_tensors.js' as any);
const [T,B,I,U] = [64,64,64,256];
const x = tf.randomNormal([T,B,I]); const h0 = tf.zeros([B,U]); const c0 = tf.zeros([B,U]);
const w = tf.randomNormal([I+U, 4*U], 0, 0.1); const b = tf.zeros([4*U]); const z = tf.zeros([U]);
const sl = new Int64Scalar(T);
const attrs = [{name:'cell_clip', type: bd.TF_ATTR_FLOAT, value: 0}, {name:'use_peephole', type: bd.TF_ATTR_BOOL, value: false}, {name:'T', type: bd.TF_ATTR_TYPE, value: bd.TF_FLOAT}];
const lw = createLstmWeights(I, U, { seed: 1 });
const xb = tf.randomNormal([B,T,I]) as tf.Tensor3D;
function time(name: string, f: () => void, n = 5) { f(); const t0 = performance.now(); for (let i = 0; i < n; i++) f(); console.log(name, ((performance.now() - t0) / n).toFixed(1), 'ms'); }
const dh = tf.randomNormal([T,B,U]); const dcs = tf.zeros([T,B,U]);
for (let r = 0; r < 2; r++) {
  time('block fwd', () => { const o = be.executeMultipleOutputs('BlockLSTMV2', attrs, [sl, x, c0, h0, w, z, z, z, b], 7); o[6].dataSync(); tf.dispose(o); });
  time('composed fwd', () => tf.tidy(() => { lstm(xb, lw).outputs.dataSync(); }));
  time('block fwd+bwd', () => { const o = be.executeMultipleOutputs('BlockLSTMV2', attrs, [sl, x, c0, h0, w, z, z, z, b], 7);
    const g = be.executeMultipleOutputs('BlockLSTMGradV2', [{name:'use_peephole', type: bd.TF_ATTR_BOOL, value: false}, {name:'T', type: bd.TF_ATTR_TYPE, value: bd.TF_FLOAT}], [sl, x, c0, h0, w, z, z, z, b, ...o, dcs, dh], 8);
    g[3].dataSync(); tf.dispose([...o, ...g]); });
  time('composed fwd+bwd', () => tf.tidy(() => { const gr = tf.grads((xx: tf.Tensor, k: tf.Tensor, rk: tf.Tensor) => tf.sum(tf.mul(lstm(xx as tf.Tensor3D, { ...lw, kernel: k, recurrentKernel: rk } as any).outputs, 1)) as tf.Scalar)([xb, lw.kernel, lw.recurrentKernel]); gr[2]!.dataSync(); }));
}
