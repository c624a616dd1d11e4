// The one way a `parley` command declares and parses its command line. A command is
// `defineCommand({ name, summary, positionals, options }, run)`: each option is declared once, with its
// type, default, documentation and range (min/max, integer, choices, or a `check` function), and the
// declaration gives the parsed, typed values, the `--help` text and every usage error. node:util's
// parseArgs does the tokenizing. Usage errors exit 2, other errors 1, both as one line
// `parley <command>: <message>` (a stack trace only with PARLEY_DEBUG=1). See apps/parley/README.md,
// "Writing a command". The one exception is `parley eval`, which keeps sacreBLEU's own flags.
import { parseArgs } from 'node:util';
import { closestKey } from '@parley/core/schema';
import { errorMessage } from '@parley/engine/errors';

/** A command as cli.tsx runs it: `parley <name> ...argv`. */
export interface Command {
  /** One line shown by `parley help`. */
  summary: string;
  /** Runs the command; resolves to the process exit code (errors are printed, never thrown). */
  run(argv: string[]): Promise<number>;
}

/** A wrong command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/**
 * Input the command refuses before any work, though the command line itself is well formed: an output it must not
 * write (an input file, a directory, read-only, another model's directory), a data file a config names that is
 * missing, empty or malformed. Exit code 2 like any usage error, printed without the pointer to --help.
 */
export class RefusalError extends UsageError {}

interface OptionBase {
  /** What the option does, one line for --help. */
  help: string;
  /** One-letter alias, e.g. `i` for `-i`. */
  short?: string;
  /** The value's name in --help, e.g. DIR or FILE (default: TEXT or N). */
  arg?: string;
  /** How --help shows the default when the value itself would not read well (e.g. "the bundled model"). */
  defaultText?: string;
  /** Extra validation: returns a problem ("must be an existing file") or undefined when the value is fine. */
  check?: (value: never) => string | undefined;
}
export interface StringOption extends OptionBase {
  type: 'string';
  default?: string;
  /** The only values allowed. */
  choices?: readonly string[];
  check?: (value: string) => string | undefined;
}
/** A list: the flag may repeat, and each value may be comma-separated (`--sets dev,test`). */
export interface ListOption extends OptionBase {
  type: 'list';
  default?: readonly string[];
  choices?: readonly string[];
  check?: (value: string[]) => string | undefined;
}
export interface NumberOption extends OptionBase {
  /** `int` accepts whole numbers only. */
  type: 'int' | 'number';
  default?: number;
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  check?: (value: number) => string | undefined;
}
export interface BooleanOption extends OptionBase {
  type: 'boolean';
}
export type OptionSpec = StringOption | ListOption | NumberOption | BooleanOption;
export type OptionSpecs = Record<string, OptionSpec>;

export interface PositionalSpec {
  name: string;
  help: string;
  /** A missing required positional is a usage error. */
  required?: boolean;
  /** Takes all remaining arguments (last positional only). */
  variadic?: boolean;
}

/** A declared `choices` list narrows the value to its literals. */
type Choice<O> = O extends { choices: readonly (infer C extends string)[] } ? C : string;
type ValueOf<O extends OptionSpec> = O extends BooleanOption
  ? boolean
  : O extends ListOption
    ? Choice<O>[]
    : O extends NumberOption
      ? number
      : Choice<O>;
/** The parsed options: booleans and lists are always present; others when given or defaulted. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]: O[K] extends BooleanOption | ListOption
    ? ValueOf<O[K]>
    : O[K] extends { default: unknown }
      ? ValueOf<O[K]>
      : ValueOf<O[K]> | undefined;
};
/** The parsed positionals by name. */
export type PositionalValues<P extends readonly PositionalSpec[]> = {
  [E in P[number] as E['name']]: E extends { variadic: true }
    ? string[]
    : E extends { required: true }
      ? string
      : string | undefined;
};

export interface CommandSpec<O extends OptionSpecs, P extends readonly PositionalSpec[]> {
  /** The command's name, as typed after `parley`. */
  name: string;
  /** One line for `parley help` and the top of --help. */
  summary: string;
  /** More text for --help, after the summary. */
  description?: string;
  positionals?: P;
  options: O;
}

export interface Parsed<O extends OptionSpecs, P extends readonly PositionalSpec[]> {
  opts: OptionValues<O>;
  args: PositionalValues<P>;
}

