import { isTerminalStatus, type Batch } from '../../src/schemas';

/*
 * What the trigger remembers between polls, and how one poll decides what fired.
 *
 * The list endpoint returns batches newest first by creation time, but a status change can happen to a
 * batch created long ago. So the state holds two things:
 *  - `tracked`: the last status seen of every in-scope batch that can still change (non-terminal), plus the
 *    terminal batches created at or after `floor` (so a re-listed recent batch is not taken for a new one).
 *  - `floor`: a creation-time line. An untracked batch created before it is history (already handled, or
 *    older than the first activation); an untracked batch created at or after it is new.
 *    `floor` trails the newest creation time seen by GRACE_SECONDS, so a batch whose creation becomes
 *    visible in the list a little late (same second, slow write) is still taken for new.
 *
 * Stopping rule of one poll: list newest first and stop after the first batch that is older than `floor`
 * and older than every non-terminal batch not yet seen in this poll (none of those can come later in a
 * list sorted by creation time). Non-terminal batches still unseen after that (the list ended, a deleted
 * batch, a list out of order) are fetched one by one with `batches.get`.
 *
 * Each batch-and-status pair fires once. Statuses only move forward (STATUS_RANK), and a batch can pass
 * several between two polls (validating → in_progress → completed while the trigger was not looking). So
 * the events of a batch are every status it reached after the last status the state holds for it (all of
 * them for a new batch): the status it has now, plus each earlier status whose timestamp is set
 * (`in_progress_at`, `finalizing_at`, `cancelling_at`; `validating` = `created_at`). Those that are among
 * the chosen statuses fire, oldest first by timestamp (then lifecycle order). The state still holds only
 * the last status seen: everything at or below its rank has fired or was not wanted.
 * The state is bounded: terminal entries below `floor` are pruned, at most MAX_RECENT_TERMINAL terminal
 * entries are kept (the floor rises past the oldest ones), at most MAX_WATCHED non-terminal ones (the
 * oldest are dropped and reported).
 */

export const STATE_VERSION = 1;
export const GRACE_SECONDS = 300;
export const MAX_RECENT_TERMINAL = 300;
export const MAX_WATCHED = 500;

export interface TrackedBatch {
	/** Last status seen. */
	s: string;
	/** created_at (Unix seconds). */
	c: number;
}

export interface TriggerState {
	v: typeof STATE_VERSION;
	/** Fingerprint of the scope the state was built for; another scope starts over. */
	scope: string;
	floor: number;
	tracked: Record<string, TrackedBatch>;
}

/** The fields of a batch the state logic reads. */
export type ObservedBatch = Pick<Batch, 'id' | 'status' | 'created_at'> & Partial<Batch>;

export interface TrackerOptions {
	/** Statuses that fire an event. */
	statuses: readonly string[];
	/** On the first poll, emit the batches that already are in a chosen status (default: record them silently). */
	includeExisting: boolean;
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

/** One batch reaching one status. `batch` is the batch as seen in this poll (it may have moved on since). */
export interface BatchEvent<B extends ObservedBatch = ObservedBatch> {
	batch: B;
	status: string;
	/** When the status was reached (Unix seconds). */
	at: number;
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
function statusesReached<B extends ObservedBatch>(batch: B, previous?: string): BatchEvent<B>[] {
	if (previous === batch.status) return [];
	const after = previous === undefined ? -1 : rankOf(previous);
	const now = rankOf(batch.status);
	const events: BatchEvent<B>[] = [];
	for (const status of PASSING_STATUSES) {
		const at = timeOf(batch, status);
		if (at !== undefined && rankOf(status) > after && rankOf(status) < now) events.push({ batch, status, at });
	}
	events.push({ batch, status: batch.status, at: statusTime(batch) });
	return events;
}

/** Events in the order they happened: by the time the status was reached, lifecycle order, creation time, id. */
function compareEvents(a: BatchEvent, b: BatchEvent): number {
	return (
		a.at - b.at ||
		rankOf(a.status) - rankOf(b.status) ||
		a.batch.created_at - b.batch.created_at ||
		(a.batch.id < b.batch.id ? -1 : a.batch.id > b.batch.id ? 1 : 0)
	);
}

/** Reads a stored state; anything unreadable, of another version or of another scope counts as none. */
export function readState(stored: unknown, scope: string): TriggerState | undefined {
	if (!stored || typeof stored !== 'object') return undefined;
	const state = stored as Partial<TriggerState>;
	if (state.v !== STATE_VERSION || state.scope !== scope) return undefined;
	if (typeof state.floor !== 'number' || !state.tracked || typeof state.tracked !== 'object') return undefined;
	return state as TriggerState;
}

/** One poll's view of the state: observes batches, collects events, and yields the next state. */
export class BatchTracker<B extends ObservedBatch = ObservedBatch> {
	/** True on the first poll of a scope: what exists is recorded, and emitted only with includeExisting. */
	readonly isBaseline: boolean;

