// Sampling: logits processors, seeded random numbers, streaming generation.
export {};
