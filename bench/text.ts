// `npm run bench -- text [--runs N] [--pairs N] [--vocab N] [--unigram]`: tokenizer training and encoding speed.
// Corpus: N sentence pairs (default 150,000) sampled from the shared por-eng and TBBT files with a seeded
// letter swap in 10% of words, so the vocabulary grows like a real corpus's. Both sides are training sentences.
// Cases (medians of --runs runs, default 3):
//   train-bpe   Parley's TypeScript BPE trainer vs `spm_train --model_type=bpe` (baseline, same corpus, when installed)
//   compression pieces per sentence of both models (by spm_encode), and their ratio
//   encode      sentences/s through sentencepiece-js vs `spm_encode` (one process over the whole file)
//   char/word   encode sentences/s of the char and word tokenizers
//   train-unigram (only with --unigram) the unigram trainer vs `spm_train --model_type=unigram` on the first
//               10,000 pairs at vocabulary 4000, with pieces per sentence of both
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CharTokenizer,
  SentencePieceTokenizer,
  WordTokenizer,
  encodeModel,
  seededRandom,
  trainSentencePiece,
  trainUnigram,
} from '@parley/text';
import type { Measurement } from './lib';
import { runsOption, suiteArgs, suiteSpec, timeMedian } from './lib';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SHARED = resolve(REPO, process.env.PARLEY_SHARED ?? '../shared');

/** The suite's command line (`npm run bench -- text --help`). */
export const TEXT_ARGS = suiteSpec('text', 'Tokenizer training and encoding speed against SentencePiece.', {
  runs: runsOption(3),
  pairs: { type: 'int', min: 1, default: 150_000, help: 'sentence pairs in the corpus' },
  vocab: { type: 'int', min: 1, default: 8000, help: "the BPE models' vocabulary size" },
  unigram: { type: 'boolean', help: 'also time the unigram trainer against spm_train' },
});

/** Sentences from the shared corpora, multiplied to `pairs` pairs with seeded letter swaps. */
function corpus(pairs: number): string[] {
  const read = (rel: string) => readFileSync(join(SHARED, rel), 'utf8').split('\n').filter(Boolean);
  const pt = [...read('corpora/por-eng/pairs.tsv'), ...read('corpora/por-eng/tatoeba-extra.tsv')].map((l) =>
    l.split('\t'),
  );
  const tbbt = read('corpora/tbbt/dialogue.tsv')
    .filter((l) => !l.startsWith('#EPISODE'))
    .map((l) => l.split('\t')[1] ?? '');
  const rand = seededRandom(1);
  const mutate = (s: string) =>
    s
      .split(' ')
      .map((w) => {
        if (w.length < 4 || rand() >= 0.1) return w;
        const i = 1 + Math.floor(rand() * (w.length - 2));
        return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
      })
      .join(' ');
  const out: string[] = [];
  for (let k = 0; k < pairs; k++) {
    if (rand() < 0.5) {
      const [en, pt2] = pt[Math.floor(rand() * pt.length)]!;
      out.push(mutate(en!), mutate(pt2!));
    } else {
      out.push(mutate(tbbt[Math.floor(rand() * tbbt.length)]!), mutate(tbbt[Math.floor(rand() * tbbt.length)]!));
    }
  }
  return out;
}

/** spm_train's arguments for a model like Parley's: ids pad 0, unk 1, bos 2, eos 3; one thread, quiet. */
function spmTrainArgs(input: string, prefix: string, vocab: number, type: 'bpe' | 'unigram'): string[] {
  return [
    `--input=${input}`,
    `--model_prefix=${prefix}`,
    `--vocab_size=${vocab}`,
    `--model_type=${type}`,
    '--pad_id=0',
    '--unk_id=1',
    '--bos_id=2',
    '--eos_id=3',
    '--minloglevel=2',
    '--num_threads=1',
  ];
}

const hasSpm = spawnSync('sh', ['-c', 'command -v spm_train && command -v spm_encode']).status === 0;

