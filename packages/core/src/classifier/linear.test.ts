// Linear models on TF-IDF: the fitted weights against closed-form optima (scikit-learn's LinearSVC and
// LogisticRegression minimise the same objectives), optimality on random data, and real training through a
// `kind: classifier` config (binary, multi-class, multi-label) with save/load.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@parley/engine';
import { seededRandom } from '@parley/text';
import {
  loadClassifier,
  LinearModel,
  resolveClassifierConfig,
  trainClassifier,
  type LinearLoss,
  type SparseVector,
} from '../index';

const vec = (pairs: [number, number][]): SparseVector => ({
  ids: Int32Array.from(pairs, (p) => p[0]),
  values: Float64Array.from(pairs, (p) => p[1]),
});
const fit = (x: SparseVector[], y: number[], features: number, loss: LinearLoss, C: number, weights?: number[]) =>
  LinearModel.fit(
    x,
    y.map((c) => [c]),
    2,
    features,
    { loss, C, tol: 1e-10, maxIter: 5000, multiLabel: false, weights, seed: 3 },
  ).model;

/** The primal objective the model minimises (bias regularised for SVMs, not for logistic, as scikit-learn). */
function objective(w: Float64Array, x: SparseVector[], y: number[], loss: LinearLoss, C: number, weights?: number[]) {
  const f = w.length - 1;
  let obj = 0;
  for (let j = 0; j < (loss === 'logistic' ? f : f + 1); j++) obj += 0.5 * w[j]! * w[j]!;
  x.forEach((v, i) => {
    let z = w[f]!;
    for (let k = 0; k < v.ids.length; k++) z += w[v.ids[k]!]! * v.values[k]!;
    const m = (y[i] === 1 ? 1 : -1) * z;
    const c = C * (weights?.[i] ?? 1);
    obj +=
      c *
      (loss === 'logistic'
        ? Math.log1p(Math.exp(-m))
        : loss === 'hinge'
          ? Math.max(0, 1 - m)
          : Math.max(0, 1 - m) ** 2);
  });
  return obj;
}

describe('linear models: closed-form optima', () => {
  // Two points, x = −1 (class 0) and x = +1 (class 1): by symmetry the bias is 0 and w has a closed form.
  const x = [vec([[0, -1]]), vec([[0, 1]])];
  const y = [0, 1];
  const weightAndBias = (m: LinearModel): [number, number] => [m.weights[0]!, m.weights[1]!];

  it('hinge (L1-loss SVM): w = min(1, 2C): the hard margin when C is large', () => {
    const [w1, b1] = weightAndBias(fit(x, y, 1, 'hinge', 0.25));
    expect(w1).toBeCloseTo(0.5, 6);
    expect(b1).toBeCloseTo(0, 6);
    const [w2, b2] = weightAndBias(fit(x, y, 1, 'hinge', 100));
    expect(w2).toBeCloseTo(1, 6);
    expect(b2).toBeCloseTo(0, 6);
  });
  it('squared hinge (LinearSVC default): w = 4C / (1 + 4C)', () => {
    const [w, b] = weightAndBias(fit(x, y, 1, 'squared_hinge', 1));
    expect(w).toBeCloseTo(0.8, 6);
    expect(b).toBeCloseTo(0, 6);
  });
  it('logistic: w = 2C·σ(−w), probabilities σ(±w)', () => {
    const m = fit(x, y, 1, 'logistic', 1);
    const [w, b] = weightAndBias(m);
    expect(w).toBeCloseTo(2 / (1 + Math.exp(w)), 6);
    expect(w).toBeCloseTo(0.6749, 3);
    expect(b).toBeCloseTo(0, 6);
    const p = m.predictProba(x[1]!);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-w)), 6);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
  });
});

