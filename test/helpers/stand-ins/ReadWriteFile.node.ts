import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/** Stand-in for n8n-nodes-base.readWriteFile, operation "read" of one file into binary property `data`. */
export class ReadWriteFile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Read/Write Files from Disk',
		name: 'readWriteFile',
		group: ['input'],
		version: 1,
		description: 'Read or write files from the computer that runs n8n',
		defaults: { name: 'Read/Write Files from Disk' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'read' },
			{ displayName: 'File(s) Selector', name: 'fileSelector', type: 'string', default: '' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const file = this.getNodeParameter('fileSelector', i) as string;
			const options = this.getNodeParameter('options', i, {}) as { dataPropertyName?: string };
			const property = options.dataPropertyName ?? 'data';
			const bytes = await readFile(file);
			const binary = await this.helpers.prepareBinaryData(bytes, path.basename(file));
			out.push({ json: { fileName: path.basename(file) }, binary: { [property]: binary }, pairedItem: { item: i } });
		}
		return [out];
	}
}
