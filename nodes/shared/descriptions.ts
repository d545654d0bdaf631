import { NodeOperationError, type IExecuteFunctions, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import { BATCH_ENDPOINTS, DEFAULT_COMPLETION_WINDOW, type BatchEndpoint } from '../../src/schemas';

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

/** Options of reading a batch's results; shared by the Impala node's Get Results and the Batch Trigger (read by `readResultSettings`). */
export const resultOptions: INodeProperties[] = [
	{
		displayName: 'Answer Fields',
		name: 'answerFields',
		type: 'options',
		options: [
			{
				name: 'Under a Key',
				value: 'key',
				description: 'The whole answer goes in the field "answer"',
			},
			{
				name: 'At the Top Level',
				value: 'top',
				description:
					'Each field of a JSON answer becomes a field of the item, next to custom_id and status (e.g. sentiment, score), ready to write to a sheet',
			},
		],
		default: 'key',
		description: 'Where the fields of a JSON answer go in each item',
	},
	{
		displayName: 'Answer Schema',
		name: 'answerSchema',
		type: 'json',
		default: '{\n  "type": "object",\n  "properties": {\n    "sentiment": { "type": "string" }\n  },\n  "required": ["sentiment"]\n}',
		description: 'The JSON Schema every answer must follow',
		displayOptions: { show: { answerSchemaMode: ['given'] } },
	},
	{
		displayName: 'Check Answers Against Schema',
		name: 'answerSchemaMode',
		type: 'options',
		options: [
			{
				name: 'The Schema the Batch Asked For',
				value: 'request',
				description:
					'When the requests asked for a JSON schema (Response Format), each answer is read as JSON and checked against it. Other batches are not checked.',
			},
			{
				name: 'A Schema Given Here',
				value: 'given',
				description: 'Each answer is read as JSON and checked against the schema in "Answer Schema"',
			},
			{ name: 'Off', value: 'off', description: 'Answers are not checked' },
		],
		default: 'request',
		description:
			'Whether to check each answer against a JSON schema. An answer that is not JSON or does not follow the schema gets status "invalid", with the reason in error.message, and counts as a failure.',
	},
	{
		displayName: 'Field Prefix',
		name: 'answerFieldPrefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. answer_',
		description: 'Put before the name of each answer field (e.g. "answer_" gives answer_score). Leave empty to keep the names as they are.',
		displayOptions: { show: { answerFields: ['top'] } },
	},
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
		displayName: 'Include Summary',
		name: 'includeSummary',
		type: 'boolean',
		default: false,
		description:
			'Whether to add one summary item per batch on an extra output named Summary: how many requests succeeded, failed, are missing or invalid, the tokens used, and the cost and duration when Impala sends them',
	},
	{
		displayName: 'Only Failures',
		name: 'onlyFailures',
		type: 'boolean',
		default: false,
		description: 'Whether to return only the failed and missing requests, and the invalid answers when answers are checked against a schema',
	},
	{
		displayName: 'Parse Answer as JSON',
		name: 'parseJson',
		type: 'boolean',
		default: false,
		description:
			'Whether to turn the answer text into JSON (e.g. when the requests asked for JSON output). An answer that is not JSON keeps its text and gets an answer_json_error field. When answers are checked against a schema, they are read as JSON anyway.',
	},
];

/** What a node may change of a shared field: its help text, and when it shows or is required. */
export type FieldOverrides = Partial<Pick<INodeProperties, 'description' | 'placeholder' | 'required' | 'displayOptions'>>;

/** The Job ID field; each node says what it is for (and when it shows or is required). */
export function jobIdField(overrides: FieldOverrides): INodeProperties {
	return { displayName: 'Job ID', name: 'jobId', type: 'string', default: '', placeholder: 'e.g. job-abc12345', ...overrides };
}

/** An "Options" collection (Add Option); the Batch Builder's "Batch Options" renames it. */
export function optionsCollection(options: INodeProperties[], overrides: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options, ...overrides };
}

/** The Completion Window option of creating a batch (Impala node and Batch Builder). */
export const completionWindowOption: INodeProperties = {
	displayName: 'Completion Window',
	name: 'completionWindow',
	type: 'string',
	default: DEFAULT_COMPLETION_WINDOW,
	description: `How long Impala may take to run the batch. Impala accepts only "${DEFAULT_COMPLETION_WINDOW}", the default.`,
};

/** The completion window to send: the option's text, or DEFAULT_COMPLETION_WINDOW when left empty. */
export function completionWindowOf(value: string | undefined): string {
	return (value ?? '').trim() || DEFAULT_COMPLETION_WINDOW;
}

/** "Return All" and "Limit" of a list operation; read them with `readLimit`. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** How many items a list operation returns: Infinity for "Return All", else "Limit" (a whole number from 1). */
export function readLimit(ctx: Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode'>, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex)) return Infinity;
	const value = ctx.getNodeParameter('limit', itemIndex) as unknown;
	const limit = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(ctx.getNode(), `Limit: ${JSON.stringify(value)} is not a whole number of 1 or more`, {
			itemIndex,
			description: 'Set "Limit" to how many results to return (e.g. 50), or turn on "Return All".',
		});
	}
	return limit;
}

/** The names the editor shows for a property's option values, by value (for subtitles). */
export function optionNames(property: INodeProperties): Record<string, string> {
	const options = (property.options ?? []) as INodePropertyOptions[];
	return Object.fromEntries(options.map((option) => [String(option.value), option.name]));
}
