export { waitForBatch, type WaitForBatchOptions, type WaitForBatchResult } from './waitForBatch';
export { submitBatch, type SubmitBatchParams, type SubmitBatchResult } from './submitBatch';
export { BatchExistsError, SubmitBatchError } from './errors';