describe('linear models: optimality on random sparse data', () => {
  const rand = seededRandom(11);
  const features = 6;
  const x: SparseVector[] = [];
  const y: number[] = [];
  for (let i = 0; i < 40; i++) {
    const pairs: [number, number][] = [];
    for (let j = 0; j < features; j++) if (rand() < 0.5) pairs.push([j, rand() * 2 - 1]);
    x.push(vec(pairs));
    // Noisy labels: not separable, so every loss term matters.
    y.push(pairs.reduce((a, [j, v]) => a + (j < 3 ? v : -v), 0) > 0 !== rand() < 0.15 ? 1 : 0);
  }
  const weights = y.map((c) => (c === 1 ? 2 : 1)); // class weights scale C per example
  for (const loss of ['hinge', 'squared_hinge', 'logistic'] as const)
    it(`${loss}: no small step from the fitted weights lowers the objective (class-weighted)`, () => {
      const m = fit(x, y, features, loss, 0.7, weights);
      const w = Float64Array.from(m.weights);
      const best = objective(w, x, y, loss, 0.7, weights);
      const r = seededRandom(5);
      for (let t = 0; t < 200; t++) {
        const w2 = w.map((v) => v + (r() - 0.5) * 1e-3);
        expect(objective(w2, x, y, loss, 0.7, weights)).toBeGreaterThanOrEqual(best - 1e-7);
      }
      if (loss === 'logistic') {
        // The unregularised intercept makes the weighted predicted probabilities sum to the weighted positives.
        const sum = x.reduce((a, v, i) => a + weights[i]! * m.predictProba(v)[1]!, 0);
        expect(sum).toBeCloseTo(
          y.reduce((a, c, i) => a + c * weights[i]!, 0),
          4,
        );
      }
    });
});

describe('linear models: training from a config', () => {
  let dir: string;
  beforeAll(async () => {
    await initBackend(); // model files are written through tfjs tensors
    dir = mkdtempSync(join(tmpdir(), 'parley-linear-'));
    // Three topics, each carried by one of its cue words among shared filler words; 10% of labels are flipped,
    // so a good model scores about 0.9 on held-out texts.
    const rand = seededRandom(2);
    const cues = [
      ['goal', 'striker', 'league'],
      ['vote', 'senate', 'ballot'],
      ['chip', 'software', 'startup'],
    ];
    const filler = ['the', 'a', 'news', 'today', 'report', 'says', 'new', 'week', 'people', 'big'];
    const names = ['sport', 'politics', 'tech'];
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const c = i % 3;
      const words = Array.from({ length: 6 }, () => filler[Math.floor(rand() * filler.length)]!);
      words.splice(Math.floor(rand() * 6), 0, cues[c]![Math.floor(rand() * 3)]!);
      const label = rand() < 0.1 ? (c + 1 + Math.floor(rand() * 2)) % 3 : c;
      lines.push(`${names[label]}\t${words.join(' ')}`);
    }
    writeFileSync(join(dir, 'topics.tsv'), lines.join('\n') + '\n');
  });
  const config = (name: string, model: Record<string, unknown>, data: Record<string, unknown> = {}) =>
    resolveClassifierConfig(
      {
        kind: 'classifier',
        modelDir: join(dir, name),
        data: { file: join(dir, 'topics.tsv'), dev: 0.15, test: 0.25, ...data },
        model: { type: 'linear', ...model },
      },
      join(dir, `${name}.yaml`),
      dir,
    );

  for (const loss of ['squared_hinge', 'logistic'] as const)
    it(`${loss}: three classes one-vs-rest reach the noise ceiling; the saved model reloads and classifies`, async () => {
      const cfg = config(loss, { loss, C: 1 });
      const r = await trainClassifier(cfg);
      expect(r.test!.kind === 'single' && r.test!.accuracy).toBeGreaterThan(0.82);
      const c = await loadClassifier(cfg.modelDir);
      expect(c.type).toBe('linear');
      expect(c.labels).toEqual(['politics', 'sport', 'tech']);
      expect(c.classify(['the senate vote today', 'a new startup chip', 'striker scores a goal'])).toEqual([
        [0],
        [2],
        [1],
      ]);
      const p = c.predict(['the ballot news'])[0]!;
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });

  it('config errors name the option', () => {
    expect(() => config('bad', { loss: 'squared' })).toThrow(/model\.loss: .*squared_hinge/);
    expect(() => config('bad', { C: 0 })).toThrow(/model\.C: must be > 0/);
  });

  it('multi-label: one SVM per label and a dev-tuned threshold', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 150; i++) {
      const a = i % 3 !== 0;
      const b = i % 2 === 0;
      lines.push(
        `${[a ? 'alpha' : '', b ? 'beta' : ''].filter(Boolean).join(',') || 'none'}\t${a ? 'apple apricot' : 'plain'} ${b ? 'banana berry' : 'text'} filler words`,
      );
    }
    writeFileSync(join(dir, 'multi.tsv'), lines.join('\n') + '\n');
    const cfg = config('multi', {}, { file: join(dir, 'multi.tsv'), multiLabel: true, dev: 0.2, test: 0.2 });
    const r = await trainClassifier(cfg);
    expect(r.test!.kind === 'multi' && r.test!.microF1).toBe(1);
    const c = await loadClassifier(cfg.modelDir);
    expect(c.classify(['apple apricot banana berry filler'])).toEqual([[0, 1]]);
  });
});
