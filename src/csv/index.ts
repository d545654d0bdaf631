export * from './decodeText';
export * from './delimiter';
export * from './readRows';
export * from './template';
export * from './base64';
