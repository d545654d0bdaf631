import type { ImpalaClient } from '../client';
import { describe } from '../batches/errors';
import { isTerminalStatus, type Batch } from '../schemas';

/**
 * There is one retry per batch and round: the oldest. Any later one (a create the network delivered twice,
 * or two runs retrying the same batch at the same moment) repeats the same requests, so it is cancelled
 * while it still runs. Returns the one that stands and what was done, in words.
 */
export async function settleRetries(
	client: ImpalaClient,
	retries: readonly Batch[],
	signal?: AbortSignal,
): Promise<{ kept: Batch; notes: string[] }> {
	const [kept, ...extra] = retries;
	const notes: string[] = [];
	for (const duplicate of extra) {
		if (isTerminalStatus(duplicate.status) || duplicate.status === 'cancelling') continue;
		try {
			await client.batches.cancel(duplicate.id, { signal });
			notes.push(`Batch ${duplicate.id} was a second retry of the same batch (made at the same moment or by a create sent twice); it was cancelled, and ${kept.id} is the retry.`);
		} catch (error) {
			notes.push(`Batch ${duplicate.id} is a second retry of the same batch and could not be cancelled (${describe(error)}); ${kept.id} is the retry, and ${duplicate.id} repeats its requests.`);
		}
	}
	return { kept, notes };
}
