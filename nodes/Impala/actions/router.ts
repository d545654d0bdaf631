import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { ImpalaClient } from '../../../src/client';
import { getImpalaClient } from '../../shared/client';
import { errorItem, toNodeError } from '../../shared/errors';
import { routeResultItems } from '../../shared/results';
import * as batch from './batch/Batch.resource';
import * as file from './file/File.resource';
import type { OperationExecute } from './types';

const OPERATIONS: Record<string, Record<string, OperationExecute>> = {
	batch: {
		create: batch.create.execute,
		get: batch.get.execute,
		getAll: batch.getAll.execute,
		cancel: batch.cancel.execute,
		getResults: batch.getResults.execute,
		retryFailed: batch.retryFailed.execute,
	},
	file: {
		upload: file.upload.execute,
		get: file.get.execute,
		getAll: file.getAll.execute,
		download: file.download.execute,
		delete: file.deleteFile.execute,
	},
};

/**
 * Runs the chosen operation once per input item. Every failure, building the client included, becomes a
 * node error naming the item; with Continue On Fail it becomes an `{error}` item paired with its input
 * (beside the batch when one was created) and the other items go on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = OPERATIONS[resource]?.[operation];
	const getResults = resource === 'batch' && operation === 'getResults';
	const separate = getResults && this.getNodeParameter('options.separateOutputs', 0, false) === true;
	// Get Results' summary items go to a last output (see configuredOutputs).
	const summary = getResults && this.getNodeParameter('options.includeSummary', 0, false) === true;
	let client: ImpalaClient | undefined;
	const items = this.getInputData();
	const main: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const summaries: INodeExecutionData[] = [];
	const outputs = [main, ...(separate ? [failed] : []), ...(summary ? [summaries] : [])];
	for (let i = 0; i < items.length; i++) {
		try {
			if (!execute) {
				throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`, {
					itemIndex: i,
					description: 'Open the node and choose the resource and operation again.',
				});
			}
			client ??= await getImpalaClient(this);
			const produced = await execute.call(this, i, client);
			if (getResults) routeResultItems(produced, { separate, summary }, outputs);
			// A loop, not push(...items): a list operation can produce many items, too many for spread arguments.
			else for (const item of produced) main.push(item);
		} catch (error) {
			const nodeError = toNodeError(this.getNode(), error, i);
			if (!this.continueOnFail()) throw nodeError;
			(separate ? failed : main).push(errorItem(nodeError, { item: i }));
		}
	}
	return outputs;
}
