import type { ImpalaClient } from '../client';
import type { Batch } from '../schemas';
import { isRetryOf } from './metadata';

/**
 * The batches that `match`, newest first, from the list of batches (newest first) down to the first one
 * created before `floorCreatedAt`: a retry is always created after the batch it retries.
 */
export async function listBatchesSince(
	client: ImpalaClient,
	floorCreatedAt: number,
	match: (batch: Batch) => boolean,
	signal?: AbortSignal,
): Promise<Batch[]> {
	const found: Batch[] = [];
	for await (const batch of client.batches.list({ limit: 100, signal })) {
		if (batch.created_at < floorCreatedAt) break;
		if (match(batch)) found.push(batch);
	}
	return found;
}

/**
 * The retry batches of `batch` by their metadata (`retry_of`), oldest first. There is normally one; more
 * only when a create was delivered twice or two runs retried the same batch at the same moment.
 */
export async function findRetriesOf(client: ImpalaClient, batch: Batch, signal?: AbortSignal): Promise<Batch[]> {
	const newestFirst = await listBatchesSince(client, batch.created_at, (candidate) => isRetryOf(candidate, batch.id), signal);
	return newestFirst.reverse();
}
