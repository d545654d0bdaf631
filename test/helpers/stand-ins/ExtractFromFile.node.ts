import Papa from 'papaparse';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/** Stand-in for n8n-nodes-base.extractFromFile, operation "csv": one item per row, header row as keys. */
export class ExtractFromFile implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Extract from File',
		name: 'extractFromFile',
		group: ['input'],
		version: 1,
		description: 'Convert binary data to JSON',
		defaults: { name: 'Extract from File' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Operation', name: 'operation', type: 'string', default: 'csv' },
			{ displayName: 'Input Binary Field', name: 'binaryPropertyName', type: 'string', default: 'data' },
			{ displayName: 'Options', name: 'options', type: 'json', default: {} },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let i = 0; i < items.length; i++) {
			const property = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
			const options = this.getNodeParameter('options', i, {}) as { delimiter?: string };
			const text = (await this.helpers.getBinaryDataBuffer(i, property)).toString('utf8');
			const parsed = Papa.parse<IDataObject>(text, { header: true, skipEmptyLines: true, delimiter: options.delimiter ?? '' });
			for (const row of parsed.data) out.push({ json: row, pairedItem: { item: i } });
		}
		return [out];
	}
}
