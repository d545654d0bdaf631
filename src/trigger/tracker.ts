import { isTerminalStatus } from '../schemas';
import {
	GRACE_SECONDS,
	MAX_RECENT_TERMINAL,
	MAX_WATCHED,
	type TriggerState,
	type WatchedBatch,
} from './state';
import { compareEvents, statusesReached, statusTime, type BatchEvent, type ObservedBatch } from './statuses';

export interface TrackerOptions {
	/** Statuses that fire an event. */
	statuses: readonly string[];
	/** On the first poll, emit the batches that already are in a chosen status (default: record them silently). */
	includeExisting: boolean;
}

/**
 * One poll's view of the state (see state.ts): observes batches, collects the events that fire (each
 * batch-and-status pair once; see statuses.ts), and gives the next state. It never changes the state
 * it was built from, so a failed poll leaves that state as it was.
 */
export class BatchTracker<B extends ObservedBatch = ObservedBatch> {
	/** True on the first poll of a scope: what exists is recorded, and emitted only with includeExisting. */
	readonly isBaseline: boolean;

	private readonly watched: Map<string, WatchedBatch>;
	private readonly recent: Map<string, number>;
	private floor: number;
	private readonly top: number;
	private readonly n: number;
	private newest = -Infinity;
	/** Batches listed in this poll that are newer than `top`: the depth counter grows by this many. */
	private newerThanTop = 0;
	/** List position (0 = newest) of each batch listed in this poll. */
	private readonly positions = new Map<string, number>();
	/** Watched batches checked in this poll (listed or fetched). */
	private readonly checked = new Set<string>();
	private readonly events = new Map<string, BatchEvent<B>>();
	private readonly statuses: ReadonlySet<string>;

	constructor(
		previous: TriggerState | undefined,
		private readonly scope: string,
		private readonly options: TrackerOptions,
	) {
		this.isBaseline = previous === undefined;
		this.watched = new Map(previous ? [...previous.watched].map(([id, w]) => [id, { ...w }]) : []);
		this.recent = new Map(previous?.recent ?? []);
		this.floor = previous ? previous.floor : -Infinity;
		this.top = previous ? previous.top : -Infinity;
		this.n = previous ? previous.n : 0;
		this.statuses = new Set(options.statuses);
	}

	/**
	 * Call for every batch listed (with its list position) or fetched, in scope or not: every creation time
	 * moves the floor, so a batch outside the scope still marks the history as covered.
	 */
	observe(batch: B, inScope = true, position?: number): void {
		if (position !== undefined && !this.positions.has(batch.id)) {
			this.positions.set(batch.id, position);
			if (batch.created_at > this.top) this.newerThanTop++;
		}
		this.newest = Math.max(this.newest, batch.created_at);
		if (!inScope) return;
		const known = this.watched.get(batch.id);
		if (known) {
			this.checked.add(batch.id);
			this.fire(statusesReached(batch, known.status));
		} else if (this.recent.has(batch.id)) {
			return; // finished, and already handled
		} else if (this.isBaseline) {
			// "Include Batches That Already Match": the status each batch is in, not its history.
			if (this.options.includeExisting) this.fire([{ batch, status: batch.status, at: statusTime(batch) }]);
			this.checked.add(batch.id);
		} else if (batch.created_at >= this.floor) {
			this.fire(statusesReached(batch));
			this.checked.add(batch.id);
		} else {
			return; // history: handled before, or older than the first activation
		}
		if (isTerminalStatus(batch.status)) {
			this.watched.delete(batch.id);
			this.recent.set(batch.id, batch.created_at);
		} else {
			this.watched.set(batch.id, { status: batch.status, key: known?.key ?? this.depthCounter() });
		}
	}

	/** Listing from the newest: after this batch, every batch to come is older than the floor (not new). */
	isPastNew(batch: ObservedBatch): boolean {
		return !this.isBaseline && batch.created_at < this.floor;
	}

	/** The depth counter once this poll's new batches are counted (valid after the new batches were listed). */
	depthCounter(): number {
		return this.n + this.newerThanTop;
	}

	/** Watched batches not checked in this poll yet, in check order (the one checked longest ago first). */
	unseenWatched(): string[] {
		const ids: string[] = [];
		for (const id of this.watched.keys()) if (!this.checked.has(id)) ids.push(id);
		return ids;
	}

	/** About how deep a watched batch sits in the list now (0 = newest). */
	expectedDepth(id: string): number {
		const watched = this.watched.get(id);
		return watched ? Math.max(0, this.depthCounter() - watched.key) : Infinity;
	}

	/** Everything created before `createdAt` is history (a first poll that did not list all the way down). */
	raiseFloor(createdAt: number): void {
		this.floor = Math.max(this.floor, createdAt);
	}

	/** A watched batch the API no longer knows: stop watching it. */
	forget(id: string): void {
		this.watched.delete(id);
	}

	/** The events of this poll that are among the chosen statuses, oldest first. */
	firedEvents(): Array<BatchEvent<B>> {
		return [...this.events.values()].sort(compareEvents);
	}

	/**
	 * The state to store after a successful poll, pruned and bounded; `dropped` lists the watched batches
	 * given up because the watch list is full (the oldest), which the caller must report.
	 */
	nextState(): { state: TriggerState; dropped: string[] } {
		const n = this.depthCounter();
		const top = Math.max(this.top, this.newest);
		let floor = this.floor;
		if (top > -Infinity) floor = Math.max(floor, top - GRACE_SECONDS);
		if (floor === -Infinity) floor = 0;

		let recent = [...this.recent].filter(([, createdAt]) => createdAt >= floor);
		if (recent.length > MAX_RECENT_TERMINAL) {
			// Raise the floor past the oldest finished entries; keep whole seconds so no kept batch sits below it.
			recent.sort(([, a], [, b]) => b - a);
			floor = recent[MAX_RECENT_TERMINAL - 1][1];
			recent = recent.filter(([, createdAt]) => createdAt >= floor);
		}

		// Check order: those not checked in this poll keep their turn; those checked go last, oldest first.
		const waiting: Array<[string, WatchedBatch]> = [];
		const checked: Array<[string, WatchedBatch]> = [];
		for (const [id, watched] of this.watched) {
			const position = this.positions.get(id);
			const entry: WatchedBatch = { status: watched.status, key: position === undefined ? watched.key : n - position };
			(this.checked.has(id) ? checked : waiting).push([id, entry]);
		}
		checked.sort(([, a], [, b]) => a.key - b.key);
		let queue = [...waiting, ...checked];
		let dropped: string[] = [];
		if (queue.length > MAX_WATCHED) {
			const oldest = new Set([...queue].sort(([, a], [, b]) => a.key - b.key).slice(0, queue.length - MAX_WATCHED).map(([id]) => id));
			dropped = queue.filter(([id]) => oldest.has(id)).map(([id]) => id);
			queue = queue.filter(([id]) => !oldest.has(id));
		}
		return {
			state: { scope: this.scope, floor, top: top === -Infinity ? 0 : top, n, watched: new Map(queue), recent: new Map(recent) },
			dropped,
		};
	}

	private fire(events: Array<BatchEvent<B>>): void {
		for (const event of events) {
			if (this.statuses.has(event.status)) this.events.set(`${event.batch.id}:${event.status}`, event);
		}
	}
}
