// Pieces shared by the char-LM and seq2seq models (model directories, checkpoints, optimizers).
export {};
