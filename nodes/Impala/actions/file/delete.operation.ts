import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { fileLocator } from '../../../shared/descriptions';
import { readLocator, toItem } from '../../helpers/items';

const properties: INodeProperties[] = [fileLocator({ searchListMethod: 'fileSearch' })];

const displayOptions = { show: { resource: ['file'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const fileId = readLocator(this, 'fileId', i);
	return [toItem(await client.files.delete(fileId, { signal: this.getExecutionCancelSignal() }), i)];
}
