import type { ImpalaClient } from '../client';
import type { Batch } from '../schemas';
import { listBatchesSince } from './findRetries';
import { retryLinks } from './metadata';

/** One batch of a chain of retries: round 0 is the original. */
export interface ChainRound {
	batch: Batch;
	round: number;
}

/**
 * The chain of `batch`: its root (the batch itself, or the batch its `retry_root` names) and every retry
 * linked to it by metadata (`retry_root` = the root, or `retry_of` = a batch of the chain), in round order.
 * A batch retried more than once (a create delivered twice) counts its oldest retry only, as
 * `retryFailedRequests` does; the others are named in `ignored`.
 */
export async function findChain(client: ImpalaClient, batch: Batch, signal?: AbortSignal): Promise<{ rounds: ChainRound[]; ignored: Batch[] }> {
	const { root: rootId } = retryLinks(batch);
	const root = rootId === batch.id ? batch : await client.batches.get(rootId, { signal });
	const linked = await listBatchesSince(client, root.created_at, (candidate) => retryLinks(candidate).retryOf !== undefined, signal);
	const members = new Set([root.id]);
	const retryOfParent = new Map<string, Batch>();
	const ignored: Batch[] = [];
	// Oldest first: a batch's parent is always older than the batch.
	for (const candidate of linked.reverse()) {
		const links = retryLinks(candidate);
		if (links.root !== root.id && !members.has(links.retryOf!)) continue;
		if (retryOfParent.has(links.retryOf!)) {
			ignored.push(candidate);
			continue;
		}
		retryOfParent.set(links.retryOf!, candidate);
		members.add(candidate.id);
	}
	// Follow the links from the root: each batch's retry is the next round.
	const rounds: ChainRound[] = [{ batch: root, round: 0 }];
	for (let next = retryOfParent.get(root.id); next; next = retryOfParent.get(next.id)) {
		rounds.push({ batch: next, round: rounds.length });
	}
	return { rounds, ignored };
}
