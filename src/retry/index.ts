export { RetryError } from './errors';
export { RETRY_OF, RETRY_ROOT, RETRY_ROUND, retryLinks, retryMetadata, isRetryOf, type RetryLinks } from './metadata';
export { retryRefusal } from './eligibility';
export { findRetriesOf, listBatchesSince } from './findRetries';
export { selectRequestsToRetry, type RetrySelection, type SelectOptions } from './selectFailed';
export { collectRetryLines, type RetryLines } from './retryLines';
export { retryFailedRequests, type RetryOptions, type RetryResult } from './retryFailed';
export { findChain, type ChainRound } from './chain';
export { fetchMergedResults, type MergedResultsOptions, type MergedRow } from './mergedResults';
