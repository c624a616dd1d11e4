// Sampling: logits processors, seeded random numbers (createRng, from @parley/engine's random.ts), streaming generation.
export { createRng, randomSeed, type Rng } from '@parley/engine';
export * from './processors';
export * from './generate';
