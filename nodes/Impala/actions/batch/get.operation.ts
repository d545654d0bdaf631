import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { batchLocator } from '../../../shared/descriptions';
import { readLocator, toItem } from '../../helpers/items';
import { waitIfAsked, waitProperties } from '../../helpers/wait';

const properties: INodeProperties[] = [batchLocator, ...waitProperties('get')];

const displayOptions = { show: { resource: ['batch'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const batchId = readLocator(this, 'batchId', i);
	const batch = await client.batches.get(batchId, { signal: this.getExecutionCancelSignal() });
	return [toItem(await waitIfAsked.call(this, client, batch, i), i)];
}
