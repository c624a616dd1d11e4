// Train a small character-level language model from code, following its progress events, then sample
// from it.   node examples/train-charlm.mjs CORPUS.tsv OUTPUT_DIR [STEPS]
// CORPUS is a dialogue file (like the TBBT transcripts): `#EPISODE<TAB>name` starts an episode (the unit of the
// validation/test split), then one `speaker<TAB>line` turn per line; the sizes
// here are tiny so that it finishes in seconds.
import { initBackend } from '@parley/engine';
import { generateChars, loadCharLm, resolveCharLmConfig, trainCharLm } from '@parley/core';

const [corpus, outDir, steps = '30'] = process.argv.slice(2);
if (!corpus || !outDir) {
  console.error('usage: node examples/train-charlm.mjs CORPUS OUTPUT_DIR [STEPS]');
  process.exit(2);
}
await initBackend();
const config = resolveCharLmConfig({
  kind: 'charlm',
  name: 'tiny',
  data: { corpus, format: 'dialogue', validation: 2, test: 2, minCharCount: 1 },
  model: { cell: 'lstm', layers: 1, hidden: 32, embedding: 8, dropout: 0 },
  training: {
    batchSize: 8,
    seqLen: 32,
    lr: 0.01,
    maxSteps: Number(steps),
    validEvery: 10,
    checkpointEvery: 10,
    logEvery: 5,
  },
  output: { dir: outDir, workDir: `${outDir}.work`, dtype: 'float32' },
});
const controller = new AbortController(); // controller.abort() stops at the next step, with a checkpoint
process.once('SIGINT', () => controller.abort());
// Progress arrives as typed events (the ProgressEvent union every Parley trainer emits; train.log in the work
// directory is the same events, formatted by formatProgressEvent).
const result = await trainCharLm(config, {
  signal: controller.signal,
  onEvent(e) {
    if (e.type === 'start') console.log(`training ${e.kind} for ${e.totalSteps} steps`);
    if (e.type === 'step')
      console.log(`step ${e.step}/${config.training.maxSteps}  loss ${e.loss.toFixed(3)} nats/char`);
    if (e.type === 'validation') console.log(`validation ${e.loss.toFixed(3)} nats/char${e.best ? ' (best)' : ''}`);
    if (e.type === 'done') console.log(`done: ${e.why}`);
  },
});
console.log(`test ${result.test.natsPerChar.toFixed(3)} nats/char, model in ${result.modelDir}`);
const lm = loadCharLm(result.modelDir);
let sample = '';
for await (const ch of generateChars(lm, '\nSheldon: ', { maxNewTokens: 60, seed: 1 })) sample += ch;
console.log(`sample: Sheldon: ${sample}`);
