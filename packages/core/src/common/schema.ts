// The one way a YAML config is declared and checked. A config kind is a schema built from these
// field builders; each field carries its type, default, range and documentation, and the schema gives
// the TypeScript type (Infer<typeof schema>), the defaults and every error, as `file:line: key: problem`.
// Unknown keys at any level are errors that suggest the closest known key. Paths have one rule for every
// kind: `${shared}` is the shared data directory and a relative path is relative to the config file.
// A new kind is a new schema plus a line in ../config.ts (see packages/core/README.md, "Config files").
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

/** Where a value sits and how to report a problem with it. */
export interface SchemaContext {
  /** The config file, as given (errors name it). */
  file: string;
  /** The directory relative paths resolve against (the config file's). */
  baseDir: string;
  /** What `${shared}` stands for. */
  sharedDir: string;
  /** The 1-based line of the value at `path` (or of its nearest parent), when known. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

/** A config problem; its message is `file:line: key: problem`. */
export class ConfigError extends Error {}

export function configError(ctx: SchemaContext, path: readonly (string | number)[], problem: string): ConfigError {
  const line = ctx.lineOf(path);
  const key = path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
  return new ConfigError(`${ctx.file}${line ? `:${line}` : ''}: ${key ? `${key}: ` : ''}${problem}`);
}

/** A field of a schema: parses a raw YAML value (undefined when absent) into T. */
export interface Field<T> {
  /** What the field means, for docs and generated references. */
  doc: string;
  /** The default, when there is one (shown by docs). */
  default?: unknown;
  parse(raw: unknown, path: (string | number)[], ctx: SchemaContext): T;
  /** A number's (or number list's) declared range, for docs and the range audit (every number has one). */
  range?: Pick<NumberOptions, 'int' | 'min' | 'max' | 'below'>;
  /** An object's fields, a list's item: how docs and the range audit walk a schema. */
  fields?: Record<string, Field<unknown>>;
  item?: Field<unknown>;
}

export type Infer<F> = F extends Field<infer T> ? T : never;

interface Common<T> {
  doc: string;
  default?: T;
  /** An absent value is an error. */
  required?: boolean;
}
/** A field's type: defaulted and required fields are always there; others may be undefined. */
type Out<T, O> = O extends { default: unknown } ? T : O extends { required: true } ? T : T | undefined;

const show = (v: unknown) => JSON.stringify(v);

function absent<T>(o: Common<T>, raw: unknown, path: (string | number)[], ctx: SchemaContext): raw is undefined {
  if (raw !== undefined && raw !== null) return false;
  if (o.required) throw configError(ctx, path, 'is required');
  return true;
}

export interface NumberOptions extends Common<number> {
  /** Whole numbers only. */
  int?: boolean;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Values must be below this (exclusive), e.g. a dropout < 1. */
  below?: number;
}

/** The range of every seed, in configs and on the command line: what the seeded generators take (32 bits). */
export const SEED_RANGE = { min: 0, max: 2 ** 32 - 1 } as const;

function rangeText(o: NumberOptions): string {
  const parts: string[] = [];
  if (o.min !== undefined) parts.push(`≥ ${o.min}`);
  if (o.max !== undefined) parts.push(`≤ ${o.max}`);
  if (o.below !== undefined) parts.push(`< ${o.below}`);
  return `${o.int ? 'an integer' : 'a number'}${parts.length ? ` ${parts.join(' and ')}` : ''}`;
}

function checkNumber(o: NumberOptions, v: unknown, path: (string | number)[], ctx: SchemaContext): number {
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (!o.int || Number.isInteger(v)) &&
    (o.min === undefined || v >= o.min) &&
    (o.max === undefined || v <= o.max) &&
    (o.below === undefined || v < o.below);
  if (!ok) throw configError(ctx, path, `must be ${rangeText(o)}, got ${show(v)}`);
  return v as number;
}

/** The field builders. */
export const s = {
  number<const O extends NumberOptions>(o: O): Field<Out<number, O>> {
    return {
      doc: o.doc,
      default: o.default,
      range: { int: o.int, min: o.min, max: o.max, below: o.below },
      parse: (raw, path, ctx) =>
        (absent(o, raw, path, ctx) ? o.default : checkNumber(o, raw, path, ctx)) as Out<number, O>,
    };
  },
  int<const O extends Omit<NumberOptions, 'int'>>(o: O): Field<Out<number, O>> {
    return s.number({ ...o, int: true }) as Field<Out<number, O>>;
  },
  boolean<const O extends Common<boolean>>(o: O): Field<Out<boolean, O>> {
    return {
      doc: o.doc,
      default: o.default,
      parse(raw, path, ctx) {
        if (absent(o, raw, path, ctx)) return o.default as Out<boolean, O>;
        if (typeof raw !== 'boolean') throw configError(ctx, path, `must be true or false, got ${show(raw)}`);
        return raw as Out<boolean, O>;
      },
    };
  },
  string<const O extends Common<string>>(o: O): Field<Out<string, O>> {
    return {
      doc: o.doc,
      default: o.default,
      parse(raw, path, ctx) {
        if (absent(o, raw, path, ctx)) return o.default as Out<string, O>;
        if (typeof raw !== 'string') throw configError(ctx, path, `must be a string, got ${show(raw)}`);
        return raw as Out<string, O>;
      },
    };
  },
  /** One of a fixed set of strings. */
  oneOf<const C extends readonly string[], const O extends Common<C[number]>>(
    choices: C,
    o: O,
  ): Field<Out<C[number], O>> {
    return {
      doc: `${o.doc} One of ${choices.join(', ')}.`,
      default: o.default,
      parse(raw, path, ctx) {
        if (absent(o, raw, path, ctx)) return o.default as Out<C[number], O>;
        if (typeof raw !== 'string' || !choices.includes(raw)) {
          const near = typeof raw === 'string' ? closestKey(raw, choices) : undefined;
          throw configError(
            ctx,
            path,
            `must be one of ${choices.join(', ')}, got ${show(raw)}${near ? ` (did you mean ${near}?)` : ''}`,
          );
        }
        return raw as Out<C[number], O>;
      },
    };
  },
  /**
   * A file or directory path: `${shared}` (also the older `${PARLEY_SHARED}` / `$PARLEY_SHARED`) is the shared
   * data directory, and a relative path is relative to the config file. Resolves to an absolute path; '' stays ''.
   */
  path<const O extends Common<string>>(o: O): Field<Out<string, O>> {
    return {
      doc: `${o.doc} (\${shared}/… for the shared data; relative paths are relative to the config file)`,
      default: o.default,
      parse(raw, path, ctx) {
        if (absent(o, raw, path, ctx)) return o.default as Out<string, O>;
        if (typeof raw !== 'string') throw configError(ctx, path, `must be a path, got ${show(raw)}`);
        return resolvePath(raw, ctx) as Out<string, O>;
      },
    };
  },
  /** A list of `length` numbers (e.g. Adam's betas). */
  numbers<const O extends Common<number[]> & Omit<NumberOptions, keyof Common<number>> & { length: number }>(
    o: O,
  ): Field<Out<number[], O>> {
    return {
      doc: o.doc,
      default: o.default,
      range: { int: o.int, min: o.min, max: o.max, below: o.below },
      parse(raw, path, ctx) {
        if (absent(o, raw, path, ctx))
          return (o.default === undefined ? undefined : [...o.default]) as Out<number[], O>;
        if (!Array.isArray(raw) || raw.length !== o.length)
          throw configError(ctx, path, `must be a list of ${o.length} numbers, got ${show(raw)}`);
        return raw.map((v, i) => checkNumber({ ...o, doc: o.doc, default: undefined }, v, [...path, i], ctx)) as Out<
          number[],
          O
        >;
      },
    };
  },
  /** A list of items. */
  list<T, const O extends Common<T[]>>(item: Field<T>, o: O): Field<Out<T[], O>> {
    return {
      doc: o.doc,
      default: o.default,
      item: item as Field<unknown>,
      parse(raw, path, ctx) {
        if (absent(o, raw, path, ctx)) return (o.default === undefined ? undefined : [...o.default]) as Out<T[], O>;
        if (!Array.isArray(raw)) throw configError(ctx, path, `must be a list, got ${show(raw)}`);
        return raw.map((v, i) => item.parse(v, [...path, i], ctx)) as Out<T[], O>;
      },
    };
  },
  /**
   * A mapping with known keys. An absent section parses as `{}` (so its fields' defaults apply) unless
   * `optional` (then it is undefined). `shorthand: key` lets a plain value stand for `{ key: value }`.
   */
  object<
    const F extends Record<string, Field<unknown>>,
    const O extends { doc: string; optional?: boolean; shorthand?: keyof F & string },
  >(
    fields: F,
    o: O,
  ): Field<
    O extends { optional: true } ? { [K in keyof F]: Infer<F[K]> } | undefined : { [K in keyof F]: Infer<F[K]> }
  > {
    type T = { [K in keyof F]: Infer<F[K]> };
    return {
      doc: o.doc,
      fields,
      parse(raw, path, ctx) {
        if (raw === undefined || raw === null) {
          if (o.optional) return undefined as never;
          raw = {};
        }
        if (o.shorthand && (typeof raw !== 'object' || Array.isArray(raw))) raw = { [o.shorthand]: raw };
        if (typeof raw !== 'object' || Array.isArray(raw))
          throw configError(ctx, path, `must be a mapping, got ${show(raw)}`);
        const r = raw as Record<string, unknown>;
        for (const k of Object.keys(r)) {
          if (!(k in fields)) {
            const near = closestKey(k, Object.keys(fields));
            throw configError(
              ctx,
              [...path, k],
              `unknown key${near ? ` (did you mean ${near}?)` : ` (known: ${Object.keys(fields).join(', ')})`}`,
            );
          }
        }
        const out: Record<string, unknown> = {};
        for (const [k, f] of Object.entries(fields)) out[k] = f.parse(r[k], [...path, k], ctx);
        return out as T as never;
      },
    };
  },
};

/** Expands `${shared}` and resolves a relative path against the config file's directory. */
export function resolvePath(raw: string, ctx: Pick<SchemaContext, 'baseDir' | 'sharedDir'>): string {
  if (raw === '') return '';
  const expanded = raw.replace(/\$\{shared\}|\$\{PARLEY_SHARED\}|\$PARLEY_SHARED\b/g, ctx.sharedDir);
  return isAbsolute(expanded) ? expanded : resolve(ctx.baseDir, expanded);
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(
        Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The known key closest to `name` (ignoring case, `_` and `-`), when close enough to be a typo. */
export function closestKey(name: string, known: readonly string[]): string | undefined {
  const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(norm(name), norm(k));
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** A line finder over a parsed YAML document. */
function lineFinder(doc: Document | undefined, counter: LineCounter): SchemaContext['lineOf'] {
  return (path) => {
    if (!doc) return undefined;
    let node: unknown = doc.contents;
    let line: number | undefined;
    const at = (n: unknown) => {
      const range = (n as { range?: [number, number, number] } | null)?.range;
      return range ? counter.linePos(range[0]).line : undefined;
    };
    line = at(node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
        if (!pair) break;
        line = at(pair.key) ?? line;
        node = pair.value;
        if (!isMap(node) && !isSeq(node)) line = at(node) ?? line;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        line = at(node) ?? line;
      } else break;
    }
    return line;
  };
}

/** Reads a YAML config file: its parsed value and a context for schema parsing (YAML syntax errors name the line). */
export function readConfigFile(file: string, sharedDir: string): { raw: unknown; ctx: SchemaContext } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the config file`);
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new ConfigError(`${file}:${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
  }
  const ctx: SchemaContext = {
    file,
    baseDir: dirname(resolve(file)),
    sharedDir: resolve(sharedDir),
    lineOf: lineFinder(doc, counter),
  };
  return { raw: doc.toJS(), ctx };
}

/** A context for an in-memory config object (no line numbers); relative paths resolve against `baseDir`. */
export function objectContext(file: string, sharedDir: string, baseDir = dirname(resolve(file))): SchemaContext {
  return { file, baseDir, sharedDir: resolve(sharedDir), lineOf: () => undefined };
}

/** A config's name when it gives none: its file's base name without `.yaml` / `.yml`. */
export function configFileName(file: string): string {
  return basename(file).replace(/\.ya?ml$/, '');
}

/** The `name:` field of every kind's config: one declaration, one default rule (configName). */
export const nameField = s.string({
  doc: "Model name, shown by `parley info`; the default run directory is runs/<name>. Default: the config file's base name.",
});

/**
 * The one place a config's model name is resolved, for every kind: its `name:` when it gives one, else the config
 * file's base name (`configs/pt-en.yaml` → `pt-en`; for an in-memory config, the base name of the source it names).
 */
export function configName(given: string | undefined, ctx: Pick<SchemaContext, 'file'>): string {
  return given ?? configFileName(ctx.file);
}

/** Where a run writes when its config does not say: `runs/<name>` beside the config file. */
export function defaultRunDir(ctx: SchemaContext, name: string): string {
  return resolve(ctx.baseDir, 'runs', name);
}

/** A kind's check of a parsed config (its name resolves through configName). */
export type ConfigParser<T> = (raw: unknown, ctx: SchemaContext) => T;

/** Reads a YAML config file and checks it with a kind's parser. */
export function loadConfigWith<T>(file: string, sharedDir: string, parse: ConfigParser<T>): T {
  const { raw, ctx } = readConfigFile(file, sharedDir);
  return parse(raw, ctx);
}

/**
 * The `training.maxMinutes` field of every trainer that resumes: one wall-clock budget per work directory, summed
 * over the runs that resume it (each trainer keeps the seconds so far in its checkpoints), not per run.
 */
export function maxMinutesField(): Field<number> {
  return s.number({
    min: 0,
    default: 0,
    doc: 'Stop once training has taken this many minutes of wall clock, counted across resumes (a resumed run continues the count from checkpoints/last); 0 = no limit.',
  });
}

/**
 * The `training.workers` field of trainers that split each update over threads (`what` says what is split and how
 * the gradients are averaged).
 */
export function workersField(what: string): Field<number> {
  return s.int({
    min: 0,
    default: 0,
    doc: `Data-parallel training on the wasm backend: ${what}, so the update is the same as with one thread. 0 = automatic (resolveWorkers in common/data-parallel.ts); 1 = single-threaded. PARLEY_WORKERS overrides it; other backends always use 1.`,
  });
}
