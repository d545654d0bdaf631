import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { resultsUnavailable, type ResultOptions } from '../../src/results';
import type { Batch } from '../../src/schemas';
import { getResultItems } from '../shared/results';

export type TriggerOutput = 'batch' | 'results';

/** The items of the fired batches: each batch, or each batch's results one item per request. */
export async function toOutputItems(
	ctx: IPollFunctions,
	client: ImpalaClient,
	batches: Batch[],
	output: TriggerOutput,
	resultOptions: ResultOptions,
): Promise<INodeExecutionData[]> {
	if (output === 'batch') return batches.map((batch) => ({ json: batch as IDataObject }));
	const items: INodeExecutionData[] = [];
	for (const batch of batches) {
		const unavailable = resultsUnavailable(batch);
		if (unavailable) {
			// The event is not dropped: the item says why there are no results and carries the batch.
			items.push({
				json: {
					batch_id: batch.id,
					batch_status: batch.status,
					results_unavailable: unavailable.message,
					hint: unavailable.hint,
					batch: batch as IDataObject,
				},
			});
			continue;
		}
		items.push(...(await getResultItems(ctx, client, batch, resultOptions)));
	}
	return items;
}
