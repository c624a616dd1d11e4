// Parley as a library, with plain Node: translate with beam search, stream a chat reply, score with BLEU.
import { initBackend } from '@parley/engine';
import { Translator, loadCharLm, chatReply } from '@parley/core';
import { BLEU } from '@parley/metrics';
import { bundledModel } from '@parley/app';

await initBackend(); // the fastest TensorFlow.js backend available (node, wasm or cpu)
const translator = await Translator.load(bundledModel('pt-en'));
const results = await translator.translateBatch(['Eu gosto de ler livros.', 'Onde fica a estação?'], { beamSize: 5 });
const english = results.map((r) => r.hypotheses[0]?.text ?? '');
console.log(english.join('\n'));

const sheldon = loadCharLm(bundledModel('sheldon'));
process.stdout.write('Sheldon: ');
for await (const ch of chatReply(sheldon, [{ speaker: 'Penny', text: 'Hi Sheldon!' }], { seed: 1, maxNewTokens: 120 }))
  process.stdout.write(ch);

const bleu = new BLEU().corpusScore(english, [['I like to read books.', 'Where is the station?']]);
console.log(`\n${bleu.format()}`);
