import * as tf from '@tensorflow/tfjs-node';
const a = tf.randomNormal([8, 32]);
const be = tf.backend(); const bd = be.binding;
const attrs = [{name:'T', type: bd.TF_ATTR_TYPE, value: bd.TF_FLOAT}];
const id = be.getInputTensorIds([a])[0];
function time(name, f, n=5000) { for (let i=0;i<200;i++) f(); const t0=performance.now(); for (let i=0;i<n;i++) f(); console.log(name, ((performance.now()-t0)/n*1000).toFixed(1), 'us'); }
for (let r=0;r<3;r++){
time('tf.add+dispose', () => tf.add(a,a).dispose());
time('binding.executeOp+delete', () => { const m = bd.executeOp('AddV2', attrs, [id,id], 1); bd.deleteTensor(m[0].id); });
time('binding.executeOp Sigmoid', () => { const m = bd.executeOp('Sigmoid', attrs, [id], 1); bd.deleteTensor(m[0].id); });
time('js noop loop', () => { let s=0; for (let i=0;i<100;i++) s+=i; });
}
