import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { BATCH_ENDPOINTS, type BatchEndpoint } from '../../src/schemas';

const ENDPOINT_NAMES: Record<BatchEndpoint, string> = {
	'/v1/chat/completions': 'Chat Completions',
	'/v1/responses': 'Responses',
	'/v1/embeddings': 'Embeddings',
	'/v1/completions': 'Completions (Legacy)',
};

/** The four batch endpoints as options, value = the slashed path sent to Impala. */
export const ENDPOINT_OPTIONS: INodePropertyOptions[] = BATCH_ENDPOINTS.map((value) => ({
	name: ENDPOINT_NAMES[value],
	value,
	description: value,
}));

/** A batch picked from a searchable list (method `batchSearch`) or given by ID. */
export const batchLocator: INodeProperties = {
	displayName: 'Batch',
	name: 'batchId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The batch to use',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'batchSearch', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. batch-abc123',
		},
	],
};

/** A file picked from a searchable list (method `searchListMethod`) or given by ID. */
export function fileLocator(overrides: Partial<INodeProperties> & { searchListMethod: string }): INodeProperties {
	const { searchListMethod, ...rest } = overrides;
	return {
		displayName: 'File',
		name: 'fileId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The file to use',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. file-abc123',
			},
		],
		...rest,
	};
}

/** Options of reading a batch's results; shared by the Impala node's Get Results and the Batch Trigger. */
export const resultOptions: INodeProperties[] = [
	{
		displayName: 'Include Raw Line',
		name: 'includeRawLine',
		type: 'boolean',
		default: false,
		description: 'Whether to add the output or error file line exactly as Impala wrote it (field raw_line)',
	},
	{
		displayName: 'Include Request Body',
		name: 'includeRequestBody',
		type: 'boolean',
		default: false,
		description: "Whether to add each request's body from the input file (field request)",
	},
	{
		displayName: 'Only Failures',
		name: 'onlyFailures',
		type: 'boolean',
		default: false,
		description: 'Whether to return only the failed and missing requests',
	},
	{
		displayName: 'Parse Answer as JSON',
		name: 'parseJson',
		type: 'boolean',
		default: false,
		description:
			'Whether to turn the answer text into JSON (e.g. when the requests asked for JSON output). An answer that is not JSON keeps its text and gets an answer_json_error field.',
	},
];
