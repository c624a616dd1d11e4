// @parley/decode public API: sampling (logits processors, seeded RNG, streaming) and search (greedy, beam).
export * from './sampling/index';
export * from './search/index';
