import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { CreateBatchBodySchema, type BatchEndpoint, type CreateBatchBody } from '../../../../src/schemas';
import {
	completionWindowOf,
	completionWindowOption,
	ENDPOINT_OPTIONS,
	fileLocator,
	jobIdField,
	optionsCollection,
} from '../../../shared/descriptions';
import { checkedExpiryFromHours, outputExpiryOption } from '../../../shared/expiry';
import { metadataField, metadataFromPairs, type MetadataPairs } from '../../../shared/metadata';
import { readLocator, toItem } from '../../helpers/items';
import { waitIfAsked, waitProperties } from '../../helpers/wait';

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
			description: 'Up to 16 key/value pairs stored with the batch (keys up to 64 characters, values up to 512)',
		}),
		outputExpiryOption,
	]),
	...waitProperties('create'),
];

const displayOptions = { show: { resource: ['batch'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The editor field behind each body field that can still be wrong here, and what to do about it. */
const FIELDS: Record<string, { label: string; fix: string }> = {
	input_file_id: {
		label: 'Input File',
		fix: 'Pick a file from the list in "Input File", or give the ID of a file uploaded with purpose "batch" (e.g. by File → Upload or the Impala Batch Builder). If it comes from an expression, check that the expression gives a file ID.',
	},
	endpoint: {
		label: 'Endpoint',
		fix: 'Pick one of the endpoints in the list. If it comes from an expression, it must give /v1/chat/completions, /v1/responses, /v1/embeddings or /v1/completions.',
	},
};

interface CreateOptions {
	completionWindow?: string;
	metadata?: MetadataPairs;
	outputExpiresAfterHours?: number;
}

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const options = this.getNodeParameter('options', i, {}) as CreateOptions;
	const jobId = (this.getNodeParameter('jobId', i, '') as string).trim();
	const body: CreateBatchBody = {
		input_file_id: readLocator(this, 'inputFileId', i),
		endpoint: this.getNodeParameter('endpoint', i) as BatchEndpoint,
		completion_window: completionWindowOf(options.completionWindow),
	};
	if (jobId) body.job_id = jobId;
	// Checked before any call: a bad pair must not cost an API round trip or a half-created batch.
	const metadata = metadataFromPairs(node, options.metadata, i);
	if (metadata) body.metadata = metadata;
	const outputExpiresAfter = checkedExpiryFromHours(node, options.outputExpiresAfterHours, 'Output Expires After (Hours)', i);
	if (outputExpiresAfter) body.output_expires_after = outputExpiresAfter;
	const checked = CreateBatchBodySchema.safeParse(body);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		const field = FIELDS[String(issue.path[0])] ?? { label: 'Batch', fix: 'Check the fields of Batch → Create.' };
		throw new NodeOperationError(node, `${field.label}: ${issue.message}`, { itemIndex: i, description: field.fix });
	}

	const batch = await client.batches.create(checked.data, { signal: this.getExecutionCancelSignal() });
	return [toItem(await waitIfAsked.call(this, client, batch, i), i)];
}
