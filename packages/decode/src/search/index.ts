// Search: greedy and beam search for encoder-decoders (model-agnostic, batched over sentences × beams).
export type {
  SearchState,
  StepOutput,
  StepModel,
  SearchOptions,
  SearchSettings,
  SearchInput,
  Hypothesis,
} from './types';
export { SEARCH_DEFAULTS, searchSettings } from './types';
export { greedySearch } from './greedy';
export { beamSearch } from './beam';
export { topCandidates, rowConstraint, type Candidate, type RowConstraint } from './candidates';
export { lengthPenalty, lengthBounds, bannedTokens } from './constraints';
export { selectRows, disposeState } from './state';
export { replaceUnknown } from './unk';
