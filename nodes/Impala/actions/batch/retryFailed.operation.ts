import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { readAnswerSchemaText, retryFailedRequests } from '../../../../src/retry';
import type { Batch } from '../../../../src/schemas';
import { AnswerSchemaError } from '../../../../src/structured';
import { batchCreatedError, logBatchCreated } from '../../../shared/batchCreated';
import { batchLocator, optionsCollection } from '../../../shared/descriptions';
import { toNodeError } from '../../../shared/errors';
import { retryItemJson } from '../../../shared/retry';
import { readLocator, toItem } from '../../helpers/items';

interface RetryParameters {
	includeInvalid?: boolean;
	answerSchema?: unknown;
	model?: string;
	jobId?: string;
}

const properties: INodeProperties[] = [
	{
		...batchLocator,
		description: 'A finished batch (completed with failures, expired or cancelled) whose failed requests to send again',
	},
	optionsCollection([
		{
			displayName: 'Answer Schema',
			name: 'answerSchema',
			type: 'json',
			default: '',
			description:
				'The JSON schema the answers must follow, for "Include Invalid Answers". Leave empty to use the schema the batch\'s requests asked for (their response format).',
		},
		{
			displayName: 'Include Invalid Answers',
			name: 'includeInvalid',
			type: 'boolean',
			default: false,
			description:
				'Whether to send again the requests whose answer is not JSON or breaks the answer schema, besides the failed and unanswered ones',
		},
		{
			displayName: 'New Job ID',
			name: 'jobId',
			type: 'string',
			default: '',
			placeholder: 'e.g. job-abc12345',
			description: 'The Impala job of the retry batch. Leave empty to keep the job of the original batch. The job\'s model must match the model of the requests.',
		},
		{
			displayName: 'New Model',
			name: 'model',
			type: 'string',
			default: '',
			placeholder: 'e.g. llama-3.3-70b',
			description: 'The model the retried requests use instead of their own. Leave empty to send them exactly as they were.',
		},
	]),
];

const displayOptions = { show: { resource: ['batch'], operation: ['retryFailed'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Sends again, as a new batch, the requests of a finished batch that failed, got no answer or (when asked)
 * gave an invalid answer. Once per batch: run again, it returns the retry made the first time.
 */
export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal();
	const batchId = readLocator(this, 'batchId', i);
	const options = this.getNodeParameter('options', i, {}) as RetryParameters;
	let answerSchema;
	try {
		answerSchema = options.includeInvalid ? readAnswerSchemaText(options.answerSchema) : undefined;
	} catch (error) {
		if (!(error instanceof AnswerSchemaError)) throw toNodeError(this.getNode(), error, i);
		throw new NodeOperationError(this.getNode(), `Answer Schema: ${error.message}`, {
			itemIndex: i,
			description: 'Give a JSON Schema such as {"type": "object", "properties": {"score": {"type": "number"}}}, or leave it empty to use the schema the batch\'s requests asked for.',
		});
	}
	const batch = await client.batches.get(batchId, { signal });
	let created: Batch | undefined;
	const result = await retryFailedRequests(client, batch, {
		includeInvalid: options.includeInvalid === true,
		answerSchema,
		model: options.model?.trim() || undefined,
		jobId: options.jobId?.trim() || undefined,
		signal,
		onBatchCreated: (retry) => {
			created = retry;
			logBatchCreated(this, retry, false, i);
		},
	}).catch((error: unknown) => {
		// Once the retry batch exists, any later failure must say so: it is not created again.
		throw created ? batchCreatedError(this, created, error, i) : toNodeError(this.getNode(), error, i);
	});
	for (const note of result.notes) this.logger.warn(`Impala: ${note}`);
	return [toItem(retryItemJson(batch, result, options.includeInvalid === true), i)];
}
