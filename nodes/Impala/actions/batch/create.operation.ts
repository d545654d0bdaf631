import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { batchBodyIssues, createBatchBody } from '../../../../src/jsonl';
import { LIMITS, type BatchEndpoint } from '../../../../src/schemas';
import { readBatchSettings } from '../../../shared/batchSettings';
import {
	completionWindowOption,
	ENDPOINT_OPTIONS,
	fileLocator,
	jobIdField,
	optionsCollection,
} from '../../../shared/descriptions';
import { outputExpiryOption } from '../../../shared/expiry';
import { metadataField } from '../../../shared/metadata';
import { readLocator, toItem } from '../../helpers/items';
import { waitIfAsked, waitProperties } from '../../helpers/wait';

const { maxPairs, maxKeyLength, maxValueLength } = LIMITS.metadata;

const properties: INodeProperties[] = [
	fileLocator({
		displayName: 'Input File',
		name: 'inputFileId',
		searchListMethod: 'batchInputFileSearch',
		description: 'A JSONL file uploaded with purpose "batch" (e.g. by File → Upload or the Impala Batch Builder)',
	}),
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'options',
		options: ENDPOINT_OPTIONS,
		default: '/v1/chat/completions',
		description: 'The endpoint that every request line of the input file calls',
	},
	jobIdField({
		description:
			'The Impala job this batch belongs to (model, use case and SLA), from the Impala console. Leave empty to let Impala choose. The model of every request line must match the job\'s model.',
	}),
	optionsCollection([
		completionWindowOption,
		metadataField({
			description: `Up to ${maxPairs} key/value pairs stored with the batch (keys up to ${maxKeyLength} characters, values up to ${maxValueLength})`,
		}),
		outputExpiryOption,
	]),
	...waitProperties('create'),
];

const displayOptions = { show: { resource: ['batch'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const settings = readBatchSettings(this, i, 'options');
	const endpoint = this.getNodeParameter('endpoint', i) as BatchEndpoint;
	const inputFileId = readLocator(this, 'inputFileId', i);
	// Checked before any call: a bad field must not cost an API round trip or a half-created batch.
	const [issue] = batchBodyIssues(settings, endpoint, inputFileId);
	if (issue) {
		throw new NodeOperationError(this.getNode(), `${issue.field}: ${issue.message}`, { itemIndex: i, description: issue.fix });
	}
	const body = createBatchBody(settings, endpoint, inputFileId);
	const batch = await client.batches.create(body, { signal: this.getExecutionCancelSignal() });
	return [toItem(await waitIfAsked.call(this, client, batch, i), i)];
}
