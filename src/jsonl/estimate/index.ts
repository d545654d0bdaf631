export * from './cost';
export { countablePieces, encodingForModel, loadTokenCounter, type ShippedEncoding, type TokenCounter } from './encoding';
export * from './partEstimate';
export * from './requestText';
export * from './tokenEstimator';
