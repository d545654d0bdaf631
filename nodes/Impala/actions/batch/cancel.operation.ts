import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { ImpalaApiError, type ImpalaClient } from '../../../../src/client';
import { batchLocator } from '../../../shared/descriptions';
import { readLocator, toItem } from '../../helpers/items';

const properties: INodeProperties[] = [batchLocator];

const displayOptions = { show: { resource: ['batch'], operation: ['cancel'] } };

export const description = updateDisplayOptions(displayOptions, properties);

export async function execute(this: IExecuteFunctions, i: number, client: ImpalaClient): Promise<INodeExecutionData[]> {
	const batchId = readLocator(this, 'batchId', i);
	try {
		const batch = await client.batches.cancel(batchId, { signal: this.getExecutionCancelSignal() });
		return [toItem(batch, i)];
	} catch (error) {
		if (error instanceof ImpalaApiError && error.status === 501) {
			throw new NodeOperationError(this.getNode(), `Cancelling batch ${batchId} is not supported by this deployment`, {
				itemIndex: i,
				description:
					'This Impala deployment answers "501 Not Implemented" to cancel requests. Let the batch run to its end, or ask Impala to upgrade the deployment.',
			});
		}
		throw error;
	}
}