/** `topK` → `top-k`: options are declared in camelCase and typed on the command line in kebab-case. */
export function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Prints an error the one way (`parley <command>: message`) and returns its exit code: 2 for usage errors (and refusals), else 1. */
export function reportError(command: string, err: unknown): number {
  const usage = err instanceof UsageError;
  let text = `parley${command ? ` ${command}` : ''}: ${errorMessage(err)}\n`;
  if (usage && command && !(err instanceof RefusalError)) text += `Run 'parley ${command} --help' for usage.\n`;
  if (process.env.PARLEY_DEBUG === '1' && err instanceof Error && err.stack) text += `${err.stack}\n`;
  process.stderr.write(text);
  return usage ? 2 : 1;
}

/** The closest of `known` to `name`, if it is close enough to be a likely typo (config keys use the same rule). */
export function closest(name: string, known: Iterable<string>): string | undefined {
  return closestKey(name, [...known]);
}

function describeRange(o: NumberOption): string {
  const kind = o.type === 'int' ? 'an integer' : 'a number';
  if (o.min !== undefined && o.max !== undefined) return `${kind} in [${o.min}, ${o.max}]`;
  if (o.min !== undefined) return `${kind} ≥ ${o.min}`;
  if (o.max !== undefined) return `${kind} ≤ ${o.max}`;
  return kind;
}

function convert(flag: string, spec: OptionSpec, raw: string | boolean | (string | boolean)[]): unknown {
  const problem = (p: string) => new UsageError(`${flag}: ${p}`);
  let value: unknown;
  if (spec.type === 'boolean') value = Array.isArray(raw) ? raw.includes(true) : raw === true;
  else if (spec.type === 'list') {
    value = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).filter((v) => v !== '');
    const bad = (value as string[]).find((v) => spec.choices && !spec.choices.includes(v));
    if (bad !== undefined) throw problem(`invalid choice "${bad}" (choose from ${spec.choices!.join(', ')})`);
  } else {
    const text = String(Array.isArray(raw) ? raw.at(-1) : raw);
    if (spec.type === 'string') {
      if (spec.choices && !spec.choices.includes(text))
        throw problem(`invalid choice "${text}" (choose from ${spec.choices.join(', ')})`);
      value = text;
    } else {
      const n = text.trim() === '' ? NaN : Number(text);
      const ok =
        Number.isFinite(n) &&
        (spec.type !== 'int' || Number.isInteger(n)) &&
        (spec.min === undefined || n >= spec.min) &&
        (spec.max === undefined || n <= spec.max);
      if (!ok) throw problem(`must be ${describeRange(spec)}, got "${text}"`);
      value = n;
    }
  }
  const check = spec.check as ((v: unknown) => string | undefined) | undefined;
  const issue = check?.(value);
  if (issue) throw problem(issue);
  return value;
}

