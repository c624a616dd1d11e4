// Attention encoder-decoders.
