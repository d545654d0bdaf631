export { ImpalaClient, CLIENT_DEFAULTS } from './ImpalaClient';
export { ImpalaApiError, isImpalaApiError, type ImpalaErrorKind } from './errors';
export { resolveApiUrl, apiRootFromBaseUrl } from './baseUrl';
export type { Files } from './files';
export type { Batches } from './batches';
export type * from './types';
export type { Batch, CreateBatchBody, FileDeleted, FileObject, ListEnvelope } from '../schemas';
export { redactSecret } from './redact';
export { anySignal } from './anySignal';
