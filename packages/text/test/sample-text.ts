// A few lines of mixed English and Portuguese for the SentencePiece trainer tests: shared suffixes for merges,
// names, accented words, and (last line) numbers and punctuation.
export const SAMPLE_TEXT: readonly string[] = [
  'the lowest lower low newest widest',
  'the newer wider lower tower',
  'Sheldon says bazinga to Leonard and Penny.',
  'O rato roeu a roupa do rei de Roma.',
  'Ação, coração e informação são palavras portuguesas.',
  'Numbers like 2020 and 3.14 stay with punctuation: 50% off!',
];
