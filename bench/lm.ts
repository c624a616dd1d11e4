// `npm run bench -- lm [--runs N]`: char-LM speed on this machine's backend.
//  - training: characters per second of one TBPTT step (forward, backward, clip, Adam) for the 2×512
//    LSTM of issue #5 and for the bundled Sheldon size (2×256);
//  - generation at batch 1 with the 2×512 LSTM: characters per second of stateful streaming (one
//    step per character), against the baseline measured in the same run that re-feeds a 60-character
//    window for every character (what tfjs-examples' text generator does).
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@parley/engine';
import { generate } from '@parley/decode';
import { Adam, CharLmNet, clipByGlobalNorm, disposeState, type CharLmState, type NamedTensors } from '@parley/core';
import { timeMedian, type Measurement } from './lib';

const VOCAB = 90;

async function trainStep(net: CharLmNet, adam: Adam, B: number, T: number, carry: { s: CharLmState }): Promise<void> {
  const ids = Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % VOCAB);
  const vars = net.variables();
  let next: CharLmState | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const r = net.forward(tf.tensor2d(ids, [B, T], 'int32'), carry.s);
    next = { h: r.state.h.map((x) => tf.keep(x)), c: r.state.c.map((x) => tf.keep(x)) };
    return CharLmNet.loss(r.logits, tf.tensor1d(ids, 'int32'));
  }, Object.values(vars));
  const byName: NamedTensors = {};
  for (const [n, v] of Object.entries(vars)) byName[n] = grads[v.name]!;
  const clipped = clipByGlobalNorm(byName, 5);
  adam.apply(clipped.grads);
  for (const g of [...Object.values(grads), ...Object.values(clipped.grads)]) g.dispose();
  await value.data();
  value.dispose();
  disposeState(carry.s);
  carry.s = next!;
}

export async function run(args: string[]): Promise<Measurement[]> {
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : 3;
  const backend = (await initBackend()).name;
  const out: Measurement[] = [];

  for (const hidden of [512, 256]) {
    const net = new CharLmNet({ cell: 'lstm', layers: 2, hidden, embedding: 64, dropout: 0 }, VOCAB, 1);
    const adam = new Adam(net.variables());
    const [B, T] = [32, 64];
    const carry = { s: net.zeroState(B) };
    process.stderr.write(`training 2×${hidden} LSTM, batch ${B} × ${T}…\n`);
    const secs = await timeMedian(() => trainStep(net, adam, B, T, carry), runs, 1);
    out.push({ suite: 'lm', case: `train 2x${hidden} lstm b${B} t${T}`, backend, charsPerSec: Math.round((B * T) / secs), secPerStep: secs });
    disposeState(carry.s);
    adam.dispose();
    net.dispose();
  }

  const net = new CharLmNet({ cell: 'lstm', layers: 2, hidden: 512, embedding: 64, dropout: 0 }, VOCAB, 1);
  const N = 200;
  process.stderr.write(`generating ${N} characters at batch 1 with a 2×512 LSTM…\n`);
  const streaming = await timeMedian(async () => {
    for await (const t of generate(net, [5, 6, 7], { maxNewTokens: N, seed: 1 })) void t;
  }, runs, 1);
  const WINDOW = 60;
  const M = 40;
  const windowed = await timeMedian(async () => {
    const ids = Array.from({ length: WINDOW }, (_, i) => i % VOCAB);
    for (let i = 0; i < M; i++) {
      const { logits, state } = await net.step([ids.slice(-WINDOW)], undefined);
      net.disposeState(state);
      ids.push(logits.indexOf(Math.max(...logits)));
    }
  }, runs, 1);
  const streamRate = N / streaming;
  const windowRate = M / windowed;
  out.push({ suite: 'lm', case: 'generate 2x512 lstm batch 1 (stateful)', backend, charsPerSec: Math.round(streamRate), target: 500 });
  out.push({ suite: 'lm', case: `generate 2x512 lstm batch 1 (re-feed ${WINDOW}-char window, baseline)`, backend, charsPerSec: Math.round(windowRate) });
  out.push({ suite: 'lm', case: 'stateful / window speedup', backend, ratio: streamRate / windowRate });
  // Other work on the machine slows every case: the 1-minute load average puts the numbers in context.
  out.push({ suite: 'lm', case: 'machine load (1-min load average)', backend, loadavg: Number(loadavg()[0]!.toFixed(2)) });
  net.dispose();
  return out;
}
