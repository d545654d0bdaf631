import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { LIMITS } from '../../../../src/schemas';
import { toItem } from '../../helpers/items';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

const displayOptions = { show: { resource: ['batch'], operation: ['getMany'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** Newest first, page after page (`after` = the last id of the previous page). */
export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', i) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', i) as number);
	const pageSize = Math.min(LIMITS.batchListLimit.max, Number.isFinite(limit) ? limit : LIMITS.batchListLimit.max);
	const items: INodeExecutionData[] = [];
	for await (const batch of client.batches.list({ limit: pageSize, signal: this.getExecutionCancelSignal() })) {
		if (items.length >= limit) break;
		items.push(toItem(batch, i));
	}
	return items;
}
