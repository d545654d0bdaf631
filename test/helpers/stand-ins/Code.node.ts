import vm from 'node:vm';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Stand-in for n8n-nodes-base.code (JavaScript, "Run Once for All Items"): enough for the examples'
 * small snippets. `$input.all()`, `$input.first()` and `items` are available; the code returns items.
 */
export class Code implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Code',
		name: 'code',
		group: ['transform'],
		version: [1, 2],
		description: 'Run custom JavaScript code',
		defaults: { name: 'Code' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'JavaScript', name: 'jsCode', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const code = this.getNodeParameter('jsCode', 0) as string;
		const $input = { all: () => items, first: () => items[0], last: () => items[items.length - 1] };
		const result = await vm.runInNewContext(`(async () => {\n${code}\n})()`, { $input, items, JSON });
		// Values made inside the sandbox have its own prototypes: copy them out as plain data.
		const plain = JSON.parse(JSON.stringify(result ?? [])) as unknown;
		const list = (Array.isArray(plain) ? plain : [plain]) as Array<INodeExecutionData | IDataObject>;
		return [
			list.map((entry, index) => {
				const item = entry && typeof entry.json === 'object' ? (entry as INodeExecutionData) : { json: entry as IDataObject };
				return { ...item, pairedItem: item.pairedItem ?? { item: Math.min(index, Math.max(items.length - 1, 0)) } };
			}),
		];
	}
}
