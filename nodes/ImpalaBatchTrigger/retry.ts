import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { retryFailedRequests, retryLinks, RetryError } from '../../src/retry';
import type { Batch } from '../../src/schemas';
import { toNodeError } from '../shared/errors';
import { isSummaryItem } from '../shared/results';
import type { ResultSettings } from '../shared/resultSettings';

/** Result Options → Retry Failed Requests and Max Retry Rounds (the trigger's "Results" output). */
export const retryResultOptions: INodeProperties[] = [
	{
		displayName: 'Max Retry Rounds',
		name: 'maxRetryRounds',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 0 },
		default: 3,
		description:
			'With "Retry Failed Requests": how many retries a batch gets at most. A retry batch that ends with failures is retried again until this round.',
		displayOptions: { show: { retryFailed: [true] } },
	},
	{
		displayName: 'Retry Failed Requests',
		name: 'retryFailed',
		type: 'boolean',
		default: false,
		description:
			'Whether to send again, as a new batch, the requests of a batch that ended with failed or unanswered ones (once per batch, like Impala → Batch → Retry Failed Requests). The new batch\'s ID is on each item (retry_batch_id).',
	},
];

/**
 * With Retry Failed Requests: when the batch's items show failed, missing (or invalid) requests, makes the
 * retry batch (exactly once: a poll that runs again finds the retry made before) and puts its ID and round
 * on each item. A retry that cannot be made for a lasting reason (metadata full, input file gone) is said
 * on the items; anything else fails the poll, and the next poll tries again.
 */
export async function addRetry(
	ctx: IPollFunctions,
	client: ImpalaClient,
	batch: Batch,
	items: INodeExecutionData[],
	settings: ResultSettings,
): Promise<void> {
	const options = ctx.getNodeParameter('resultOptions', {}) as { retryFailed?: boolean; maxRetryRounds?: number };
	if (options.retryFailed !== true) return;
	const rows = items.filter((item) => !isSummaryItem(item));
	if (!rows.some((item) => item.json.status !== 'succeeded')) return;
	// Invalid answers show only when the answers were checked: they are retried with the same schema.
	const includeInvalid = rows.some((item) => item.json.status === 'invalid');
	const round = retryLinks(batch).round + 1;
	const maxRounds = Math.max(1, Math.floor(Number(options.maxRetryRounds ?? 3)));
	let fields: IDataObject;
	if (ctx.getMode() === 'manual') {
		fields = { retry_skipped: 'A test event does not make retry batches: the active trigger makes the retry when the batch ends.' };
	} else if (round > maxRounds) {
		fields = { retry_skipped: `Batch ${batch.id} is retry round ${round - 1}, the last of "Max Retry Rounds" (${maxRounds}): it is not retried again.` };
	} else {
		try {
			const result = await retryFailedRequests(client, batch, {
				includeInvalid,
				answerSchema: settings.schema.mode === 'given' ? settings.schema.schema : undefined,
			});
			for (const note of result.notes) ctx.logger.warn(`Impala Batch Trigger: ${note}`);
			fields = result.batch
				? { retry_batch_id: result.batch.id, retry_round: result.round, retried: result.retried }
				: { retried: 0 };
		} catch (error) {
			if (!(error instanceof RetryError)) throw toNodeError(ctx.getNode(), error);
			ctx.logger.warn(`Impala Batch Trigger: ${error.message}`);
			fields = { retry_error: error.message, retry_hint: error.description };
		}
	}
	for (const item of rows) Object.assign(item.json, fields);
}
