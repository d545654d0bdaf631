export * from './build';
export * from './customIds';
export * from './endpoints';
export * from './limits';
export * from './partMetadata';
export * from './problems';
export * from './requestLine';
export * from './validateLine';
