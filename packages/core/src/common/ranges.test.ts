// The range audit of every config kind: each number in each schema declares a range, and a value outside it is
// refused with `file:line: key: must be …` (the CLI exits 2 on it). Walking the schemas means a field added
// later without a range fails here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { charLmConfigSchema } from '../charlm/config';
import { classifierConfigSchema } from '../classifier/config';
import { embeddingsConfigSchema } from '../embeddings/config';
import { seq2seqConfigSchema } from '../seq2seq/config';
import { ConfigError, readConfigFile, type Field } from './schema';

const KINDS: Record<string, Field<unknown>> = {
  charlm: charLmConfigSchema,
  seq2seq: seq2seqConfigSchema,
  classifier: classifierConfigSchema,
  embeddings: embeddingsConfigSchema,
};

/** Every numeric field of a schema with its path (list items as [0]). */
function numbers(field: Field<unknown>, path: (string | number)[] = []): [(string | number)[], Field<unknown>][] {
  if (field.range) return [[path, field]];
  if (field.fields) return Object.entries(field.fields).flatMap(([k, f]) => numbers(f, [...path, k]));
  if (field.item) return numbers(field.item, [...path, 0]);
  return [];
}

/** A value just outside the field's range (below its minimum, else above its maximum). */
function outside(r: NonNullable<Field<unknown>['range']>): number {
  if (r.min !== undefined) return r.min - 1;
  if (r.max !== undefined) return r.max + 1;
  return r.below!;
}

/** YAML placing `value` at `path` (nested mappings; a list index becomes a one-item list). */
function yamlAt(path: (string | number)[], value: number): string {
  let text = '';
  path.forEach((key, depth) => {
    const indent = '  '.repeat(depth);
    const last = depth === path.length - 1;
    if (typeof key === 'number') return;
    const inList = typeof path[depth + 1] === 'number';
    text += `${indent}${key}:${last ? ` ${value}` : ''}\n`;
    if (inList) text += `${indent}  - ${depth + 2 === path.length ? value : ''}\n`;
  });
  return text;
}

const dir = mkdtempSync(join(tmpdir(), 'parley-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config ranges', () => {
  for (const [kind, schema] of Object.entries(KINDS)) {
    const fields = numbers(schema);
    it(`${kind}: every number declares a range`, () => {
      expect(fields.length).toBeGreaterThan(0);
      const unbounded = fields
        .filter(([, f]) => [f.range!.min, f.range!.max, f.range!.below].every((v) => v === undefined))
        .map(([p]) => p.join('.'));
      expect(unbounded).toEqual([]);
    });
    it(`${kind}: a value outside each range is refused with file:line: key: must be …`, () => {
      for (const [path, field] of fields) {
        if (path.includes(0)) continue; // list items: one case below is enough
        const file = join(dir, `${kind}-${path.join('-')}.yaml`);
        const value = outside(field.range!);
        writeFileSync(file, `kind: ${kind}\n${yamlAt(path, value)}`);
        const { raw, ctx } = readConfigFile(file, dir);
        const key = path.join('.');
        let message = '';
        try {
          const r = raw as Record<string, unknown>;
          delete r.kind;
          schema.parse(r, [], ctx);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          message = (err as Error).message;
        }
        // Another required field may be reported first; then the field itself is checked on its own.
        if (!message.includes(`${key}:`)) {
          try {
            field.parse(value, path, ctx);
            message = `${value} accepted`;
          } catch (err) {
            message = (err as Error).message;
          }
        }
        expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: ${key}: must be `));
      }
    });
  }
});
