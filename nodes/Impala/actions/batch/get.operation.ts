import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { summarizeBatch } from '../../../../src/results';
import { batchLocator, optionsCollection } from '../../../shared/descriptions';
import { readLocator, toItem } from '../../helpers/items';
import { waitIfAsked, waitProperties } from '../../helpers/wait';

const properties: INodeProperties[] = [
	batchLocator,
	...waitProperties('get'),
	optionsCollection([
		{
			displayName: 'Summary',
			name: 'summary',
			type: 'boolean',
			default: false,
			description:
				'Whether to add a summary field: how many requests succeeded, failed or are missing, the tokens used, and the cost and duration when Impala sends them. To also count answers that break a schema and sum the tokens of each answer, use Get Results with "Include Summary".',
		},
	]),
];

const displayOptions = { show: { resource: ['batch'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const batchId = readLocator(this, 'batchId', i);
	const { summary } = this.getNodeParameter('options', i, {}) as { summary?: boolean };
	const batch = await client.batches.get(batchId, { signal: this.getExecutionCancelSignal() });
	const seen = await waitIfAsked.call(this, client, batch, i);
	return [toItem(summary ? { ...seen, summary: summarizeBatch(seen) } : seen, i)];
}
