import { describe, expect, it } from 'vitest';
import { exactMean, numpyMean } from './stats';
import { pyFixed, pyRepr, pySplit } from './python';
import { exp, fma, fmaExact, log } from './libm';

describe('Python float formatting', () => {
  it('rounds f"{x:.Nf}" half to even on the exact binary value', () => {
    expect(pyFixed(0.125, 2)).toBe('0.12'); // JS toFixed gives 0.13
    expect(pyFixed(2.675, 2)).toBe('2.67');
    expect(pyFixed(0.5, 0)).toBe('0');
    expect(pyFixed(1.5, 0)).toBe('2');
    expect(pyFixed(2.5, 0)).toBe('2');
    expect(pyFixed(-0, 1)).toBe('-0.0');
    expect(pyFixed(1e22, 1)).toBe('10000000000000000000000.0');
    expect(pyFixed(123.456, 3)).toBe('123.456');
  });

  it('prints repr like Python', () => {
    const cases: Array<[number, string]> = [
      [1e16, '1e+16'],
      [1e-5, '1e-05'],
      [1e-4, '0.0001'],
      [123456789012345678, '1.2345678901234568e+17'],
      [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '5e-324'],
      [1.5e300, '1.5e+300'],
      [100, '100.0'],
      [-2.5, '-2.5'],
    ];
    for (const [x, s] of cases) expect(pyRepr(x)).toBe(s);
  });

  it('splits on Python whitespace only', () => {
    expect(pySplit('  a\tb\u00a0c\u3000d  ')).toEqual(['a', 'b', 'c', 'd']);
    expect(pySplit('a\ufeffb')).toEqual(['a\ufeffb']); // BOM is not whitespace in Python
    expect(pySplit('a\x1cb')).toEqual(['a', 'b']); // but the file separator is
    expect(pySplit('')).toEqual([]);
  });
});

describe('numerics as Python computes them', () => {
  it('exp and log equal glibc (Python) to the last bit', () => {
    expect([0.1, 1, -3.7, 4.2].map(exp)).toEqual([
      1.1051709180756477, 2.718281828459045, 0.024723526470339388, 66.68633104092515,
    ]);
    expect([0.3, 7, 99.5, 1.01].map(log)).toEqual([
      -1.2039728043259361, 1.9459101490553132, 4.600157644164547, 0.009950330853168092,
    ]);
  });

  it('emulates a fused multiply-add with a single rounding', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 16807) % 2147483647), seed / 2147483647);
    for (let i = 0; i < 3000; i++) {
      const a = (rnd() - 0.5) * 2 ** Math.floor(rnd() * 40 - 20);
      const b = (rnd() - 0.5) * 2 ** Math.floor(rnd() * 40 - 20);
      const c =
        i % 2
          ? -a * b * (1 + (rnd() - 0.5) * 2 ** -Math.floor(rnd() * 50))
          : (rnd() - 0.5) * 2 ** Math.floor(rnd() * 60 - 30);
      expect(fma(a, b, c)).toBe(fmaExact(a, b, c));
    }
    expect(fma(0.1, 10, -1)).toBe(5.551115123125783e-17); // a*b+c rounded once (the unfused result is 0)
  });

  it('statistics.mean is exact and numpy mean is pairwise', () => {
    expect(exactMean([0.1, 0.2, 0.3, 0.7, 1e-9])).toBe(0.26000000019999997);
    const xs = [0.1, 0.2, 0.3, 0.7, 1e-9, ...Array.from({ length: 300 }, (_, i) => i / 7)];
    expect(numpyMean(xs)).toBe(21.011288056209366);
  });
});
