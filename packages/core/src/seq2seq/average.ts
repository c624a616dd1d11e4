// Checkpoint averaging: the element-wise mean of the weights of several model directories of one run
// (e.g. its best-K checkpoints). Averaging nearby checkpoints smooths out the noise of the last updates
// and usually translates a little better than any one of them (Joey NMT's scripts/average_checkpoints.py).
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../common/index';
import { loadSeq2seq, saveSeq2seq, type SaveOptions } from './io';

/**
 * Averages the weights of `dirs` (same architecture and tokenizer, e.g. checkpoints/best-*) and writes the result
 * to `outDir` with the first directory's tokenizer. Errors name the directory that does not match.
 */
export async function averageSeq2seq(
  dirs: string[],
  outDir: string,
  opts: Pick<SaveOptions, 'dtype' | 'name' | 'license'> = {},
): Promise<void> {
  if (dirs.length === 0) throw new Error('averageSeq2seq: no model directories given');
  const first = await loadSeq2seq(dirs[0]!);
  const arch = JSON.stringify(first.manifest.architecture);
  const sums: Record<string, tf.Tensor> = Object.fromEntries(
    Object.entries(first.model.vars).map(([k, v]) => [k, tf.clone(v)]),
  );
  for (const dir of dirs.slice(1)) {
    const m = await loadSeq2seq(dir);
    try {
      if (JSON.stringify(m.manifest.architecture) !== arch)
        throw new Error(`${dir}/manifest.json: architecture differs from ${dirs[0]}`);
      if (m.tokenizer.vocabSize !== first.tokenizer.vocabSize)
        throw new Error(`${dir}/manifest.json: tokenizer differs from ${dirs[0]}`);
      for (const [k, v] of Object.entries(m.model.vars)) {
        const s = sums[k]!;
        sums[k] = tf.add(s, v);
        s.dispose();
      }
    } finally {
      m.model.dispose();
    }
  }
  for (const [k, v] of Object.entries(first.model.vars)) {
    v.assign(tf.tidy(() => tf.div(sums[k]!, dirs.length)));
    sums[k]!.dispose();
  }
  const training = { ...((first.manifest.training ?? {}) as { [k: string]: JsonValue }), averagedFrom: dirs };
  saveSeq2seq(outDir, first.model, first.tokenizer, {
    name: opts.name ?? first.manifest.name,
    dtype: opts.dtype,
    license: opts.license,
    training,
  });
  first.model.dispose();
}
