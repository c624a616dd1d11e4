// `npm run bench -- lm [--runs N]`: char-LM speed on this machine's backend.
//  - training: characters per second of one TBPTT step (forward, backward, clip, Adam) for the 2×512
//    LSTM of issue #5 and for the bundled Sheldon size (2×256);
//  - generation at batch 1 with the 2×512 LSTM: characters per second of stateful streaming (one
//    step per character), against the baseline measured in the same run that re-feeds a 60-character
//    window for every character (what tfjs-examples' text generator does).
// Each case reports wall-clock chars/s and chars per CPU-second of this process (the latter is what the
// machine would give one idle core; wall-clock drops when other work shares the cores).
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@parley/engine';
import { generate } from '@parley/decode';
import { Adam, CharLmNet, clipByGlobalNorm, disposeState, type CharLmState, type NamedTensors } from '@parley/core';
import { runsOption, suiteArgs, suiteSpec, timeMedian, type Measurement } from './lib';

const VOCAB = 90;

/** Median wall seconds per run (timeMedian) and mean CPU seconds per run of this process. */
async function timeWallAndCpu(fn: () => Promise<unknown>, runs: number): Promise<{ wall: number; cpu: number }> {
  await fn(); // warm-up
  const u0 = process.cpuUsage();
  const wall = await timeMedian(fn, runs, 0);
  const u = process.cpuUsage(u0);
  return { wall, cpu: (u.user + u.system) / 1e6 / runs };
}

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

/** The suite's command line (`npm run bench -- lm --help`). */
export const LM_ARGS = suiteSpec('lm', "Char-LM training and streaming-generation speed on this machine's backend.", {
  runs: runsOption(3),
});

export async function run(args: string[]): Promise<Measurement[]> {
  const {
    opts: { runs },
  } = suiteArgs(LM_ARGS, args);
  const backend = (await initBackend()).name;
  const out: Measurement[] = [];

  for (const hidden of [512, 256]) {
    const net = new CharLmNet({ cell: 'lstm', layers: 2, hidden, embedding: 64, dropout: 0 }, VOCAB, 1);
    const adam = new Adam(net.variables());
    const [B, T] = [32, 64];
    const carry = { s: net.zeroState(B) };
    process.stderr.write(`training 2×${hidden} LSTM, batch ${B} × ${T}…\n`);
    const t = await timeWallAndCpu(() => trainStep(net, adam, B, T, carry), runs);
    out.push({
      suite: 'lm',
      case: `train 2x${hidden} lstm b${B} t${T}`,
      backend,
      charsPerSec: Math.round((B * T) / t.wall),
      charsPerCpuSec: Math.round((B * T) / t.cpu),
      secPerStep: t.wall,
    });
    disposeState(carry.s);
    adam.dispose();
    net.dispose();
  }

  const net = new CharLmNet({ cell: 'lstm', layers: 2, hidden: 512, embedding: 64, dropout: 0 }, VOCAB, 1);
  const N = 200;
  process.stderr.write(`generating ${N} characters at batch 1 with a 2×512 LSTM…\n`);
  const streaming = await timeWallAndCpu(async () => {
    for await (const t of generate(net, [5, 6, 7], { maxNewTokens: N, seed: 1 })) void t;
  }, runs);
  const WINDOW = 60;
  const M = 40;
  const windowed = await timeWallAndCpu(async () => {
    const ids = Array.from({ length: WINDOW }, (_, i) => i % VOCAB);
    for (let i = 0; i < M; i++) {
      const { logits, state } = await net.step([ids.slice(-WINDOW)], undefined);
      net.disposeState(state);
      ids.push(logits.indexOf(Math.max(...logits)));
    }
  }, runs);
  const streamRate = N / streaming.wall;
  const windowRate = M / windowed.wall;
  out.push({
    suite: 'lm',
    case: 'generate 2x512 lstm batch 1 (stateful)',
    backend,
    charsPerSec: Math.round(streamRate),
    charsPerCpuSec: Math.round(N / streaming.cpu),
    target: 500,
  });
  out.push({
    suite: 'lm',
    case: `generate 2x512 lstm batch 1 (re-feed ${WINDOW}-char window, baseline)`,
    backend,
    charsPerSec: Math.round(windowRate),
    charsPerCpuSec: Math.round(M / windowed.cpu),
  });
  out.push({ suite: 'lm', case: 'stateful / window speedup', backend, ratio: streamRate / windowRate });
  // Other work on the machine slows every case: the 1-minute load average puts the numbers in context.
  out.push({
    suite: 'lm',
    case: 'machine load (1-min load average)',
    backend,
    loadavg: Number(loadavg()[0]!.toFixed(2)),
  });
  net.dispose();
  return out;
}