function exec(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr.slice(-500)}`);
  return r.stdout;
}

export async function run(args: string[]): Promise<Measurement[]> {
  const {
    opts: { runs, pairs, vocab, unigram },
  } = suiteArgs(TEXT_ARGS, args);
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-text-'));
  const log = (s: string) => process.stderr.write(s + '\n');
  const out: Measurement[] = [];
  const backend = 'cpu (no tensors)';
  try {
    const sentences = corpus(pairs);
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, sentences.join('\n') + '\n');
    log(
      `corpus: ${pairs} pairs = ${sentences.length} sentences, ${(Buffer.byteLength(sentences.join('\n')) / 1e6).toFixed(1)} MB`,
    );

    // Tokenizer training.
    const ours = join(dir, 'ours');
    const oursS = await timeMedian(() => trainSentencePiece([file], ours, { vocabSize: vocab }), runs, 0);
    const train: Measurement = { suite: 'text', case: `train-bpe-${vocab}`, backend, pairs, parley_s: oursS };
    const ref = join(dir, 'ref');
    if (hasSpm) {
      const spmArgs = spmTrainArgs(file, ref, vocab, 'bpe');
      const spmS = await timeMedian(() => exec('spm_train', spmArgs), runs, 0);
      Object.assign(train, { spm_train_s: spmS, ratio_vs_spm: oursS / spmS });
    }
    out.push(train);
    log(`train: ${JSON.stringify(train)}`);

    // Compression: pieces per sentence.
    if (hasSpm) {
      const count = (model: string) =>
        exec('spm_encode', [`--model=${model}`, `--input=${file}`])
          .split('\n')
          .reduce((s, l) => s + (l ? l.split(' ').length : 0), 0);
      const a = count(`${ours}.model`) / sentences.length;
      const b = count(`${ref}.model`) / sentences.length;
      out.push({
        suite: 'text',
        case: `compression-${vocab}`,
        backend,
        parley_pieces_per_sentence: a,
        spm_pieces_per_sentence: b,
        ratio_vs_spm: a / b,
      });
    }

    // Encoding speed.
    const sample = sentences.slice(0, 20_000);
    const sampleFile = join(dir, 'sample.txt');
    writeFileSync(sampleFile, sample.join('\n') + '\n');
    const tok = await SentencePieceTokenizer.load(`${ours}.model`);
    const jsS = await timeMedian(() => sample.forEach((s) => tok.encode(s)), runs);
    const enc: Measurement = {
      suite: 'text',
      case: 'encode-bpe',
      backend,
      sentences: sample.length,
      sentencepiece_js_per_s: sample.length / jsS,
    };
    if (hasSpm) {
      const spmS = await timeMedian(
        () => exec('spm_encode', [`--model=${ours}.model`, `--input=${sampleFile}`, '--output_format=id']),
        runs,
      );
      Object.assign(enc, { spm_encode_per_s: sample.length / spmS, ratio_vs_spm: spmS / jsS });
    }
    out.push(enc);
    const char = CharTokenizer.train(sample);
    const word = WordTokenizer.train(sample);
    const charS = await timeMedian(() => sample.forEach((s) => char.encode(s)), runs);
    const wordS = await timeMedian(() => sample.forEach((s) => word.encode(s)), runs);
    out.push({
      suite: 'text',
      case: 'encode-char',
      backend,
      sentences: sample.length,
      per_s: sample.length / charS,
      ratio_vs_sentencepiece_js: jsS / charS,
    });
    out.push({
      suite: 'text',
      case: 'encode-word',
      backend,
      sentences: sample.length,
      per_s: sample.length / wordS,
      ratio_vs_sentencepiece_js: jsS / wordS,
    });

    if (unigram) {
      const small = sentences.slice(0, 20_000);
      const smallFile = join(dir, 'small.txt');
      writeFileSync(smallFile, small.join('\n') + '\n');
      const uni = join(dir, 'uni.model');
      const uniS = await timeMedian(
        () => writeFileSync(uni, encodeModel(trainUnigram(small, { vocabSize: 4000 }).model)),
        runs,
        0,
      );
      const m: Measurement = {
        suite: 'text',
        case: 'train-unigram-4000',
        backend,
        pairs: small.length / 2,
        parley_s: uniS,
      };
      if (hasSpm) {
        const refUni = join(dir, 'uniref');
        const spmArgs = spmTrainArgs(smallFile, refUni, 4000, 'unigram');
        const spmS = await timeMedian(() => exec('spm_train', spmArgs), runs, 0);
        const count = (model: string) =>
          exec('spm_encode', [`--model=${model}`, `--input=${smallFile}`])
            .split('\n')
            .reduce((s, l) => s + (l ? l.split(' ').length : 0), 0);
        const a = count(uni) / small.length;
        const b = count(`${refUni}.model`) / small.length;
        Object.assign(m, {
          spm_train_s: spmS,
          ratio_vs_spm: uniS / spmS,
          parley_pieces_per_sentence: a,
          spm_pieces_per_sentence: b,
          compression_ratio_vs_spm: a / b,
        });
      }
      out.push(m);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
