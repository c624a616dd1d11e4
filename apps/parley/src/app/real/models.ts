// Where the app finds its bundled models and configs, and how it describes a loaded model in one line.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CONFIG_DIR } from '../../paths';
import { compact } from '../draw/bar';

/** Paths as a user in `cwd` would type them. */
export function shortPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** The YAML configs shipped with the app, as paths relative to the working directory. */
export function findConfigs(dir = CONFIG_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => shortPath(join(dir, f)));
}

/** Why a model directory cannot be opened, or undefined when it has a manifest. */
export function missingModel(dir: string, how: string): string | undefined {
  if (existsSync(join(dir, 'manifest.json'))) return undefined;
  return `no model in ${shortPath(dir)} yet (no manifest.json); ${how}`;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Finds the first numeric value under a key matching `pattern` in nested metrics. */
export function findMetric(metrics: Json | undefined, pattern: RegExp, path = ''): [string, number] | undefined {
  if (!metrics || typeof metrics !== 'object' || Array.isArray(metrics)) return undefined;
  for (const [k, v] of Object.entries(metrics)) {
    const p = path ? `${path}.${k}` : k;
    if (typeof v === 'number' && pattern.test(k)) return [p, v];
    const inner = findMetric(v, pattern, p);
    if (inner) return inner;
  }
  return undefined;
}

/** Shape of one side of a seq2seq model, e.g. `bi-lstm 1×256`. */
function side(x: Json | undefined): string {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return '';
  return `${x.bidirectional ? 'bi-' : ''}${String(x.rnn ?? '')} ${String(x.layers ?? '?')}×${String(x.hiddenSize ?? '?')}${x.attention ? ` + ${String(x.attention)} attention` : ''}`;
}

/** e.g. `2×512 lstm · 3.3M params · validation 1.380 nats/char`, or `bi-lstm 1×256 → lstm 1×256 + general attention · dev BLEU 21.3`. */
export function describeModel(architecture: { [key: string]: Json }, metrics: Json | undefined): string {
  const a = architecture;
  const shape = a.encoder
    ? `${side(a.encoder)} → ${side(a.decoder)}`
    : a.layers !== undefined && a.hidden !== undefined
      ? `${String(a.layers)}×${String(a.hidden)} ${String(a.cell ?? '')}`.trim()
      : '';
  const params = typeof a.parameters === 'number' ? `${compact(a.parameters)} params` : '';
  const nats = findMetric(metrics, /^natsPerChar$/);
  const bleu = headlineBleu(metrics);
  const metric = nats ? `${nats[0].split('.')[0]} ${nats[1].toFixed(3)} nats/char` : (bleu ?? '');
  return [shape, params, metric].filter(Boolean).join(' · ');
}

/**
 * The BLEU a user should see first: test before dev, beam search before greedy (as `parley test --record`
 * stores them: `{ test: { beam5: { bleu } } }`), e.g. `test BLEU 36.2 (beam 5)`; else the first BLEU anywhere.
 */
function headlineBleu(metrics: Json | undefined): string | undefined {
  const object = (x: Json | undefined) => (x && typeof x === 'object' && !Array.isArray(x) ? x : {});
  for (const set of ['test', 'dev']) {
    const decodings = object(object(metrics)[set]);
    const order = [...Object.keys(decodings).filter((k) => /^beam\d+$/.test(k)), 'greedy'];
    for (const decoding of order) {
      const bleu = object(decodings[decoding]).bleu;
      if (typeof bleu !== 'number') continue;
      const how = decoding === 'greedy' ? 'greedy' : `beam ${decoding.slice(4)}`;
      return `${set} BLEU ${bleu.toFixed(1)} (${how})`;
    }
  }
  const any = findMetric(metrics, /^bleu$/i);
  return any && `${any[0].replace(/\.?bleu$/i, '') || 'dev'} BLEU ${any[1].toFixed(1)}`;
}

/** e.g. `naive Bayes, word 1–2-grams · 24.1k features · test accuracy 77.5` (`linear SVM, …` for linear models), or `bi-lstm 1×64 · 10.0k words · dev accuracy 80.1`. */
export function describeClassifier(
  architecture: { [key: string]: Json },
  tokenizer: Json | undefined,
  metrics: Json | undefined,
): string {
  const a = architecture;
  const t = tokenizer && typeof tokenizer === 'object' && !Array.isArray(tokenizer) ? tokenizer : {};
  const ngrams = Array.isArray(t.ngrams) ? t.ngrams.join('–') : '';
  const lossNames: { [loss: string]: string } = {
    squared_hinge: 'linear SVM',
    hinge: 'linear SVM (hinge)',
    logistic: 'logistic regression',
  };
  const shape =
    a.type === 'naive-bayes' || a.type === 'linear'
      ? [
          `${a.type === 'linear' ? (lossNames[String(a.loss)] ?? 'linear') : 'naive Bayes'}, ${String(t.analyzer ?? 'word')} ${ngrams}-grams`,
          `${compact(Number(a.features))} features`,
        ]
      : [
          `${a.bidirectional ? 'bi-' : ''}${String(a.type)}${a.hidden !== undefined ? ` ${String(a.layers ?? 1)}×${String(a.hidden)}` : ''}`,
          a.vocabSize !== undefined ? `${compact(Number(a.vocabSize))} words` : '',
        ];
  const m = metrics && typeof metrics === 'object' && !Array.isArray(metrics) ? metrics : {};
  const set = m.test ? 'test' : m.dev ? 'dev' : undefined;
  const acc = set ? findMetric(m[set], /^(accuracy|microF1)$/) : undefined;
  const score =
    set && acc ? `${set} ${acc[0] === 'microF1' ? 'micro-F1' : 'accuracy'} ${(100 * acc[1]).toFixed(1)}` : '';
  return [...shape, score].filter(Boolean).join(' · ');
}
