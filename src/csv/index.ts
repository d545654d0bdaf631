export * from './decodeText';
export * from './parseTable';
export * from './template';
