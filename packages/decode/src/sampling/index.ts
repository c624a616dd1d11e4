// Sampling: logits processors, seeded random numbers, streaming generation.
export * from './rng';
export * from './processors';
export * from './generate';
