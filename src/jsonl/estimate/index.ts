export * from './cost';
export { encodingForModel, loadTokenCounter, type ShippedEncoding, type TokenCounter } from './encoding';
export * from './partEstimate';
export * from './requestText';
export * from './tokenEstimator';
