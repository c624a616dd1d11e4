// Attention encoder-decoders.
export {};
