import type { INodeProperties } from 'n8n-workflow';

export const MODES = { createBatch: 'createBatch', uploadFile: 'uploadFile', buildJsonl: 'buildJsonl' } as const;
export type Mode = (typeof MODES)[keyof typeof MODES];

export const SOURCES = { items: 'items', file: 'file' } as const;
export type Source = (typeof SOURCES)[keyof typeof SOURCES];

export const modeProperty: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Build JSONL Only',
			value: MODES.buildJsonl,
			description: 'Check every row and return the JSONL file as binary data, without calling Impala',
			action: 'Build the JSONL file only',
		},
		{
			name: 'Create Batch',
			value: MODES.createBatch,
			description: 'Check every row, upload the JSONL file and start a batch',
			action: 'Create a batch from rows',
		},
		{
			name: 'Upload File Only',
			value: MODES.uploadFile,
			description: 'Check every row and upload the JSONL file with purpose "batch", without starting a batch',
			action: 'Upload a batch input file from rows',
		},
	],
	default: 'createBatch',
};

export const modeAndSourceProperties: INodeProperties[] = [
	modeProperty,
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Input Items',
				value: SOURCES.items,
				description: 'One request per input item; every field can be an expression that reads the item',
			},
			{
				name: 'CSV/TSV File',
				value: SOURCES.file,
				description: 'One request per row of a CSV or TSV file in a binary field; fields are templates such as {text}',
			},
		],
		default: 'items',
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { source: [SOURCES.file] } },
		hint: 'In the fields below, write {column name} to insert a column of the row, e.g. Summarize: {text}. In JSON fields, put it inside a JSON string: "{text}".',
		description:
			'The binary field holding the CSV/TSV file, e.g. from "Read/Write Files from Disk". The file needs a header row. n8n expressions cannot see the rows inside a file: use {column name} instead.',
	},
];
