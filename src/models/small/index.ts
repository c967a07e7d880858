export { mlpClassifier, smallCnnClassifier, type MlpOptions, type SmallCnnOptions } from './classifiers';
