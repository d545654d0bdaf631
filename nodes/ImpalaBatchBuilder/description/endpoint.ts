import type { INodeProperties } from 'n8n-workflow';
import { ENDPOINT_OPTIONS } from '../../shared/descriptions';
import { SOURCES } from './source';

const CHAT = '/v1/chat/completions';
const RESPONSES = '/v1/responses';
const EMBEDDINGS = '/v1/embeddings';
const COMPLETIONS = '/v1/completions';

const ITEMS_TEXT_HINT =
	'An expression that reads the item, e.g. {{ $json.text }}. It must give text: a number, a yes/no value, an object or a list is refused, not turned into text.';

/**
 * A field that is an expression for n8n items and a {column} template for a file: one variant per
 * source (same name, so saved values are shared). The template syntax is explained once, at the
 * Input Binary Field.
 */
function perSource(property: INodeProperties, forItems: Partial<INodeProperties> = {}, forFile: Partial<INodeProperties> = {}): INodeProperties[] {
	const show = property.displayOptions?.show ?? {};
	return [
		{ ...property, ...forItems, displayOptions: { show: { ...show, source: [SOURCES.items] } } },
		{ ...property, ...forFile, displayOptions: { show: { ...show, source: [SOURCES.file] } } },
	];
}

export const endpointProperties: INodeProperties[] = [
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'options',
		noDataExpression: true,
		options: ENDPOINT_OPTIONS,
		default: CHAT,
		description: 'The API every request of the batch calls',
	},
	...perSource({
		displayName: 'Model',
		name: 'model',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. meta-llama/Llama-3.3-70B-Instruct',
		description: "The model of every request. When you give a Job ID, it must be the job's model.",
	}),
	// Chat completions
	...perSource({
		displayName: 'System Message',
		name: 'systemMessage',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show: { endpoint: [CHAT] } },
		description: 'Instructions sent before the user message. Leave empty to send none.',
	}),
	...perSource({
		displayName: 'User Message',
		name: 'userMessage',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { endpoint: [CHAT] } },
		description: 'The text of the request',
	}, { hint: ITEMS_TEXT_HINT }, { placeholder: 'e.g. Summarize: {text}' }),
	...perSource({
		displayName: 'Extra Messages (JSON)',
		name: 'extraMessages',
		type: 'json',
		default: '[]',
		displayOptions: { show: { endpoint: [CHAT] } },
		description:
			'Messages placed between the system message and the user message, e.g. examples: [{"role":"user","content":"..."},{"role":"assistant","content":"..."}]',
	}),
	// Responses
	...perSource({
		displayName: 'Instructions',
		name: 'instructions',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show: { endpoint: [RESPONSES] } },
		description: 'System-level instructions. Leave empty to send none.',
	}),
	...perSource({
		displayName: 'Input',
		name: 'responsesInput',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { endpoint: [RESPONSES] } },
		description: 'The text of the request',
	}, { hint: ITEMS_TEXT_HINT }, { placeholder: 'e.g. {question}' }),
	// Embeddings
	{
		displayName: 'Input From',
		name: 'embeddingInputFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'One Text', value: 'text', description: 'One input per row, from an expression or template' },
			{
				name: 'Several Fields or Columns',
				value: 'fields',
				description: 'One input per named item field (or file column): each row sends an array of inputs',
			},
		],
		default: 'text',
		displayOptions: { show: { endpoint: [EMBEDDINGS] } },
	},
	...perSource({
		displayName: 'Input',
		name: 'embeddingInput',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		required: true,
		displayOptions: { show: { endpoint: [EMBEDDINGS], embeddingInputFrom: ['text'] } },
		description: 'The text to embed',
	}, { hint: ITEMS_TEXT_HINT }, { placeholder: 'e.g. {text}' }),
	{
		displayName: 'Input Fields or Columns',
		name: 'embeddingFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. title, summary',
		required: true,
		displayOptions: { show: { endpoint: [EMBEDDINGS], embeddingInputFrom: ['fields'] } },
		description: 'Names of item fields (or file columns), separated by commas. Each counts as one embedding input.',
	},
	// Completions
	...perSource({
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show: { endpoint: [COMPLETIONS] } },
		description: 'The text to complete',
	}, { hint: ITEMS_TEXT_HINT }, { placeholder: 'e.g. {text}' }),
	// Structured output (chat completions and responses)
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Text', value: 'text', description: 'Free text (the default of the API)' },
			{ name: 'JSON Object', value: 'json_object', description: 'Any JSON object' },
			{ name: 'JSON Schema', value: 'json_schema', description: 'JSON that follows the schema below' },
		],
		default: 'text',
		displayOptions: { show: { endpoint: [CHAT, RESPONSES] } },
	},
	{
		displayName: 'Schema Type',
		name: 'schemaType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Generate From JSON Example',
				value: 'fromJson',
				description: 'Write an example answer; the schema is made from its field names and kinds of values',
			},
			{ name: 'Define Using JSON Schema', value: 'manual', description: 'Write the JSON Schema yourself' },
		],
		default: 'manual',
		displayOptions: { show: { endpoint: [CHAT, RESPONSES], responseFormat: ['json_schema'] } },
		description: 'How the schema every answer must follow is given',
	},
	{
		displayName: 'JSON Example',
		name: 'jsonSchemaExample',
		type: 'json',
		default: '{\n  "sentiment": "positive",\n  "score": 4,\n  "summary": "One line about the review"\n}',
		typeOptions: { rows: 8 },
		displayOptions: { show: { endpoint: [CHAT, RESPONSES], responseFormat: ['json_schema'], schemaType: ['fromJson'] } },
		description:
			'An example answer as a JSON object. Its values only show the kind of each field: text, number, true/false, a list (give it one example entry) or an object.',
	},
	{
		displayName:
			"All properties will be required, and no other fields allowed. To make them optional, use the 'Define Using JSON Schema' schema type instead",
		name: 'schemaExampleNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { endpoint: [CHAT, RESPONSES], responseFormat: ['json_schema'], schemaType: ['fromJson'] } },
	},
	{
		displayName: 'JSON Schema',
		name: 'jsonSchema',
		type: 'json',
		default: '{\n  "type": "object",\n  "properties": { "answer": { "type": "string" } },\n  "required": ["answer"]\n}',
		displayOptions: { show: { endpoint: [CHAT, RESPONSES], responseFormat: ['json_schema'], schemaType: ['manual'] } },
		description: 'The JSON Schema every answer must follow. It is checked before anything is uploaded.',
	},
	{
		displayName: 'Schema Name',
		name: 'schemaName',
		type: 'string',
		default: 'answer',
		displayOptions: { show: { endpoint: [CHAT, RESPONSES], responseFormat: ['json_schema'] } },
		description: 'A short name for the schema: 1 to 64 letters, digits, _ and -. Left empty, "answer" is sent.',
	},
	{
		displayName: 'Strict',
		name: 'schemaStrict',
		type: 'boolean',
		default: false,
		displayOptions: { show: { endpoint: [CHAT, RESPONSES], responseFormat: ['json_schema'] } },
		description:
			'Whether to ask the model to follow the schema exactly (strict mode). Strict needs every object in the schema to list all its properties in "required" and to have "additionalProperties": false; this is checked before anything is uploaded. A schema made from a JSON example always meets it.',
	},
];

export const customIdProperties: INodeProperties[] = [
	{
		displayName: 'Custom ID',
		name: 'customIdSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Generate', value: 'generate', description: 'Numbers the requests row-1, row-2, row-3 and so on' },
			{ name: 'From a Field or Column', value: 'field', description: 'Use your own IDs, e.g. a column "ID"' },
		],
		default: 'generate',
		description: 'How each request is named; results are matched back to rows by this ID',
	},
	...perSource({
		displayName: 'Custom ID Value',
		name: 'customId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { customIdSource: ['field'] } },
		description:
			'Must be unique, one line, not blank and at most 64 characters. Every duplicate is reported with all its rows. From an expression, a number is used as written (42 becomes "42"); a yes/no value, an object or a list is refused.',
	}, { placeholder: 'e.g. {{ $json.ticket }}' }, { placeholder: 'e.g. {ticket}' }),
];
