import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { ImpalaClient } from '../../../../src/client';
import { resultsUnavailable } from '../../../../src/results';
import { batchLocator, optionsCollection, resultOptions } from '../../../shared/descriptions';
import { getResultItems } from '../../../shared/results';
import { readResultSettings, type ResultParameters } from '../../../shared/resultSettings';
import { includeRetriesOption, readsRetries, retryChainItems } from '../../helpers/includeRetries';
import { readLocator } from '../../helpers/items';

const properties: INodeProperties[] = [
	batchLocator,
	optionsCollection([
		...resultOptions,
		includeRetriesOption,
		{
			displayName: 'Separate Outputs for Failures',
			name: 'separateOutputs',
			type: 'boolean',
			default: false,
			description:
				'Whether to send succeeded requests to the first output and failed, missing or invalid ones to a second output',
		},
	]),
];

const displayOptions = { show: { resource: ['batch'], operation: ['getResults'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * One item per request of the batch, in input-file order: status succeeded, failed (in the error file or
 * failed in the output file), missing (in neither: expired or cancelled batches) or invalid (an answer
 * that is not JSON or breaks the schema). The options are checked before anything is read.
 */
export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal();
	const batchId = readLocator(this, 'batchId', i);
	const settings = readResultSettings(this.getNode(), this.getNodeParameter('options', i, {}) as ResultParameters, i);
	const batch = await client.batches.get(batchId, { signal });
	const unavailable = resultsUnavailable(batch);
	if (unavailable) {
		throw new NodeOperationError(this.getNode(), unavailable.message, { itemIndex: i, description: unavailable.hint });
	}
	if (readsRetries(this.getNodeParameter('options', i, {}))) return await retryChainItems(this, client, batch, settings, i);
	return await getResultItems(this, client, batch, settings, { pairedItem: { item: i }, itemIndex: i, signal });
}
