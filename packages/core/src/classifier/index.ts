// Text classification: `kind: classifier` configs, TF-IDF + naive Bayes and neural models, training, scoring.
export * from './config';
export * from './data';
export * from './tfidf';
export * from './naive-bayes';
export * from './linear';
export * from './neural';
export * from './model';
export * from './pretrained';
export * from './scores';
export * from './train';
export * from './numpy-split';
export * from './explain';
