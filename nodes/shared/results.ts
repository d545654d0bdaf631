import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData, IPollFunctions } from 'n8n-workflow';
import type { ImpalaClient } from '../../src/client';
import { fetchBatchResults, type ResultOptions, type ResultRow } from '../../src/results';
import type { Batch } from '../../src/schemas';

export interface ResultItemOptions extends ResultOptions {
	/** Set on every item (the Impala node passes its input item; a trigger passes nothing). */
	pairedItem?: IPairedItemData;
	signal?: AbortSignal;
}

/**
 * One n8n item per request of a finished batch, in input-file order: custom_id, status
 * (succeeded/failed/missing), the answer, usage, error. Check `resultsUnavailable(batch)` first.
 */
export async function getResultItems(
	ctx: IExecuteFunctions | IPollFunctions,
	client: ImpalaClient,
	batch: Batch,
	options: ResultItemOptions = {},
): Promise<INodeExecutionData[]> {
	const { pairedItem, signal, ...resultOptions } = options;
	const items: INodeExecutionData[] = [];
	const rows = fetchBatchResults(client, batch, {
		...resultOptions,
		signal,
		onInputUnavailable: (inputFileId) => {
			const message = `The input file ${inputFileId} of batch ${batch.id} is gone (deleted or expired): results come in output-file order and requests without an answer cannot be listed as missing`;
			ctx.logger.warn(message);
			if ('addExecutionHints' in ctx) ctx.addExecutionHints({ message, location: 'outputPane' });
		},
	});
	for await (const row of rows) {
		const item: INodeExecutionData = { json: toItemJson(row, batch) };
		if (pairedItem) item.pairedItem = pairedItem;
		items.push(item);
	}
	return items;
}

/** Splits result items into [succeeded, failed or missing]. */
export function splitByStatus(items: INodeExecutionData[]): [INodeExecutionData[], INodeExecutionData[]] {
	const succeeded: INodeExecutionData[] = [];
	const other: INodeExecutionData[] = [];
	for (const item of items) (item.json.status === 'succeeded' ? succeeded : other).push(item);
	return [succeeded, other];
}

function toItemJson(row: ResultRow, batch: Batch): IDataObject {
	return { ...row, batch_id: batch.id } as unknown as IDataObject;
}
