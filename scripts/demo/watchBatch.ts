import { setTimeout as wait } from 'node:timers/promises';
import type { ImpalaClient } from '../../src/client';
import { isTerminalStatus, type Batch } from '../../src/schemas';

/**
 * Polls the newest batch and reports each change of status or request counts, until the batch is
 * finished or `signal` aborts. The demo's emulator holds only the batch the workflow created.
 */
export async function watchNewestBatch(
	client: ImpalaClient,
	onChange: (batch: Batch) => void,
	{ intervalMs, signal }: { intervalMs: number; signal: AbortSignal },
): Promise<void> {
	let last = '';
	while (!signal.aborted) {
		const page = await client.batches.listPage({ limit: 1, signal }).catch((error: unknown) => {
			if (signal.aborted) return undefined;
			throw error;
		});
		const batch = page?.data[0];
		if (batch) {
			const counts = batch.request_counts;
			const key = `${batch.status} ${counts?.completed ?? 0} ${counts?.failed ?? 0} ${counts?.total ?? 0}`;
			if (key !== last) onChange(batch);
			last = key;
			if (isTerminalStatus(batch.status)) return;
		}
		await wait(intervalMs, undefined, { signal }).catch(() => undefined);
	}
}
