import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { fetchMergedResults, type MergedResultsOptions, type RetryResult } from '../../src/retry';
import type { Batch } from '../../src/schemas';

/**
 * The item of a retry: the retry batch with `retry_of`, `round`, `retried` (requests sent again) and the
 * `existing` / `recovered` flags, or, when every request had succeeded, an item saying so.
 */
export function retryItemJson(original: Batch, result: RetryResult, includeInvalid = false): IDataObject {
	const links = { retry_of: result.retryOf, retry_root: result.root, round: result.round, retried: result.retried };
	const counts = result.counts && { retried_failed: result.counts.failed, retried_missing: result.counts.missing, retried_invalid: result.counts.invalid };
	const notes = result.notes.length > 0 ? { notes: result.notes } : {};
	if (!result.batch) {
		return {
			...links,
			...counts,
			batch_id: original.id,
			batch_status: original.status,
			message: `Nothing needed a retry: no request of batch ${original.id} failed or went unanswered${includeInvalid ? ', and every answer follows the answer schema' : ''}. No file was uploaded and no batch was created.`,
		};
	}
	return {
		...(result.batch as IDataObject),
		...links,
		...counts,
		existing: result.existing === true,
		recovered: result.recovered === true,
		...(result.existing && {
			note: `Batch ${original.id} had already been retried: this is that retry (round ${result.round}); nothing new was created.`,
		}),
		...notes,
	};
}

/**
 * One item per request of a batch and its retries (see `fetchMergedResults`): each custom_id once, with its
 * latest answer, `round` (0 = the original) and `batch_id` (the batch that answered it). What the table
 * leaves out (a round still running) is logged and shown as an execution hint.
 */
export async function getMergedResultItems(
	ctx: IExecuteFunctions | IPollFunctions,
	client: ImpalaClient,
	batch: Batch,
	options: Omit<MergedResultsOptions, 'onNote'> & { pairedItem?: IPairedItemData },
): Promise<INodeExecutionData[]> {
	const { pairedItem, ...mergeOptions } = options;
	const items: INodeExecutionData[] = [];
	const rows = fetchMergedResults(client, batch, {
		...mergeOptions,
		onNote: (message) => {
			ctx.logger.warn(`Impala: ${message}`);
			if ('addExecutionHints' in ctx) ctx.addExecutionHints({ message, location: 'outputPane' });
		},
	});
	for await (const row of rows) {
		const item: INodeExecutionData = { json: row as unknown as IDataObject };
		if (pairedItem) item.pairedItem = pairedItem;
		items.push(item);
	}
	return items;
}
