// `parley test <config.yaml>`: decodes the config's dev and test sets with its model and prints BLEU and chrF
// (sacreBLEU-exact, with signatures), for beam search and, with --greedy, greedy decoding too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@parley/engine';
import {
  configKind,
  corpusScores,
  loadConfig,
  loadData,
  readManifest,
  searchOptionsFrom,
  Translator,
  writeManifest,
  type JsonValue,
} from '@parley/core';
import { writeFileAtomic } from '@parley/text';
import { defineCommand } from '../command';
import { checkOutputDir, checkOutputTarget, refuseAsUsage } from '../output-job';
import { inputErrors, testClassifier } from '../classifier-cli';
import { sharedDir } from '../paths';

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

export const command = defineCommand(
  {
    name: 'test',
    summary:
      "score a model on its config's dev/test sets (seq2seq: BLEU, chrF; classifier: every metric per class, confusion matrix)",
    positionals: [{ name: 'config', help: 'the seq2seq or classifier YAML config', required: true }],
    options: {
      model: { type: 'string', arg: 'DIR', defaultText: "the config's modelDir", help: 'model directory' },
      beam: { type: 'int', arg: 'K', min: 1, defaultText: "the config's testing.beamSize", help: 'beam width' },
      greedy: { type: 'boolean', help: 'also score greedy decoding' },
      sets: { type: 'list', choices: ['dev', 'test'], default: ['dev', 'test'], help: 'which sets to decode' },
      out: { type: 'string', arg: 'DIR', help: "write each set's translations to DIR/<set>.<decoding>.txt" },
      json: { type: 'boolean', help: 'print the scores as JSON' },
      record: {
        type: 'boolean',
        help: "also store the scores in the model's manifest.json (parley info and the model card show them)",
      },
    },
  },
  async ({ opts, args }) => {
    if (inputErrors(() => configKind(args.config)) === 'classifier') return testClassifier(args.config, opts);
    const { beam, greedy, json, record, out, sets } = opts;
    const modelDir = opts.model;
    const cfg = loadConfig(args.config, sharedDir());
    const decodings: [string, number][] = [[`beam${beam ?? cfg.testing.beamSize}`, beam ?? cfg.testing.beamSize]];
    if (greedy) decodings.unshift(['greedy', 1]);
    // --out and every file it will hold are checked before any decoding (none may be a data file or read-only).
    if (out) {
      const d = cfg.data;
      const inputs = [args.config, ...[...d.train, d.split, d.dev, d.test].flatMap((f) => (f ? [f.path] : []))];
      refuseAsUsage(() => {
        checkOutputDir(out, inputs);
        for (const set of sets)
          for (const [name] of decodings)
            if (existsSync(out)) checkOutputTarget(join(out, `${set}.${name}.txt`), inputs);
      });
    }
    await initBackend();
    const data = await loadData(cfg.data);
    const translator = await Translator.load(modelDir ?? cfg.modelDir);
    const base = { ...searchOptionsFrom(cfg.testing), returnAttention: false };
    const scores: TestScore[] = [];
    for (const set of sets) {
      const pairs = set === 'dev' ? data.dev : data.test;
      if (pairs.length === 0) continue;
      for (const [name, k] of decodings) {
        const t0 = performance.now();
        const results = await translator.translateBatch(
          pairs.map((p) => p.source),
          { ...base, beamSize: k },
        );
        const hyps = results.map((r) => r.hypotheses[0]?.text ?? '');
        const s = corpusScores(
          hyps,
          pairs.map((p) => p.target),
        );
        const seconds = (performance.now() - t0) / 1000;
        scores.push({ set, decoding: name, sentences: pairs.length, ...s, seconds });
        if (out) writeFileAtomic(join(out, `${set}.${name}.txt`), hyps.join('\n') + '\n');
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
  },
);

/** Stores the scores in the model directory's manifest as metrics.<set>.<decoding> (atomically; other metrics stay). */
function recordScores(dir: string, scores: TestScore[]): void {
  const m = readManifest(dir);
  const metrics = { ...(m.metrics ?? {}) } as { [k: string]: JsonValue };
  for (const s of scores) {
    const set = { ...((metrics[s.set] ?? {}) as { [k: string]: JsonValue }) };
    set[s.decoding] = {
      sentences: s.sentences,
      bleu: s.bleu,
      chrf: s.chrf,
      bleuSignature: `BLEU|${s.bleuSignature}`,
      chrfSignature: `chrF2|${s.chrfSignature}`,
    };
    metrics[s.set] = set;
  }
  writeManifest(dir, { ...m, metrics });
  process.stderr.write(`recorded ${scores.length} scores in ${join(dir, 'manifest.json')}\n`);
}
