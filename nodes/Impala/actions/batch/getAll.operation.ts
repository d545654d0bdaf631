import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { LIMITS } from '../../../../src/schemas';
import { readLimit, returnAllAndLimit } from '../../../shared/descriptions';
import { toItem } from '../../helpers/items';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
];

const displayOptions = { show: { resource: ['batch'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Newest first, page after page (`after` = the last id of the previous page). */
export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const limit = readLimit(this, i);
	const pageSize = Math.min(LIMITS.batchListLimit.max, Number.isFinite(limit) ? limit : LIMITS.batchListLimit.max);
	const items: INodeExecutionData[] = [];
	for await (const batch of client.batches.list({ limit: pageSize, signal: this.getExecutionCancelSignal() })) {
		if (items.length >= limit) break;
		items.push(toItem(batch, i));
	}
	return items;
}
