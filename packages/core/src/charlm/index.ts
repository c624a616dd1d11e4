// Character-level language models.
export {};
