// The command-line framework: what a user sees for good and bad command lines, from one declaration.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { closest, defineCommand, parseCommandLine, UsageError } from './command';

const spec = {
  name: 'demo',
  summary: 'a demo command',
  positionals: [{ name: 'config', help: 'the config file', required: true }],
  options: {
    beam: { type: 'int', min: 1, max: 64, default: 5, help: 'beam width' },
    alpha: { type: 'number', min: 0, help: 'length penalty' },
    format: { type: 'string', choices: ['text', 'json'], default: 'text', help: 'output format' },
    sets: { type: 'list', choices: ['dev', 'test'], default: ['dev', 'test'], help: 'which sets' },
    withScore: { type: 'boolean', help: 'print scores' },
    input: {
      type: 'string',
      short: 'i',
      arg: 'FILE',
      help: 'input file',
      check: (v: string) => (v.endsWith('.txt') ? undefined : 'must be a .txt file'),
    },
  },
} as const;

/** Runs a command, capturing what it prints. */
async function run(argv: string[], body: () => Promise<number> = async () => 0) {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
  const cmd = defineCommand(spec, body);
  const code = await cmd.run(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.PARLEY_DEBUG;
});

describe('parseCommandLine', () => {
  it('gives typed values, defaults, kebab-case flags, short aliases, lists and positionals', () => {
    const p = parseCommandLine(spec, [
      'c.yaml',
      '--beam',
      '3',
      '--with-score',
      '-i',
      'a.txt',
      '--sets',
      'dev',
      '--alpha=0.6',
    ]);
    expect(p.args.config).toBe('c.yaml');
    expect(p.opts).toEqual({ beam: 3, alpha: 0.6, format: 'text', sets: ['dev'], withScore: true, input: 'a.txt' });
    expect(parseCommandLine(spec, ['c.yaml', '--sets', 'dev', '--sets', 'test']).opts.sets).toEqual(['dev', 'test']);
    expect(parseCommandLine(spec, ['c.yaml']).opts).toEqual({
      beam: 5,
      format: 'text',
      sets: ['dev', 'test'],
      withScore: false,
    });
  });

  it('checks ranges, integers, choices and custom checks where they are declared', () => {
    const bad = (argv: string[]) => {
      try {
        parseCommandLine(spec, ['c.yaml', ...argv]);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(bad(['--beam', '0'])).toBe('--beam: must be an integer in [1, 64], got "0"');
    expect(bad(['--beam', '2.5'])).toBe('--beam: must be an integer in [1, 64], got "2.5"');
    expect(bad(['--alpha', 'fast'])).toBe('--alpha: must be a number ≥ 0, got "fast"');
    expect(bad(['--alpha=-1'])).toBe('--alpha: must be a number ≥ 0, got "-1"');
    expect(bad(['--format', 'xml'])).toBe('--format: invalid choice "xml" (choose from text, json)');
    expect(bad(['--sets', 'dev,train'])).toBe('--sets: invalid choice "train" (choose from dev, test)');
    expect(bad(['-i', 'a.csv'])).toBe('--input: must be a .txt file');
    expect(bad(['--beam'])).toBe('--beam needs a value');
    expect(bad(['--bem', '3'])).toBe('unknown option --bem (did you mean --beam?)');
    expect(bad(['extra'])).toBe('unexpected argument "extra"');
    expect(() => parseCommandLine(spec, [])).toThrow('missing <config>');
  });

  it('suggests only close names', () => {
    expect(closest('temprature', ['temperature', 'top-p'])).toBe('temperature');
    expect(closest('zzz', ['temperature', 'top-p'])).toBeUndefined();
  });
});

describe('defineCommand', () => {
  it('generates --help from the declaration', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: parley demo <config> [options]');
    expect(r.out).toMatch(/--beam N +beam width \(an integer in \[1, 64\]; default 5\)/);
    expect(r.out).toMatch(/-i, --input FILE +input file/);
    expect(r.out).toMatch(/--format TEXT +output format \(one of text, json; default text\)/);
  });

  it('usage errors exit 2 with one line and a pointer to --help; other errors exit 1; no stack trace', async () => {
    const u = await run(['c.yaml', '--beam', 'x']);
    expect(u.code).toBe(2);
    expect(u.err).toBe(
      'parley demo: --beam: must be an integer in [1, 64], got "x"\nRun \'parley demo --help\' for usage.\n',
    );
    const e = await run(['c.yaml'], async () => {
      throw new Error('c.yaml:3: model.hidden: must be a positive integer');
    });
    expect(e.code).toBe(1);
    expect(e.err).toBe('parley demo: c.yaml:3: model.hidden: must be a positive integer\n');
  });

  it('PARLEY_DEBUG=1 adds the stack trace', async () => {
    process.env.PARLEY_DEBUG = '1';
    const e = await run(['c.yaml'], async () => {
      throw new Error('boom');
    });
    expect(e.code).toBe(1);
    expect(e.err).toMatch(/^parley demo: boom\nError: boom\n\s+at /);
  });
});
