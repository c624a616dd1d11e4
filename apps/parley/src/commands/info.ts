// `parley info MODEL [--json]`: the facts of a Parley model directory of any kind, read generically
// from its manifest: kind, architecture, tokenizer, training, metrics, storage and licence. The weights are
// checked against the manifest's size and sha256 (and their per-tensor checksums): damage exits 1.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkModelWeights, readManifest, type JsonValue } from '@parley/core';
import { defineCommand } from '../command';

/** Flattens nested objects into `a.b.c: value` lines (arrays of scalars joined by commas). */
export function flatten(value: JsonValue, prefix = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [[prefix, String(value)]];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object'))
      return [[prefix, value.length > 12 ? `${value.slice(0, 12).join(', ')}, … (${value.length})` : value.join(', ')]];
    return value.flatMap((v, i) => flatten(v, `${prefix}[${i}]`));
  }
  return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

const fmt = (v: string) => (/^-?\d+\.\d{5,}$/.test(v) ? Number(v).toFixed(4) : v);

function dirSize(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir)) {
    if (f === 'checkpoints') continue;
    const s = statSync(join(dir, f));
    total += s.isDirectory() ? dirSize(join(dir, f)) : s.size;
  }
  return total;
}

export const command = defineCommand(
  {
    name: 'info',
    summary: 'print the facts of a model directory (kind, architecture, data, metrics, licence)',
    positionals: [{ name: 'model', help: 'the model directory', required: true }],
    options: {
      json: { type: 'boolean', help: 'print the manifest as JSON' },
    },
  },
  async ({ opts, args }) => {
    const dir = args.model;
    const m = readManifest(dir);
    const check = checkModelWeights(dir, m); // throws naming the file (and tensor) when the weights are damaged
    if (opts.json) {
      process.stdout.write(JSON.stringify(m, null, 2) + '\n');
      return 0;
    }
    const lines = [
      `${m.name ?? dir} — ${m.kind} model (manifest format ${m.formatVersion}, written ${m.created})`,
      `  directory: ${dir} (${(dirSize(dir) / 1e6).toFixed(2)} MB)`,
    ];
    lines.push(
      `  weights: ${m.weights.file} stored as ${m.weights.dtype}, ${check.tensors} tensors, ` +
        (check.checksummed ? 'checksums verified' : 'no checksums (written before Parley recorded them)'),
    );
    const section = (title: string, value: JsonValue | undefined, skip: (k: string) => boolean = () => false) => {
      if (value === undefined) return;
      lines.push(`${title}:`);
      for (const [k, v] of flatten(value)) if (!skip(k)) lines.push(`  ${k}: ${fmt(v)}`);
    };
    section('architecture', m.architecture);
    section('tokenizer', m.tokenizer);
    section('metrics', m.metrics as JsonValue | undefined);
    section('training', m.training as JsonValue | undefined, (k) => k.startsWith('config.'));
    if (m.license) lines.push(`license: ${m.license}`);
    if (existsSync(join(dir, 'README.md'))) lines.push(`model card: ${join(dir, 'README.md')}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
);
