// `npm run bench -- nmt [--json] [--runs N]`
// The PT→EN default model's shapes (vocab 2000, embeddings and LSTMs 128, bi-LSTM encoder, Luong general attention):
//   train        training tokens/s (source + target tokens, batches of ~1500 padded tokens, Adam + clipping)
//   beam5        beam-5 translation sentences/s, 64 sentences decoded as one batch (sentences × beams)
//   beam5-single the same 64 sentences one at a time — the baseline batching is measured against
//   greedy       greedy translation sentences/s, batched
//   bundled-beam5, bundled-greedy   the bundled apps/parley/models/pt-en translating 40 everyday Portuguese sentences
//                as `parley translate` does (tokenize, batch, search, detokenize), sentences/s
// Stock tfjs has no attention encoder-decoder or beam search, so the baselines are Parley's own unbatched search;
// `npm run bench -- rnn` compares the recurrent ops themselves with tf.layers.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@parley/engine';
import { beamSearch, greedySearch } from '@parley/decode';
import { Adam, clipByGlobalNorm, resolveModelConfig, Seq2seqModel, Translator, type Seq2seqBatch } from '@parley/core';
import { batchTensors } from '@parley/text';
import { DEFAULT_SEQ2SEQ_MODEL } from '../apps/parley/src/paths';
import { PT_SENTENCES } from './pt-sentences';
import { runsOption, suiteArgs, suiteSpec, timeMedian, type Measurement } from './lib';

const V = 2000;

/** Pseudo-random sentences with Tatoeba-like lengths (5–14 tokens). */
function sentences(n: number, seed: number): number[][] {
  let s = seed;
  const r = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: n }, () =>
    Array.from({ length: 5 + Math.floor(r() * 10) }, () => 4 + Math.floor(r() * (V - 4))),
  );
}

/** The suite's command line (`npm run bench -- nmt --help`). */
export const NMT_ARGS = suiteSpec(
  'nmt',
  "The PT→EN model's training tokens/s and its batched beam and greedy translation sentences/s.",
  { runs: runsOption(3) },
);

export async function run(args: string[]): Promise<Measurement[]> {
  const {
    opts: { runs },
  } = suiteArgs(NMT_ARGS, args);
  const report = await initBackend();
  const model = new Seq2seqModel(
    resolveModelConfig({
      vocabSize: V,
      encoder: { embeddingDim: 128, hiddenSize: 128 },
      decoder: { embeddingDim: 128, hiddenSize: 128, attention: 'general' },
    }),
    1,
  );
  const out: Measurement[] = [];
  const backend = report.name;

  // Training: one batch of 100 sentence pairs (≈1500 padded tokens).
  const src = sentences(100, 1);
  const tgt = sentences(100, 2);
  const examples = src.map((s, i) => ({ source: s, target: tgt[i]! }));
  const bt = batchTensors(
    examples,
    examples.map((_, i) => i),
  );
  const batch = bt as unknown as Seq2seqBatch;
  const tokens = src.reduce((a, s, i) => a + s.length + tgt[i]!.length, 0);
  const adam = new Adam(model.vars, { lr: 1e-3 });
  let step = 0;
  process.stderr.write('nmt: training step…\n');
  const trainSecs = await timeMedian(() => {
    const r = model.lossAndGrads(batch, 0.1, ++step);
    const c = clipByGlobalNorm(r.grads, 1);
    adam.apply(c.grads);
    tf.dispose([r.grads, c.grads]);
  }, runs);
  out.push({
    suite: 'nmt',
    case: 'train',
    backend,
    tokensPerSecond: tokens / trainSecs,
    secondsPerBatch: trainSecs,
    tokens,
  });

  // Decoding: 64 sentences.
  const dec = sentences(64, 3).map((s) => ({ source: s }));
  const search = async (rows: number[], beam: number) => {
    const b = batchTensors(dec, rows);
    const st = model.searchState(b.source, b.sourceMask);
    const input = {
      model: model.stepModel,
      initialState: st,
      srcLengths: rows.map((i) => dec[i]!.source.length),
      bos: 2,
      eos: 3,
    };
    const opts = { beamSize: beam, maxLength: 20, returnAttention: false };
    await (beam === 1 ? greedySearch(input, opts) : beamSearch(input, opts));
    tf.dispose([...Object.values(st), ...(Object.values(b) as tf.Tensor[])]);
  };
  const all = dec.map((_, i) => i);
  process.stderr.write('nmt: beam search…\n');
  const beamSecs = await timeMedian(() => search(all, 5), runs);
  out.push({ suite: 'nmt', case: 'beam5', backend, sentencesPerSecond: dec.length / beamSecs });
  const singleSecs = await timeMedian(
    async () => {
      for (const i of all.slice(0, 16)) await search([i], 5);
    },
    Math.max(1, runs - 1),
  );
  out.push({
    suite: 'nmt',
    case: 'beam5-single',
    backend,
    sentencesPerSecond: 16 / singleSecs,
    baselineFor: 'beam5',
    speedupOfBatched: dec.length / beamSecs / (16 / singleSecs),
  });
  const greedySecs = await timeMedian(() => search(all, 1), runs);
  out.push({ suite: 'nmt', case: 'greedy', backend, sentencesPerSecond: dec.length / greedySecs });
  tf.dispose(Object.values(bt) as tf.Tensor[]);
  adam.dispose();
  model.dispose();

  // The bundled model on real sentences, the whole translate path.
  const translator = await Translator.load(DEFAULT_SEQ2SEQ_MODEL);
  for (const [name, beamSize] of [
    ['bundled-beam5', 5],
    ['bundled-greedy', 1],
  ] as const) {
    process.stderr.write(`nmt: ${name}…\n`);
    const secs = await timeMedian(() => translator.translateBatch(PT_SENTENCES, { beamSize }), runs);
    out.push({ suite: 'nmt', case: name, backend, sentencesPerSecond: PT_SENTENCES.length / secs });
  }
  translator.model.dispose();
  return out;
}
