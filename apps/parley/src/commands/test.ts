// `parley test <config.yaml>`: decodes the config's dev and test sets with its model and prints BLEU and chrF
// (sacreBLEU-exact, with signatures), for beam search and, with --greedy, greedy decoding too.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@parley/engine';
import { corpusScores, loadData, readManifest, searchOptionsFrom, Translator, writeManifest, type JsonValue } from '@parley/core';
import type { Command } from '../cli';
import { loadSeq2seqConfig } from '../seq2seq-cli';

const USAGE = `usage: parley test <config.yaml> [--model DIR] [--beam K] [--greedy] [--sets dev,test] [--out DIR] [--json]
  --model DIR   model directory (default: the config's modelDir)
  --beam K      beam width (default: testing.beamSize of the config)
  --greedy      also score greedy decoding
  --sets LIST   which sets to decode (default dev,test)
  --out DIR     write each set's translations to DIR/<set>.<decoding>.txt
  --json        print the scores as JSON
  --record      also store the scores in the model's manifest.json (metrics.<set>.<decoding>), so that
                \`parley info\` and the model card show them
`;

/** One scored decoding of one set. */
export interface TestScore {
  set: string;
  decoding: string;
  sentences: number;
  bleu: number;
  chrf: number;
  bleuSignature: string;
  chrfSignature: string;
  seconds: number;
}

export const command: Command = {
  summary: 'score a seq2seq model on its config\'s dev/test sets (BLEU, chrF with sacreBLEU signatures)',
  async run(argv) {
    const [configPath, ...rest] = argv;
    if (!configPath || configPath.startsWith('-')) {
      process.stderr.write(USAGE);
      return configPath === '--help' || configPath === '-h' ? 0 : 2;
    }
    let modelDir: string | undefined;
    let beam: number | undefined;
    let greedy = false;
    let json = false;
    let record = false;
    let out: string | undefined;
    let sets = ['dev', 'test'];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--model') modelDir = rest[++i];
      else if (a === '--beam') beam = Number(rest[++i]);
      else if (a === '--greedy') greedy = true;
      else if (a === '--json') json = true;
      else if (a === '--record') record = true;
      else if (a === '--out') out = rest[++i];
      else if (a === '--sets') sets = (rest[++i] ?? '').split(',').filter(Boolean);
      else {
        process.stderr.write(`parley test: unknown option ${a}\n${USAGE}`);
        return 2;
      }
    }
    if (beam !== undefined && !(Number.isInteger(beam) && beam >= 1)) {
      process.stderr.write(`parley test: --beam needs a whole number ≥ 1\n`);
      return 2;
    }
    try {
      const cfg = loadSeq2seqConfig(configPath);
      await initBackend();
      const data = await loadData(cfg.data);
      const translator = await Translator.load(modelDir ?? cfg.modelDir);
      const base = { ...searchOptionsFrom(cfg.testing), returnAttention: false };
      const decodings: [string, number][] = [[`beam${beam ?? cfg.testing.beamSize}`, beam ?? cfg.testing.beamSize]];
      if (greedy) decodings.unshift(['greedy', 1]);
      const scores: TestScore[] = [];
      for (const set of sets) {
        const pairs = set === 'dev' ? data.dev : set === 'test' ? data.test : undefined;
        if (!pairs) throw new Error(`unknown set ${set} (dev or test)`);
        if (pairs.length === 0) continue;
        for (const [name, k] of decodings) {
          const t0 = performance.now();
          const results = await translator.translateBatch(pairs.map((p) => p.source), { ...base, beamSize: k });
          const hyps = results.map((r) => r.hypotheses[0]?.text ?? '');
          const s = corpusScores(hyps, pairs.map((p) => p.target));
          const seconds = (performance.now() - t0) / 1000;
          scores.push({ set, decoding: name, sentences: pairs.length, ...s, seconds });
          if (out) {
            mkdirSync(out, { recursive: true });
            writeFileSync(join(out, `${set}.${name}.txt`), hyps.join('\n') + '\n');
          }
          if (!json) {
            process.stdout.write(
              `${set.padEnd(4)} ${name.padEnd(7)} ${pairs.length} sentences  BLEU = ${s.bleu.toFixed(2)}  chrF2 = ${s.chrf.toFixed(2)}  (${seconds.toFixed(1)} s)\n` +
                `     BLEU|${s.bleuSignature}\n     chrF2|${s.chrfSignature}\n`,
            );
          }
        }
      }
      if (json) process.stdout.write(JSON.stringify(scores, null, 2) + '\n');
      translator.dispose();
      if (record) recordScores(modelDir ?? cfg.modelDir, scores);
      return 0;
    } catch (err) {
      process.stderr.write(`parley test: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  },
};

/** Stores the scores in the model directory's manifest as metrics.<set>.<decoding> (atomically; other metrics stay). */
function recordScores(dir: string, scores: TestScore[]): void {
  const m = readManifest(dir);
  const metrics = { ...(m.metrics ?? {}) } as { [k: string]: JsonValue };
  for (const s of scores) {
    const set = { ...((metrics[s.set] ?? {}) as { [k: string]: JsonValue }) };
    set[s.decoding] = { sentences: s.sentences, bleu: s.bleu, chrf: s.chrf, bleuSignature: `BLEU|${s.bleuSignature}`, chrfSignature: `chrF2|${s.chrfSignature}` };
    metrics[s.set] = set;
  }
  writeManifest(dir, { ...m, metrics });
  process.stderr.write(`recorded ${scores.length} scores in ${join(dir, 'manifest.json')}\n`);
}

