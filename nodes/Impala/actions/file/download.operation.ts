import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { fileLocator } from '../../../shared/descriptions';
import { readLocator, toItem } from '../../helpers/items';

const properties: INodeProperties[] = [
	fileLocator({ searchListMethod: 'fileSearch' }),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data',
		hint: 'The name of the output binary field to put the file in',
	},
];

const displayOptions = { show: { resource: ['file'], operation: ['download'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * The file's bytes as binary data, streamed from Impala into n8n's binary data store. The read is
 * verified against the file's size: a transfer cut short is read again, never reported as a success.
 */
export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal();
	const fileId = readLocator(this, 'fileId', i);
	const binaryPropertyName = this.getNodeParameter('binaryPropertyName', i) as string;
	const file = await client.files.get(fileId, { signal });
	const mimeType = file.filename.toLowerCase().endsWith('.jsonl') || file.purpose.startsWith('batch') ? 'application/jsonl' : undefined;
	const binary = await client.files.readVerified(
		fileId,
		async (content) => await this.helpers.prepareBinaryData(content, file.filename, mimeType),
		{ expectedBytes: file.bytes, signal },
	);
	return [{ ...toItem({ ...file }, i), binary: { [binaryPropertyName]: binary } }];
}
