export { clientSource, collectBatches, findLatestMatch, FIRST_POLL_MAX_BATCHES, type BatchSource, type CollectOptions, type CollectReport } from './collect';
export { beginPoll, LEASE_KEY, triggerKey, type PollTicket, type StoredLease } from './overlap';
export { callBound, FETCH_BUDGET, planCatchUp, type CatchUpInput, type CatchUpPlan } from './plan';
export { matchesScope, MAX_SCOPE_BATCH_IDS, parseBatchIds, ScopeInputError, scopeFingerprint, type BatchScope } from './scope';
export {
	encodeState,
	GRACE_SECONDS,
	MAX_RECENT_TERMINAL,
	MAX_WATCHED,
	readState,
	STATE_VERSION,
	type StoredState,
	type TriggerState,
	type WatchedBatch,
} from './state';
export { compareEvents, statusesReached, statusTime, type BatchEvent, type ObservedBatch } from './statuses';
export { BatchTracker, type TrackerOptions } from './tracker';
