// The architecture of an attention encoder-decoder (Joey NMT's recurrent model): every option with its default.

export type RnnType = 'lstm' | 'gru';
/** Attention scoring: Bahdanau (additive MLP), Luong dot, Luong general (bilinear). */
export type AttentionType = 'bahdanau' | 'dot' | 'general';
/** Decoder initial state: a linear+tanh bridge from the encoder's final state, that state itself, or zeros. */
export type InitType = 'bridge' | 'last' | 'zero';

export interface EncoderConfig {
  /** Recurrent cell. Default 'lstm'. */
  rnn: RnnType;
  /** Source embedding size. Default 256. */
  embeddingDim: number;
  /** Units per direction of each recurrent layer. Default 256. */
  hiddenSize: number;
  /** Number of stacked recurrent layers. Default 1. */
  layers: number;
  /** Run a backward layer too and concatenate (outputs are 2 × hiddenSize wide). Default true. */
  bidirectional: boolean;
  /** Dropout on the embeddings and between layers (training only). Default 0.3. */
  dropout: number;
}

export interface DecoderConfig {
  /** Recurrent cell. Default 'lstm'. */
  rnn: RnnType;
  /** Target embedding size. Default 256. */
  embeddingDim: number;
  /** Units of each recurrent layer, and the size of the attentional vector. Default 256. */
  hiddenSize: number;
  /** Number of stacked recurrent layers. Default 1. */
  layers: number;
  /** Attention scoring. 'dot' needs encoder output size (hiddenSize × directions) = decoder hiddenSize. Default 'bahdanau'. */
  attention: AttentionType;
  /** Feed the previous attentional vector into the next step's input (Luong et al. 2015). Default true. */
  inputFeeding: boolean;
  /** Initial decoder state. 'last' needs encoder output size = decoder hiddenSize. Default 'bridge'. */
  init: InitType;
  /** Dropout on the embeddings, between layers and on the attentional vector (training only). Default 0.3. */
  dropout: number;
}

export interface ModelConfig {
  encoder: EncoderConfig;
  decoder: DecoderConfig;
  /** Use the target embedding matrix as the output layer (needs decoder embeddingDim = hiddenSize). Default true. */
  tieEmbeddings: boolean;
  /** One embedding matrix for source and target (they share one vocabulary in Parley). Default false. */
  shareEmbeddings: boolean;
  /** Size of the (joint) vocabulary; set from the tokenizer, not from the config file. */
  vocabSize: number;
}

export const DEFAULT_ENCODER: EncoderConfig = {
  rnn: 'lstm',
  embeddingDim: 256,
  hiddenSize: 256,
  layers: 1,
  bidirectional: true,
  dropout: 0.3,
};
export const DEFAULT_DECODER: DecoderConfig = {
  rnn: 'lstm',
  embeddingDim: 256,
  hiddenSize: 256,
  layers: 1,
  attention: 'bahdanau',
  inputFeeding: true,
  init: 'bridge',
  dropout: 0.3,
};

/** Fills defaults and checks that the sizes fit together; errors name the offending option. */
export function resolveModelConfig(partial: {
  encoder?: Partial<EncoderConfig>;
  decoder?: Partial<DecoderConfig>;
  tieEmbeddings?: boolean;
  shareEmbeddings?: boolean;
  vocabSize: number;
}): ModelConfig {
  const encoder = { ...DEFAULT_ENCODER, ...partial.encoder };
  const decoder = { ...DEFAULT_DECODER, ...partial.decoder };
  const cfg: ModelConfig = {
    encoder,
    decoder,
    tieEmbeddings: partial.tieEmbeddings ?? true,
    shareEmbeddings: partial.shareEmbeddings ?? false,
    vocabSize: partial.vocabSize,
  };
  for (const [name, rnn] of [
    ['encoder.rnn', encoder.rnn],
    ['decoder.rnn', decoder.rnn],
  ] as const) {
    if (rnn !== 'lstm' && rnn !== 'gru')
      throw new Error(`model.${name}: expected lstm or gru, got ${JSON.stringify(rnn)}`);
  }
  if (!['bahdanau', 'dot', 'general'].includes(decoder.attention))
    throw new Error(
      `model.decoder.attention: expected bahdanau, dot or general, got ${JSON.stringify(decoder.attention)}`,
    );
  if (!['bridge', 'last', 'zero'].includes(decoder.init))
    throw new Error(`model.decoder.init: expected bridge, last or zero, got ${JSON.stringify(decoder.init)}`);
  const encOut = encoderOutputSize(cfg);
  if (decoder.attention === 'dot' && encOut !== decoder.hiddenSize)
    throw new Error(
      `model.decoder.attention: dot needs encoder output size (${encOut}) = decoder.hiddenSize (${decoder.hiddenSize}); use general or bahdanau`,
    );
  if (decoder.init === 'last' && encOut !== decoder.hiddenSize)
    throw new Error(
      `model.decoder.init: last needs encoder output size (${encOut}) = decoder.hiddenSize (${decoder.hiddenSize}); use bridge`,
    );
  if (cfg.tieEmbeddings && decoder.embeddingDim !== decoder.hiddenSize)
    throw new Error(
      `model.tieEmbeddings: needs decoder.embeddingDim (${decoder.embeddingDim}) = decoder.hiddenSize (${decoder.hiddenSize})`,
    );
  if (cfg.shareEmbeddings && encoder.embeddingDim !== decoder.embeddingDim)
    throw new Error(`model.shareEmbeddings: needs encoder.embeddingDim = decoder.embeddingDim`);
  for (const [k, v] of Object.entries({ ...encoder, ...decoder })) {
    if (typeof v === 'number' && !(v >= 0)) throw new Error(`model: ${k} must be ≥ 0, got ${v}`);
  }
  return cfg;
}

/** Width of the encoder's outputs (and of its final state). */
export function encoderOutputSize(cfg: ModelConfig): number {
  return cfg.encoder.hiddenSize * (cfg.encoder.bidirectional ? 2 : 1);
}
