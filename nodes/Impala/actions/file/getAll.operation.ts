import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { FILE_PURPOSES, LIMITS } from '../../../../src/schemas';
import { readLimit, returnAllAndLimit } from '../../../shared/descriptions';
import { toItem } from '../../helpers/items';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Order',
				name: 'order',
				type: 'options',
				options: [
					{ name: 'Newest First', value: 'desc' },
					{ name: 'Oldest First', value: 'asc' },
				],
				default: 'desc',
				description: 'The order of the files by creation time',
			},
			{
				displayName: 'Purpose',
				name: 'purpose',
				type: 'options',
				options: FILE_PURPOSES.map((value) => ({ name: value, value })),
				default: 'batch',
				description: 'Only files with this purpose (batch_output holds output and error files)',
			},
		],
	},
];

const displayOptions = { show: { resource: ['file'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const limit = readLimit(this, i);
	const filters = this.getNodeParameter('filters', i, {}) as { purpose?: string; order?: 'asc' | 'desc' };
	const items: INodeExecutionData[] = [];
	const files = client.files.list({
		purpose: filters.purpose || undefined,
		order: filters.order,
		limit: Number.isFinite(limit) ? Math.min(limit, LIMITS.fileListLimit.max) : undefined,
		signal: this.getExecutionCancelSignal(),
	});
	for await (const file of files) {
		if (items.length >= limit) break;
		items.push(toItem(file, i));
	}
	return items;
}
