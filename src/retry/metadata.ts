import { LIMITS, type Batch } from '../schemas';
import { RetryError } from './errors';

/** The metadata keys that link a retry batch to the batch it retries. */
export const RETRY_OF = 'retry_of';
export const RETRY_ROOT = 'retry_root';
export const RETRY_ROUND = 'retry_round';
const RETRY_KEYS = [RETRY_OF, RETRY_ROOT, RETRY_ROUND];

/** Where a batch stands in its chain of retries: round 0 is the original batch (its own root). */
export interface RetryLinks {
	/** The batch this one retries; undefined for an original batch. */
	retryOf?: string;
	/** The first batch of the chain (the batch itself for an original). */
	root: string;
	round: number;
}

/** The retry links in a batch's metadata; a batch without them (or with unreadable ones) is an original. */
export function retryLinks(batch: Batch): RetryLinks {
	const metadata = batch.metadata ?? {};
	const retryOf = text(metadata[RETRY_OF]);
	const round = Number(text(metadata[RETRY_ROUND]));
	if (!retryOf || !Number.isInteger(round) || round < 1) return { root: batch.id, round: 0 };
	return { retryOf, root: text(metadata[RETRY_ROOT]) ?? retryOf, round };
}

/** The batch retries `batchId` by its metadata. */
export function isRetryOf(batch: Batch, batchId: string): boolean {
	return text(batch.metadata?.[RETRY_OF]) === batchId;
}

/**
 * The metadata of the retry of `original`: the original's own pairs (its retry links replaced) plus
 * `retry_of`, `retry_root` and `retry_round`. Refused when that makes more pairs than Impala takes.
 */
export function retryMetadata(original: Batch): Record<string, string> {
	const links = retryLinks(original);
	const kept: Record<string, string> = {};
	for (const [key, value] of Object.entries(original.metadata ?? {})) {
		if (RETRY_KEYS.includes(key) || value === null || value === undefined) continue;
		kept[key] = typeof value === 'string' ? value : JSON.stringify(value);
	}
	const { maxPairs } = LIMITS.metadata;
	const own = Object.keys(kept).length;
	if (own + RETRY_KEYS.length > maxPairs) {
		throw new RetryError(
			`Batch ${original.id} already has ${own} metadata pairs, so the retry batch cannot carry them and its 3 links to the original (retry_of, retry_root, retry_round): Impala takes at most ${maxPairs} pairs`,
			`Batches made for retries keep the original's metadata. Give new batches at most ${maxPairs - RETRY_KEYS.length} metadata pairs so a retry fits; this batch cannot be retried by this operation. No file was uploaded and no batch was created.`,
		);
	}
	return { ...kept, [RETRY_OF]: original.id, [RETRY_ROOT]: links.root, [RETRY_ROUND]: String(links.round + 1) };
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}
