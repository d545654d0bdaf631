import type { Batch } from '../schemas';

/*
 * Which statuses a batch reached between two looks at it, from its timestamps.
 *
 * Statuses only move forward (STATUS_RANK), and a batch can pass several between two polls
 * (validating → in_progress → completed while the trigger was not looking). So the events of a batch are
 * every status it reached after the last status seen (all of them for a new batch): the status it has
 * now, plus each earlier status whose timestamp is set (`in_progress_at`, `finalizing_at`,
 * `cancelling_at`; `validating` = `created_at`), oldest first by timestamp (then lifecycle order).
 */

/** The fields of a batch the trigger reads. */
export type ObservedBatch = Pick<Batch, 'id' | 'status' | 'created_at'> & Partial<Batch>;

/** One batch reaching one status. `batch` is the batch as seen in this poll (it may have moved on since). */
export interface BatchEvent<B extends ObservedBatch = ObservedBatch> {
	batch: B;
	status: string;
	/** When the status was reached (Unix seconds). */
	at: number;
}

const STATUS_TIME_FIELD: Record<string, keyof Batch> = {
	validating: 'created_at',
	in_progress: 'in_progress_at',
	finalizing: 'finalizing_at',
	completed: 'completed_at',
	failed: 'failed_at',
	expired: 'expired_at',
	cancelling: 'cancelling_at',
	cancelled: 'cancelled_at',
};

/**
 * Lifecycle order: every path (validating → in_progress → finalizing → completed, → failed, → expired,
 * → cancelling → cancelled) goes up in rank. A status Impala adds later ranks after the known ones.
 */
const STATUS_RANK: Record<string, number> = {
	validating: 0,
	in_progress: 1,
	finalizing: 2,
	cancelling: 3,
	completed: 4,
	failed: 4,
	expired: 4,
	cancelled: 4,
};
const UNKNOWN_RANK = 5;
/** The statuses a batch can pass through on its way to where it is now, in lifecycle order. */
const PASSING_STATUSES = ['validating', 'in_progress', 'finalizing', 'cancelling'];

function rankOf(status: string): number {
	return STATUS_RANK[status] ?? UNKNOWN_RANK;
}

/** When the batch reached `status`, or undefined when that timestamp is not set. */
function timeOf(batch: ObservedBatch, status: string): number | undefined {
	const field = STATUS_TIME_FIELD[status];
	const value = field ? batch[field] : undefined;
	return typeof value === 'number' ? value : undefined;
}

/** When the batch reached its current status (falls back to its creation time). */
export function statusTime(batch: ObservedBatch): number {
	return timeOf(batch, batch.status) ?? batch.created_at;
}

/**
 * The statuses `batch` reached after `previous` (every one, for a batch seen for the first time), oldest
 * first: the earlier ones its timestamps show, then the status it has now.
 */
export function statusesReached<B extends ObservedBatch>(batch: B, previous?: string): Array<BatchEvent<B>> {
	if (previous === batch.status) return [];
	const after = previous === undefined ? -1 : rankOf(previous);
	const now = rankOf(batch.status);
	const events: Array<BatchEvent<B>> = [];
	for (const status of PASSING_STATUSES) {
		const at = timeOf(batch, status);
		if (at !== undefined && rankOf(status) > after && rankOf(status) < now) events.push({ batch, status, at });
	}
	events.push({ batch, status: batch.status, at: statusTime(batch) });
	return events;
}

/** Events in the order they happened: by the time the status was reached, lifecycle order, creation time, id. */
export function compareEvents(a: BatchEvent, b: BatchEvent): number {
	return (
		a.at - b.at ||
		rankOf(a.status) - rankOf(b.status) ||
		a.batch.created_at - b.batch.created_at ||
		(a.batch.id < b.batch.id ? -1 : a.batch.id > b.batch.id ? 1 : 0)
	);
}