/** Parses `argv` against a command's declaration; throws UsageError for anything wrong. */
export function parseCommandLine<O extends OptionSpecs, P extends readonly PositionalSpec[]>(
  spec: CommandSpec<O, P>,
  argv: readonly string[],
): Parsed<O, P> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  const byFlag = new Map<string, string>();
  for (const [key, o] of Object.entries(spec.options)) {
    const flag = flagName(key);
    byFlag.set(flag, key);
    options[flag] = {
      type: o.type === 'boolean' ? 'boolean' : 'string',
      multiple: true,
      ...(o.short ? { short: o.short } : {}),
    };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true }));
  } catch (err) {
    const msg = errorMessage(err);
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg)?.[1];
    if (unknown) {
      const near = closest(unknown.replace(/^-+/, ''), byFlag.keys());
      throw new UsageError(`unknown option ${unknown}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    const missing = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(msg)?.[1];
    if (missing) throw new UsageError(`${missing} needs a value`);
    const ambiguous = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument is ambiguous/.exec(msg)?.[1];
    if (ambiguous)
      throw new UsageError(`${ambiguous} needs a value (to pass one starting with "-", write ${ambiguous}=VALUE)`);
    throw new UsageError(msg.split('\n')[0] ?? msg);
  }
  const opts: Record<string, unknown> = {};
  for (const [key, o] of Object.entries(spec.options)) {
    const raw = values[flagName(key)];
    if (raw !== undefined) opts[key] = convert(`--${flagName(key)}`, o, raw);
    else if (o.type === 'boolean') opts[key] = false;
    else if (o.type === 'list') opts[key] = [...(o.default ?? [])];
    else if (o.default !== undefined) opts[key] = o.default;
  }
  const args: Record<string, unknown> = {};
  const declared = spec.positionals ?? [];
  let i = 0;
  for (const p of declared) {
    if (p.variadic) {
      args[p.name] = positionals.slice(i);
      if (p.required && i >= positionals.length) throw new UsageError(`missing <${p.name}>`);
      i = positionals.length;
    } else {
      if (p.required && i >= positionals.length) throw new UsageError(`missing <${p.name}>`);
      args[p.name] = positionals[i++];
    }
  }
  if (positionals.length > i) throw new UsageError(`unexpected argument "${positionals[i]}"`);
  return { opts: opts as OptionValues<O>, args: args as PositionalValues<P> };
}

/** The --help text of a command, generated from its declaration (`program`: what is typed before its name). */
export function usageText(spec: CommandSpec<OptionSpecs, readonly PositionalSpec[]>, program = 'parley'): string {
  const pos = (spec.positionals ?? []).map((p) => {
    const name = `<${p.name}>${p.variadic ? ' ...' : ''}`;
    return p.required ? name : `[${name}]`;
  });
  const lines = [`usage: ${program} ${[spec.name, ...pos].join(' ')} [options]`, '', spec.summary];
  if (spec.description) lines.push('', spec.description.trimEnd());
  const rows: [string, string][] = (spec.positionals ?? []).map((p) => [`<${p.name}>`, p.help]);
  for (const [key, o] of Object.entries(spec.options)) {
    const arg = o.type === 'boolean' ? '' : ` ${o.arg ?? (o.type === 'string' || o.type === 'list' ? 'TEXT' : 'N')}`;
    const notes: string[] = [];
    if (o.type === 'int' || o.type === 'number') {
      if (o.min !== undefined || o.max !== undefined || o.type === 'int') notes.push(describeRange(o));
      if (o.default !== undefined && o.defaultText === undefined) notes.push(`default ${o.default}`);
    } else if (o.type === 'string' || o.type === 'list') {
      if (o.choices) notes.push(`one of ${o.choices.join(', ')}`);
      const d = o.default;
      if (d !== undefined && o.defaultText === undefined && (typeof d === 'string' || d.length)) {
        notes.push(`default ${typeof d === 'string' ? d : d.join(',')}`);
      }
    }
    if (o.defaultText !== undefined) notes.push(`default ${o.defaultText}`);
    rows.push([
      `${o.short ? `-${o.short}, ` : '    '}--${flagName(key)}${arg}`,
      notes.length ? `${o.help} (${notes.join('; ')})` : o.help,
    ]);
  }
  rows.push(['-h, --help', 'show this help']);
  const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2);
  lines.push('');
  for (const [left, right] of rows) {
    lines.push(
      left.length + 2 > width ? `  ${left}\n  ${' '.repeat(width)}${right}` : `  ${left.padEnd(width)}${right}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Declares a command. `run` gets the parsed, typed options and positionals and returns the exit code; it may
 * throw a UsageError (exit 2) or any other error (exit 1), printed by reportError.
 */
export function defineCommand<const O extends OptionSpecs, const P extends readonly PositionalSpec[] = []>(
  spec: CommandSpec<O, P>,
  run: (parsed: Parsed<O, P>) => Promise<number>,
): Command & { spec: CommandSpec<O, P>; usage(): string } {
  const usage = () => usageText(spec as CommandSpec<OptionSpecs, readonly PositionalSpec[]>);
  return {
    summary: spec.summary,
    spec,
    usage,
    async run(argv) {
      if (argv.includes('--help') || argv.includes('-h')) {
        process.stdout.write(usage());
        return 0;
      }
      try {
        return await run(parseCommandLine(spec, argv));
      } catch (err) {
        return reportError(spec.name, err);
      }
    },
  };
}

/**
 * A command with subcommands (`parley tokenizer train|encode|decode`): each subcommand is a defineCommand whose
 * name is `<group> <sub>`; the first argument picks it, and `parley <group> --help` lists them.
 */
export function defineCommandGroup(group: {
  name: string;
  summary: string;
  subcommands: Record<string, Command>;
}): Command & {
  usage(): string;
  subcommands: Record<string, Command>;
} {
  const usage = () =>
    [
      `usage: parley ${group.name} <${Object.keys(group.subcommands).join('|')}> [options]`,
      '',
      group.summary,
      '',
      ...Object.entries(group.subcommands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`),
      '',
      `Run 'parley ${group.name} <subcommand> --help' for its options.`,
    ].join('\n') + '\n';
  return {
    summary: group.summary,
    usage,
    subcommands: group.subcommands,
    async run(argv) {
      const [sub, ...rest] = argv;
      if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
        (sub === undefined ? process.stderr : process.stdout).write(usage());
        return sub === undefined ? 2 : 0;
      }
      const command = group.subcommands[sub];
      if (!command) {
        const near = closest(sub, Object.keys(group.subcommands));
        return reportError(
          group.name,
          new UsageError(`unknown subcommand '${sub}'${near ? ` (did you mean '${near}'?)` : ''}`),
        );
      }
      return command.run(rest);
    },
  };
}
