import { setTimeout as wait } from 'node:timers/promises';
import type { ImpalaClient } from '../client';
import { isTerminalStatus, type Batch } from '../schemas';
import { BatchExistsError } from './errors';

export interface WaitForBatchOptions {
	/** Time between two checks. */
	pollIntervalMs: number;
	/** Give up after this long (the batch keeps running on Impala). */
	maxWaitMs: number;
	signal?: AbortSignal;
	/** Injected so nodes use n8n's `sleep` and tests need no timers; must reject when `signal` aborts. */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Called after every check (logging, progress). */
	onPoll?: (batch: Batch) => void;
	now?: () => number;
}

export interface WaitForBatchResult {
	batch: Batch;
	/** False when `maxWaitMs` passed before the batch reached a terminal status. */
	finished: boolean;
}

/**
 * Polls a batch until it is completed, failed, expired or cancelled, or until `maxWaitMs` has passed.
 * Starts from the batch the caller already fetched, so the first check costs no extra request. Any
 * failure on the way (a status poll, a stop) is a BatchExistsError naming the batch: it exists and must
 * not be created again.
 */
export async function waitForBatch(
	client: ImpalaClient,
	initial: Batch,
	options: WaitForBatchOptions,
): Promise<WaitForBatchResult> {
	const { pollIntervalMs, maxWaitMs, signal } = options;
	const sleep = options.sleep ?? defaultSleep;
	const now = options.now ?? Date.now;
	const deadline = now() + maxWaitMs;
	let batch = initial;
	for (;;) {
		options.onPoll?.(batch);
		if (isTerminalStatus(batch.status)) return { batch, finished: true };
		const remaining = deadline - now();
		if (remaining <= 0) return { batch, finished: false };
		try {
			await sleep(Math.min(pollIntervalMs, remaining), signal);
			signal?.throwIfAborted();
			batch = await client.batches.get(batch.id, { signal });
		} catch (error) {
			throw error instanceof BatchExistsError ? error : new BatchExistsError(batch, error);
		}
	}
}

async function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
	await wait(ms, undefined, { signal });
}
