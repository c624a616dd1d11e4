// `parley train <config.yaml> [--fresh]`: trains the model a config describes. The config's top-level
// `kind:` picks the trainer: `charlm` here, `seq2seq` in ../seq2seq-cli.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { initBackend, describeBackend } from '@parley/engine';
import { formatTrainEvent, loadCharLmConfig, trainCharLm } from '@parley/core';
import type { Command } from '../cli';

const USAGE =
  'usage: parley train <config.yaml> [--fresh] [--overwrite]\n  --fresh       ignore an existing checkpoint and start over\n' +
  '  --overwrite   train into output directories that hold another model or files Parley did not write\n';

/** The `kind:` of a YAML config, with a clear error when it is missing or the file is not YAML. */
export function configKind(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${path}: cannot read the config file`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new Error(`${path}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const raw = doc.toJS() as { kind?: unknown } | null;
  if (!raw || typeof raw.kind !== 'string') throw new Error(`${path}: missing top-level "kind:" (charlm or seq2seq)`);
  return raw.kind;
}

export const command: Command = {
  summary: 'train a model from a YAML config (kind: charlm or seq2seq)',
  async run(argv) {
    const [configPath, ...rest] = argv;
    if (!configPath || configPath === '--help' || configPath.startsWith('-')) {
      process.stderr.write(USAGE);
      return configPath === '--help' ? 0 : 2;
    }
    try {
      const kind = configKind(configPath);
      if (kind === 'seq2seq') {
        const mod = (await import('../seq2seq-cli')) as { trainSeq2seq(configPath: string, argv: string[]): Promise<number> };
        return await mod.trainSeq2seq(configPath, rest);
      }
      if (kind !== 'charlm') throw new Error(`${configPath}: unknown kind "${kind}" (expected charlm or seq2seq)`);
      const unknown = rest.filter((a) => a !== '--fresh' && a !== '--overwrite');
      if (unknown.length) throw new Error(`unknown option ${unknown[0]}\n${USAGE}`);
      const config = loadCharLmConfig(configPath);
      const backend = await initBackend();
      process.stderr.write(`${describeBackend(backend).split('\n')[0]}\n`);
      const controller = new AbortController();
      const stop = () => {
        process.stderr.write('\nstopping: writing a checkpoint and exporting the model (Ctrl-C again to quit at once)\n');
        process.off('SIGINT', stop);
        controller.abort();
      };
      process.on('SIGINT', stop);
      await trainCharLm(config, {
        resume: !rest.includes('--fresh'),
        overwrite: rest.includes('--overwrite'),
        signal: controller.signal,
        onEvent: (e) => process.stdout.write(formatTrainEvent(e) + '\n'),
      });
      process.off('SIGINT', stop);
      return 0;
    } catch (err) {
      process.stderr.write(`parley train: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  },
};
