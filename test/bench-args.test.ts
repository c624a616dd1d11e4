// The bench suites declare their flags once and parse them with the parley CLI's parser (bench/lib.ts suiteArgs).
// The heavy suites (rnn, train, nmt, ...) are not run here: their documented command lines (bench/README.md and
// each suite's header) are parsed, and a mistyped flag or case is refused instead of being silently ignored.
import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../apps/parley/src/command';
import { suiteArgs } from '../bench/lib';
import { CLASSIFY_ARGS } from '../bench/classify';
import { LM_ARGS } from '../bench/lm';
import { METRICS_ARGS } from '../bench/metrics';
import { NMT_ARGS } from '../bench/nmt';
import { RNN_ARGS } from '../bench/rnn';
import { TEXT_ARGS } from '../bench/text';
import { TRAIN_ARGS } from '../bench/train';

const argv = (line: string) => line.split(' ').filter(Boolean);

describe('bench suites parse their documented flags', () => {
  it('rnn', () => {
    expect(suiteArgs(RNN_ARGS, []).opts).toEqual({
      backends: ['wasm', 'cpu'],
      runs: 5,
      cases: ['lstm-train', 'gru-train', 'lstm-forward', 'lstm-step'],
      noBaseline: false,
      torchThreads: 1,
    });
    const { opts } = suiteArgs(
      RNN_ARGS,
      argv(
        '--backends node,wasm --runs 3 --cases lstm-train,lstm-step --no-baseline --reference torch --torch-threads 2',
      ),
    );
    expect(opts).toEqual({
      backends: ['node', 'wasm'],
      runs: 3,
      cases: ['lstm-train', 'lstm-step'],
      noBaseline: true,
      reference: 'torch',
      torchThreads: 2,
    });
  });

  it('train', () => {
    const { opts } = suiteArgs(TRAIN_ARGS, argv('--cases lstm-train --runs 5 --steps 3 --workers 2 --backends wasm'));
    expect(opts).toEqual({ cases: ['lstm-train'], runs: 5, steps: 3, workers: 2, backends: ['wasm'] });
    const d = suiteArgs(TRAIN_ARGS, []).opts;
    expect(d).toMatchObject({
      runs: 5,
      steps: 5,
      cases: ['lstm-train', 'sheldon', 'pt-en-base'],
      backends: ['wasm', 'node'],
    });
    expect(d.workers).toBeGreaterThanOrEqual(2);
  });

  it('classify, lm, nmt, text and metrics', () => {
    expect(suiteArgs(CLASSIFY_ARGS, argv('--runs 2 --texts 300')).opts).toEqual({ runs: 2, texts: 300 });
    expect(suiteArgs(CLASSIFY_ARGS, []).opts).toEqual({ runs: 3, texts: 5000 });
    expect(suiteArgs(LM_ARGS, argv('--runs 1')).opts).toEqual({ runs: 1 });
    expect(suiteArgs(NMT_ARGS, []).opts).toEqual({ runs: 3 });
    expect(suiteArgs(TEXT_ARGS, argv('--runs 1 --pairs 2000 --vocab 500 --unigram')).opts).toEqual({
      runs: 1,
      pairs: 2000,
      vocab: 500,
      unigram: true,
    });
    expect(suiteArgs(TEXT_ARGS, []).opts).toEqual({ runs: 3, pairs: 150_000, vocab: 8000, unigram: false });
    expect(suiteArgs(METRICS_ARGS, []).opts).toEqual({ pairs: 10_000 });
    expect(suiteArgs(METRICS_ARGS, argv('--pairs 1000 --runs 1')).opts).toEqual({ pairs: 1000, runs: 1 });
  });

  it('refuses a mistyped flag, an unknown case and a bad number instead of ignoring them', () => {
    const problem = (spec: Parameters<typeof parseCommandLine>[0], line: string) => {
      try {
        parseCommandLine(spec, argv(line));
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      throw new Error(`accepted: ${line}`);
    };
    expect(problem(RNN_ARGS, '--run 3')).toBe('unknown option --run (did you mean --runs?)');
    expect(problem(RNN_ARGS, '--cases lstm-trian')).toMatch(/--cases: invalid choice "lstm-trian"/);
    expect(problem(TRAIN_ARGS, '--workers two')).toMatch(/--workers: must be an integer ≥ 1, got "two"/);
    expect(problem(RNN_ARGS, '--reference tensorflow')).toMatch(/invalid choice "tensorflow" \(choose from torch\)/);
  });
});
