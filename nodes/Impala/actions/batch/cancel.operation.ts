import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { batchLocator } from '../../../shared/descriptions';
import { readLocator, toItem } from '../../helpers/items';

const properties: INodeProperties[] = [batchLocator];

const displayOptions = { show: { resource: ['batch'], operation: ['cancel'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const batchId = readLocator(this, 'batchId', i);
	const batch = await client.batches.cancel(batchId, { signal: this.getExecutionCancelSignal() });
	return [toItem(batch, i)];
}
