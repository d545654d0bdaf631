import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { fileLocator } from '../../../shared/descriptions';
import { locatorValue, toItem } from '../../helpers/items';

const properties: INodeProperties[] = [fileLocator({ searchListMethod: 'fileSearch' })];

const displayOptions = { show: { resource: ['file'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const fileId = locatorValue(this.getNodeParameter('fileId', i, '', { extractValue: true }));
	return [toItem(await client.files.get(fileId, { signal: this.getExecutionCancelSignal() }), i)];
}
