import { ImpalaApiError, type ImpalaClient } from '../../src/client';
import { LIMITS, type Batch } from '../../src/schemas';
import { matchesScope, ScopeInputError, type BatchScope } from './scope';
import type { BatchTracker } from './state';

/** How far back the first poll (and a test event) looks; older batches count as history. */
const FIRST_POLL_MAX_BATCHES = 1000;

/** Where batches come from: the API (`clientSource`), or an in-memory list in unit tests. */
export interface BatchSource {
	/** Every batch, newest first; the caller stops early. */
	list(): AsyncIterable<Batch>;
	/** One batch, or undefined when the API does not know it (404). */
	get(id: string): Promise<Batch | undefined>;
}

export function clientSource(client: ImpalaClient): BatchSource {
	return {
		list: () => client.batches.list({ limit: LIMITS.batchListLimit.max }),
		// A 404 means the batch is gone; any other error goes on to the node, which maps it for n8n.
		get: (id) =>
			client.batches.get(id).catch((error: unknown) => {
				if (error instanceof ImpalaApiError && error.status === 404) return undefined;
				throw error;
			}),
	};
}

/** Feeds one poll's batches to the tracker, listing only as far as the stopping rule requires. */
export async function collectBatches(source: BatchSource, scope: BatchScope, tracker: BatchTracker<Batch>): Promise<void> {
	if (scope.kind === 'batchIds') {
		const ids = tracker.isBaseline ? scope.ids : tracker.unseenWatched();
		for (const id of ids) tracker.observe(await getScopedBatch(source, id));
		return;
	}
	let listed = 0;
	for await (const batch of source.list()) {
		tracker.observe(batch, matchesScope(batch, scope));
		listed++;
		if (tracker.isBaseline && listed >= FIRST_POLL_MAX_BATCHES) {
			tracker.raiseFloor(batch.created_at + 1);
			break;
		}
		if (tracker.canStopAfter(batch)) break;
	}
	for (const id of tracker.unseenWatched()) {
		const batch = await source.get(id);
		if (batch) tracker.observe(batch);
		else tracker.forget(id);
	}
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
		if (++listed >= FIRST_POLL_MAX_BATCHES) break;
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
