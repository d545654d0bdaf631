export { waitForBatch, type WaitForBatchOptions, type WaitForBatchResult } from './waitForBatch';
