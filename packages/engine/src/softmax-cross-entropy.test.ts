import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from './backend';
import { maxDiff, rand, testBackends } from './rnn/testing';
import { nativeSoftmaxCrossEntropyAvailable, softmaxCrossEntropy } from './softmax-cross-entropy';

const [N, V] = [7, 11];

// References written differently from both paths: loss = logsumexp(logits) − Σ labels·logits (rows of labels sum
// to 1), gradient = (softmax(logits) − labels) · dy.
const referenceLoss = (logits: tf.Tensor2D, labels: tf.Tensor2D) =>
  tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(labels, logits), 1));
const referenceGrad = (logits: tf.Tensor2D, labels: tf.Tensor2D, dy: tf.Tensor1D) =>
  tf.mul(tf.sub(tf.softmax(logits), labels), dy.reshape([-1, 1]));

for (const backend of testBackends()) {
  describe(`softmaxCrossEntropy on ${backend}`, () => {
    let logits: tf.Tensor2D;
    let labels: tf.Tensor2D;
    let dy: tf.Tensor1D;
    beforeAll(async () => {
      await useBackend(backend);
      logits = tf.mul(rand([N, V], 1), 4) as tf.Tensor2D;
      // Smoothed one-hot rows (ε = 0.1), as the seq2seq loss builds them (built without oneHot's on/off values,
      // which the wasm kernel ignores).
      const gold = tf.cast(tf.oneHot(tf.tensor1d([0, 3, 10, 5, 5, 1, 9], 'int32'), V), 'float32');
      labels = tf.add(tf.mul(gold, 0.9), 0.1 / V) as tf.Tensor2D;
      dy = rand([N], 2) as tf.Tensor1D;
    });

    it('takes the fused libtensorflow op exactly when the backend is node', () => {
      expect(nativeSoftmaxCrossEntropyAvailable()).toBe(backend === 'node' || backend === 'node-gpu');
    });

    it('gives the per-row loss and the gradient (softmax − labels) · dy', () => {
      const grad = (f: (x: tf.Tensor2D) => tf.Tensor1D) =>
        tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D), dy)));
      expect(maxDiff(softmaxCrossEntropy(logits, labels), referenceLoss(logits, labels))).toBeLessThan(1e-5);
      const ours = grad((x) => softmaxCrossEntropy(x, labels))(logits);
      expect(maxDiff(ours, referenceGrad(logits, labels, dy))).toBeLessThan(1e-5);
    });

    it('keeps no tensors after a training step', () => {
      const before = tf.memory().numTensors;
      const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(softmaxCrossEntropy(x as tf.Tensor2D, labels)))(logits));
      g.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}
