import { ImpalaApiError, type ImpalaClient } from '../client';
import { SliceClock } from '../eventLoop';
import { LIMITS, type Batch } from '../schemas';
import { FETCH_BUDGET, planCatchUp } from './plan';
import { matchesScope, ScopeInputError, type BatchScope } from './scope';
import type { BatchTracker } from './tracker';

/** How far back the first poll looks (a one-time cost of this many / 100 calls); older batches count as history. */
export const FIRST_POLL_MAX_BATCHES = 10_000;
/** How far back a test event looks. */
const TEST_EVENT_MAX_BATCHES = 1000;

/** Where batches come from: the API (`clientSource`), or an in-memory list in unit tests. */
export interface BatchSource {
	/** Batches per list page: `list()` makes one call per this many batches read. */
	readonly pageSize: number;
	/** Every batch, newest first, page after page; the caller stops early. */
	list(): AsyncIterable<Batch>;
	/** One batch, or undefined when the API does not know it (404). */
	get(id: string): Promise<Batch | undefined>;
}

export function clientSource(client: ImpalaClient): BatchSource {
	const pageSize = LIMITS.batchListLimit.max;
	return {
		pageSize,
		list: () => client.batches.list({ limit: pageSize }),
		get: async (id) => {
			try {
				return await client.batches.get(id);
			} catch (error) {
				if (error instanceof ImpalaApiError && error.status === 404) return undefined;
				throw error;
			}
		},
	};
}

export interface CollectOptions {
	/** Direct fetches of watched batches per poll at most (default FETCH_BUDGET). */
	fetchBudget?: number;
	/** How far back the first poll lists (default FIRST_POLL_MAX_BATCHES). */
	firstPollMaxBatches?: number;
}

export interface CollectReport {
	/** The first poll stopped at its look-back: older batches count as history and are not watched. */
	lookBackReached: boolean;
}

/**
 * Feeds one poll's batches to the tracker: lists the new batches (down to the floor), then checks the
 * watched batches not seen yet the cheaper way (see plan.ts). Every call it makes is needed.
 */
export async function collectBatches(
	source: BatchSource,
	scope: BatchScope,
	tracker: BatchTracker<Batch>,
	options: CollectOptions = {},
): Promise<CollectReport> {
	const budget = options.fetchBudget ?? FETCH_BUDGET;
	if (scope.kind === 'batchIds') {
		const ids = tracker.isBaseline ? scope.ids : tracker.unseenWatched();
		for (const id of ids) tracker.observe(await getScopedBatch(source, id));
		return { lookBackReached: false };
	}

	const clock = new SliceClock();
	const iterator = source.list()[Symbol.asyncIterator]();
	let listed = 0;
	let listEnded = false;
	let lookBackReached = false;
	const next = async (): Promise<Batch | undefined> => {
		if (clock.due()) await clock.yield();
		const step = await iterator.next();
		if (step.done) listEnded = true;
		return step.done ? undefined : step.value;
	};
	const observeNext = async (): Promise<Batch | undefined> => {
		const batch = await next();
		if (batch) tracker.observe(batch, matchesScope(batch, scope), listed++);
		return batch;
	};

	try {
		// The new batches, from the top of the list down to the floor.
		const firstPollMax = options.firstPollMaxBatches ?? FIRST_POLL_MAX_BATCHES;
		for (let batch = await observeNext(); batch; batch = await observeNext()) {
			if (tracker.isBaseline && listed >= firstPollMax) {
				tracker.raiseFloor(batch.created_at + 1);
				lookBackReached = true;
				break;
			}
			if (tracker.isPastNew(batch)) break;
		}

		// The watched batches not seen yet: list further down, or fetch them directly.
		const unseen = tracker.unseenWatched().map((id) => ({ id, depth: tracker.expectedDepth(id) }));
		const plan = planCatchUp({ unseen, listed, listEnded, pageSize: source.pageSize, fetchBudget: budget });
		let toFetch: string[] = plan.kind === 'fetch' ? plan.ids : [];
		if (plan.kind === 'list') {
			const waiting = new Set(unseen.map((u) => u.id));
			while (waiting.size > 0 && listed <= plan.through) {
				const batch = await observeNext();
				if (!batch) break;
				waiting.delete(batch.id);
			}
			// Still missing (deleted, or deeper than expected): ask for each, in turn.
			toFetch = tracker.unseenWatched().slice(0, budget);
		}
		for (const id of toFetch) {
			const batch = await source.get(id);
			if (batch) tracker.observe(batch, matchesScope(batch, scope));
			else tracker.forget(id);
		}
	} finally {
		await iterator.return?.();
	}
	return { lookBackReached };
}

/** The newest batch in scope whose status is one of `statuses` (the manual "Fetch Test Event"). */
export async function findLatestMatch(
	source: BatchSource,
	scope: BatchScope,
	statuses: readonly string[],
): Promise<Batch | undefined> {
	const wanted = new Set(statuses);
	if (scope.kind === 'batchIds') {
		const batches: Batch[] = [];
		for (const id of scope.ids) batches.push(await getScopedBatch(source, id));
		return batches.filter((b) => wanted.has(b.status)).sort((a, b) => b.created_at - a.created_at)[0];
	}
	let listed = 0;
	for await (const batch of source.list()) {
		if (matchesScope(batch, scope) && wanted.has(batch.status)) return batch;
		if (++listed >= TEST_EVENT_MAX_BATCHES) break;
	}
	return undefined;
}

async function getScopedBatch(source: BatchSource, id: string): Promise<Batch> {
	const batch = await source.get(id);
	if (!batch) {
		throw new ScopeInputError(`Batch "${id}" in "Batch IDs" was not found: check the ID, or remove it from the list`);
	}
	return batch;
}
