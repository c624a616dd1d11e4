import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from './backend';
import { maxDiff, rand, testBackends } from './rnn/testing';
import {
  nativeSoftmaxCrossEntropyAvailable,
  smoothedSoftmaxCrossEntropy,
  smoothedSoftmaxCrossEntropyAvailable,
  softmaxCrossEntropy,
} from './softmax-cross-entropy';
import { setSimdKernels } from './simd/index';

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

// The smoothed form takes target ids; checked against the same references with the labels built from them.
for (const backend of testBackends()) {
  describe(`smoothedSoftmaxCrossEntropy on ${backend}`, () => {
    beforeAll(() => useBackend(backend));
    const fused = backend !== 'cpu';

    it('is fused on node (libtensorflow) and wasm (SIMD kernel), composed elsewhere', () => {
      expect(smoothedSoftmaxCrossEntropyAvailable()).toBe(fused);
    });

    // V = 12 runs the SIMD kernel on wasm, V = 11 its JS fallback (the kernel needs V % 4 = 0); `simd: false`
    // turns the SIMD kernels off, so the JS version is checked on the SIMD shape too.
    for (const [v, simd] of [
      [12, true],
      [11, true],
      [12, false],
    ] as const) {
      it.skipIf(!fused)(
        `gives the loss and gradient of its smoothed targets (V = ${v}, SIMD ${simd ? 'on' : 'off'})`,
        () => {
          setSimdKernels(simd);
          try {
            const logits = tf.mul(rand([N, v], 3), 6) as tf.Tensor2D;
            const ids = tf.tensor1d([0, 3, v - 1, 5, 5, 1, 9], 'int32');
            const labels = tf.add(tf.mul(tf.cast(tf.oneHot(ids, v), 'float32'), 0.9), 0.1 / v) as tf.Tensor2D;
            const dy = rand([N], 4) as tf.Tensor1D;
            const loss = smoothedSoftmaxCrossEntropy(logits, ids, 0.1);
            expect(maxDiff(loss, referenceLoss(logits, labels))).toBeLessThan(1e-5);
            const g = tf.grad((x: tf.Tensor) =>
              tf.sum(tf.mul(smoothedSoftmaxCrossEntropy(x as tf.Tensor2D, ids, 0.1), dy)),
            );
            expect(maxDiff(g(logits), referenceGrad(logits, labels, dy))).toBeLessThan(1e-5);
          } finally {
            setSimdKernels(true);
          }
        },
      );
    }

    it.skipIf(backend !== 'wasm')('refuses a target id outside the vocabulary, on both kernels', () => {
      const logits = rand([2, 8], 5) as tf.Tensor2D;
      for (const simd of [true, false]) {
        setSimdKernels(simd);
        try {
          for (const bad of [8, -1])
            expect(() => smoothedSoftmaxCrossEntropy(logits, tf.tensor1d([0, bad], 'int32'), 0.1).dataSync()).toThrow(
              /target id is not in \[0, 7\]/,
            );
        } finally {
          setSimdKernels(true);
        }
      }
    });
  });
}
