import type { INodeProperties } from 'n8n-workflow';
import { SPLIT_METADATA_KEYS } from '../../../src/jsonl';
import { LIMITS } from '../../../src/schemas';
import { completionWindowOption, jobIdField, optionsCollection } from '../../shared/descriptions';
import { outputExpiryOption } from '../../shared/expiry';
import { metadataField } from '../../shared/metadata';
import { MODES, SOURCES } from './source';

const { maxPairs } = LIMITS.metadata;
const CHAT = '/v1/chat/completions';
const RESPONSES = '/v1/responses';
const EMBEDDINGS = '/v1/embeddings';
const COMPLETIONS = '/v1/completions';

/** A Batch Option that only creating a batch uses (the collection is shown in every mode for the price). */
function onlyWhenCreating(option: INodeProperties): INodeProperties {
	return { ...option, displayOptions: { show: { '/mode': [MODES.createBatch] } } };
}

export const batchProperties: INodeProperties[] = [
	{
		displayName: 'Split Into Several Batches',
		name: 'split',
		type: 'boolean',
		default: false,
		description:
			'Whether to create as many batches as needed when the rows go over one batch (50,000 requests, 200 MB, or 50,000 embedding inputs). Each batch gets the metadata batch_group_id (shared) and batch_part (e.g. 2/3). When off, going over is an error and nothing is uploaded.',
	},
	jobIdField({
		displayOptions: { show: { mode: [MODES.createBatch] } },
		description:
			"The Impala job the batch belongs to (model, use case and SLA), from the Impala console: only the ID (e.g. job-abc12345, at most 64 characters, no spaces or \"/\"); spaces around it are removed. Leave empty to let Impala choose. The Model must be the job's model.",
	}),
	optionsCollection(
		[
			onlyWhenCreating(completionWindowOption),
			{
				displayName: 'Maximum Estimated Cost',
				name: 'maxEstimatedCost',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 0, numberPrecision: 2 },
				displayOptions: { show: { '/mode': [MODES.createBatch, MODES.uploadFile] } },
				description:
					'In US dollars. When the estimated cost of the input (estimated input tokens times "Price per Million Input Tokens") is above it, nothing is uploaded and the node stops with the estimate. Answers (output tokens) are not in the estimate.',
			},
			onlyWhenCreating(
				metadataField({
					description: `Up to ${maxPairs} key/value pairs stored with the batch (${maxPairs - SPLIT_METADATA_KEYS.length} when splitting: the node adds ${SPLIT_METADATA_KEYS.join(' and ')})`,
				}),
			),
			onlyWhenCreating(outputExpiryOption),
			{
				displayName: 'Price per Million Input Tokens',
				name: 'pricePerMillionInputTokens',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 4 },
				description:
					"Your model's price on Impala, in US dollars per million input tokens. With it, the summary shows the estimated cost (estimated_cost_usd) beside the estimated input tokens.",
			},
		],
		{ displayName: 'Batch Options', name: 'batchOptions', placeholder: 'Add Batch Option' },
	),
	optionsCollection(
		[
			{
				displayName: 'Additional Body Fields (JSON)',
				name: 'additionalBodyFields',
				type: 'json',
				default: '{}',
				description:
					'Fields merged into the body of every request, e.g. {"top_p": 0.9}. They may not repeat a field the node sets. In a CSV/TSV file, write {column} inside a JSON string to insert a column (it is escaped for you).',
			},
			{
				displayName: 'Dimensions',
				name: 'dimensions',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				displayOptions: { show: { '/endpoint': [EMBEDDINGS] } },
				description:
					"Length of each embedding: a whole number of 1 or more. 0 uses the model's default. An expression may give text holding a number, such as \"256\" (e.g. from a CSV value); it is converted.",
			},
			{
				displayName: 'Encoding Format',
				name: 'encodingFormat',
				type: 'options',
				options: [
					{ name: 'Float', value: 'float' },
					{ name: 'Base64', value: 'base64' },
				],
				default: 'float',
				displayOptions: { show: { '/endpoint': [EMBEDDINGS] } },
			},
			{
				displayName: 'Maximum Tokens',
				name: 'maxTokens',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0 },
				displayOptions: { show: { '/endpoint': [CHAT, RESPONSES, COMPLETIONS] } },
				description:
					"Upper bound on the tokens of each answer: a whole number of 1 or more. 0 uses the model's default. An expression may give text holding a number, such as \"100\" (e.g. from a CSV value); it is converted.",
			},
			{
				displayName: 'Temperature',
				name: 'temperature',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 0, maxValue: 2, numberPrecision: 2 },
				displayOptions: { show: { '/endpoint': [CHAT, RESPONSES, COMPLETIONS] } },
				description:
					'Randomness of the answers, from 0 (focused) to 2. Sent only when added here. An expression may give text holding a number, such as "0.7" (e.g. from a CSV value); it is converted.',
			},
		],
		{ displayName: 'Request Options', name: 'options', placeholder: 'Add Request Option' },
	),
	optionsCollection(
		[
			{
				displayName: 'CSV Delimiter',
				name: 'delimiter',
				type: 'options',
				options: [
					{ name: 'Detect', value: 'auto' },
					{ name: 'Comma', value: ',' },
					{ name: 'Semicolon', value: ';' },
					{ name: 'Tab', value: '\t' },
				],
				default: 'auto',
				displayOptions: { show: { '/source': [SOURCES.file] } },
				description: 'What separates the values of the CSV/TSV file. Detect looks at the header row.',
			},
			{
				displayName: 'CSV Encoding',
				name: 'encoding',
				type: 'options',
				options: [
					{ name: 'Detect (UTF-8, or UTF-16 With Its Mark)', value: 'auto' },
					{ name: 'ISO-8859-1 (Latin-1)', value: 'iso-8859-1' },
					{ name: 'UTF-16', value: 'utf-16' },
					{ name: 'UTF-8', value: 'utf-8' },
					{ name: 'Windows-1252 (Excel on Windows)', value: 'windows-1252' },
				],
				default: 'auto',
				displayOptions: { show: { '/source': [SOURCES.file] } },
				description:
					'How the text of the CSV/TSV file is stored. Detect reads UTF-8, or UTF-16 when the file starts with its byte-order mark. A file that is not valid in the chosen encoding stops with the row at fault; no character is replaced.',
			},
			{
				displayName: 'JSONL File Name',
				name: 'fileName',
				type: 'string',
				default: 'batch-input.jsonl',
				description: 'Name of the JSONL file. With several batches, ".part-2-of-3" is added before ".jsonl".',
			},
			{
				displayName: 'Output Binary Field',
				name: 'outputBinaryField',
				type: 'string',
				default: 'data',
				displayOptions: { show: { '/mode': [MODES.buildJsonl] } },
				description: 'The binary field the JSONL file is put in',
			},
		],
		{ displayName: 'File Options', name: 'fileOptions', placeholder: 'Add File Option' },
	),
];
