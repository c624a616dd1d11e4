// Search: greedy and beam search for encoder-decoders.
export {};
