import { describe, expect, it } from 'vitest';
import { Generator, PCG64, seedSequenceState } from './pcg64';

// Reference values printed by numpy (np.random.default_rng / SeedSequence / PCG64).
describe('numpy default_rng reproduction', () => {
  it('seeds PCG64 through SeedSequence like numpy', () => {
    expect(seedSequenceState(12345).map(String)).toEqual([
      '13091511679009522556',
      '13538552136045918767',
      '7269824232120749972',
      '4520223790601600371',
    ]);
    const bg = new PCG64(12345);
    expect([bg.nextUint64(), bg.nextUint64(), bg.nextUint64()].map(String)).toEqual([
      '4193609425186963869',
      '5843160025838961886',
      '14708796524633321433',
    ]);
  });

  it('draws integers and choices like Generator.integers / choice', () => {
    expect(Array.from(new Generator(12345).integers(5, 10))).toEqual([3, 1, 3, 1, 1, 3, 3, 3, 4, 1]);
    const g = new Generator(2024);
    expect(Array.from(g.integers(1000, 6))).toEqual([241, 675, 92, 214, 317, 309]);
    expect(Array.from(g.integers(2 ** 31 - 1, 2))).toEqual([1951374833, 1716840368]);
  });

  it('draws booleans 32 to a word like integers(2, dtype=bool)', () => {
    expect(Array.from(new Generator(0).booleans(70)).join('')).toBe(
      '1111101001000001010000111001101111110011110101111111000011000101100001',
    );
  });
});
