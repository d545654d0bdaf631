import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { batchBodyIssues, createBatchBody } from '../../../../src/jsonl';
import { LIMITS, type Batch, type BatchEndpoint } from '../../../../src/schemas';
import { batchCreatedError, logBatchCreated } from '../../../shared/batchCreated';
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
import { inputEndpointMismatch } from '../../helpers/inputEndpoint';
import { readLocator, toItem } from '../../helpers/items';
import { readWaitSettings, waitIfAsked, waitProperties } from '../../helpers/wait';

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
		required: true,
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
	const signal = this.getExecutionCancelSignal();
	const settings = readBatchSettings(this, i, 'options');
	const endpoint = this.getNodeParameter('endpoint', i) as BatchEndpoint;
	const inputFileId = readLocator(this, 'inputFileId', i);
	// Checked before any call: a bad field must not cost an API round trip or a half-created batch.
	const [issue] = batchBodyIssues(settings, endpoint, inputFileId);
	if (issue) throw fieldError(this, issue, i);
	const wait = readWaitSettings.call(this, i);
	// The file's first lines tell the endpoint they were written for: a wrong Endpoint would fail the batch.
	const mismatch = await inputEndpointMismatch(client, inputFileId, endpoint, signal);
	if (mismatch) throw fieldError(this, mismatch, i);
	const body = createBatchBody(settings, endpoint, inputFileId);
	const { batch, recovered } = await client.batches.createOnce(body, { signal });
	logBatchCreated(this, batch, recovered, i);
	let finished: Batch;
	try {
		finished = await waitIfAsked.call(this, client, batch, i, wait);
	} catch (error) {
		throw batchCreatedError(this, batch, error, i);
	}
	return [toItem(recovered ? { ...finished, ...RECOVERED_NOTE } : finished, i)];
}

/** Said in the output when Impala's answer to the create was lost and the batch was found by its input file. */
const RECOVERED_NOTE = {
	recovered: true,
	note: "Impala's answer to the create was lost on the way; this batch was found on Impala by its input file, so it was created once.",
};

function fieldError(ctx: IExecuteFunctions, issue: { field: string; message: string; fix?: string }, itemIndex: number) {
	return new NodeOperationError(ctx.getNode(), `${issue.field}: ${issue.message}`, { itemIndex, description: issue.fix });
}
