import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { retryFailedRequests, retryLinks, RetryError } from '../../src/retry';
import type { Batch } from '../../src/schemas';
import type { JsonSchema } from '../../src/structured';
import { toNodeError } from '../shared/errors';

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

export interface TriggerRetryOptions {
	retryFailed?: boolean;
	maxRetryRounds?: number;
	answerSchema?: JsonSchema;
}

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
	options: TriggerRetryOptions,
): Promise<void> {
	if (options.retryFailed !== true) return;
	if (!items.some((item) => item.json.status !== 'succeeded')) return;
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
				includeInvalid: options.answerSchema !== undefined,
				answerSchema: options.answerSchema,
				signal: undefined,
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
	for (const item of items) Object.assign(item.json, fields);
}
