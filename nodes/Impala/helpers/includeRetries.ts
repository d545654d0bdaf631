import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';
import type { Batch } from '../../../src/schemas';
import type { ResultSettings } from '../../shared/resultSettings';
import { getMergedResultItems } from '../../shared/retry';

/** Get Results → Options → Include Retries. */
export const includeRetriesOption: INodeProperties = {
	displayName: 'Include Retries',
	name: 'includeRetries',
	type: 'boolean',
	default: false,
	description:
		'Whether to merge in the batches made by Retry Failed Requests: one item per request of the original batch, with its latest answer and the round it came from (field round: 0 = the original)',
};

export function readsRetries(options: unknown): boolean {
	return (options as { includeRetries?: unknown } | undefined)?.includeRetries === true;
}

/** Get Results with Include Retries: the merged table of the batch's chain (see `fetchMergedResults`). */
export async function retryChainItems(
	ctx: IExecuteFunctions,
	client: ImpalaClient,
	batch: Batch,
	settings: ResultSettings,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await getMergedResultItems(ctx, client, batch, settings, {
		pairedItem: { item: itemIndex },
		itemIndex,
		signal: ctx.getExecutionCancelSignal(),
	});
}
