// Translate a file of Portuguese sentences (one per line) into English with the bundled model:
//   node examples/translate-file.mjs input.pt.txt output.en.txt [beam]
import { readFileSync, writeFileSync } from 'node:fs';
import { initBackend } from '@parley/engine';
import { Translator } from '@parley/core';
import { bundledModel } from '@parley/app';

const [input, output, beam = '5'] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node examples/translate-file.mjs INPUT OUTPUT [BEAM]');
  process.exit(2);
}
await initBackend();
const translator = await Translator.load(bundledModel('pt-en'));
const lines = readFileSync(input, 'utf8').split(/\r?\n/);
if (lines.at(-1) === '') lines.pop();
// translateBatch groups sentences of similar length into batches; the results keep the input order.
const results = await translator.translateBatch(lines, { beamSize: Number(beam) });
writeFileSync(output, results.map((r) => r.hypotheses[0]?.text ?? '').join('\n') + '\n');
console.log(`translated ${lines.length} lines into ${output}`);
translator.dispose();