	private readonly tracked: Record<string, TrackedBatch>;
	private floor: number;
	private newest = -Infinity;
	private readonly seenThisPoll = new Set<string>();
	private readonly events = new Map<string, BatchEvent<B>>();
	private readonly statuses: ReadonlySet<string>;

	constructor(
		previous: TriggerState | undefined,
		private readonly scope: string,
		private readonly options: TrackerOptions,
	) {
		this.isBaseline = previous === undefined;
		this.tracked = previous ? copyTracked(previous.tracked) : {};
		this.floor = previous ? previous.floor : -Infinity;
		this.statuses = new Set(options.statuses);
	}

	/**
	 * Call for every batch listed or fetched, in scope or not: every creation time moves the floor, so a
	 * batch outside the scope still marks the history as covered.
	 */
	observe(batch: B, inScope = true): void {
		this.seenThisPoll.add(batch.id);
		this.newest = Math.max(this.newest, batch.created_at);
		if (!inScope) return;
		const known = this.tracked[batch.id];
		if (known) {
			this.fire(statusesReached(batch, known.s));
		} else if (this.isBaseline) {
			// "Include Batches That Already Match": the status each batch is in, not its history.
			if (this.options.includeExisting) this.fire([{ batch, status: batch.status, at: statusTime(batch) }]);
		} else if (batch.created_at >= this.floor) {
			this.fire(statusesReached(batch));
		} else {
			return; // history: handled before, or older than the first activation
		}
		this.tracked[batch.id] = { s: batch.status, c: batch.created_at };
	}

	/** The stopping rule (see the top of this file), checked after observing `batch`. */
	canStopAfter(batch: ObservedBatch): boolean {
		if (this.isBaseline) return false;
		if (batch.created_at >= this.floor) return false;
		return this.unseenWatched().every((id) => this.tracked[id].c > batch.created_at);
	}

	/** Non-terminal tracked batches not seen in this poll yet: fetch them directly. */
	unseenWatched(): string[] {
		return Object.keys(this.tracked).filter(
			(id) => !this.seenThisPoll.has(id) && !isTerminalStatus(this.tracked[id].s),
		);
	}

	/** Everything created before `createdAt` is history (a first poll that did not list all the way down). */
	raiseFloor(createdAt: number): void {
		this.floor = Math.max(this.floor, createdAt);
	}

	/** A tracked batch the API no longer knows: stop watching it. */
	forget(id: string): void {
		delete this.tracked[id];
	}

	/** The events of this poll that are among the chosen statuses, oldest first. */
	firedEvents(): BatchEvent<B>[] {
		return [...this.events.values()].sort(compareEvents);
	}

	/** The state to store after a successful poll, pruned and bounded; `dropped` lists watched ids given up. */
	nextState(): { state: TriggerState; dropped: string[] } {
		if (this.newest > -Infinity) this.floor = Math.max(this.floor, this.newest - GRACE_SECONDS);
		if (this.floor === -Infinity) this.floor = 0;
		const entries = Object.entries(this.tracked);
		const watched = entries.filter(([, t]) => !isTerminalStatus(t.s));
		let terminal = entries.filter(([, t]) => isTerminalStatus(t.s) && t.c >= this.floor);

		if (terminal.length > MAX_RECENT_TERMINAL) {
			// Raise the floor past the oldest terminal entries; keep whole seconds so no kept batch sits below it.
			terminal.sort(([, a], [, b]) => b.c - a.c);
			this.floor = terminal[MAX_RECENT_TERMINAL - 1][1].c;
			terminal = terminal.filter(([, t]) => t.c >= this.floor);
		}
		watched.sort(([, a], [, b]) => b.c - a.c);
		const dropped = watched.splice(MAX_WATCHED).map(([id]) => id);

		const tracked: Record<string, TrackedBatch> = {};
		for (const [id, t] of [...watched, ...terminal]) tracked[id] = t;
		return { state: { v: STATE_VERSION, scope: this.scope, floor: this.floor, tracked }, dropped };
	}

	private fire(events: BatchEvent<B>[]): void {
		for (const event of events) {
			if (this.statuses.has(event.status)) this.events.set(`${event.batch.id}:${event.status}`, event);
		}
	}
}

/** A plain copy (stored static data may be a Proxy, which structuredClone refuses); drops malformed entries. */
function copyTracked(stored: Record<string, TrackedBatch>): Record<string, TrackedBatch> {
	const copy: Record<string, TrackedBatch> = {};
	for (const [id, entry] of Object.entries(stored)) {
		if (entry && typeof entry.s === 'string' && typeof entry.c === 'number') copy[id] = { s: entry.s, c: entry.c };
	}
	return copy;
}
