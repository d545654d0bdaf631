export * from './limits';
export * from './common';
export * from './batch';
export * from './file';
export * from './list';
export * from './errors';
export * from './requestLine';
export * from './outputLine';
