import type { IDataObject, IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { Batch } from '../../src/schemas';
import { toNodeError } from './errors';

/**
 * Logs a batch the moment it exists, with the execution that created it: a worker that dies later
 * (e.g. during Wait for Completion) must not leave a billed batch that nobody knows of.
 */
export function logBatchCreated(ctx: IExecuteFunctions, batch: Batch, recovered: boolean, itemIndex: number): void {
	ctx.logger.info(`Impala batch ${batch.id} created${recovered ? ' (found by checking Impala after its answer was lost)' : ''}`, {
		batchId: batch.id,
		inputFileId: batch.input_file_id,
		executionId: ctx.getExecutionId(),
		node: ctx.getNode().name,
		itemIndex,
		recovered,
	});
}

/**
 * Any failure after a batch exists (the wait, a status check): the error names the batch and says it
 * was created, so nobody creates it again; the batch rides along for Continue On Fail (see `errorItem`).
 */
export function batchCreatedError(
	ctx: IExecuteFunctions,
	batch: Batch,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
	const created = `Batch ${batch.id} was created`;
	if (!nodeError.message.includes(batch.id) || !/was created/.test(nodeError.message)) {
		nodeError.message = `${created}, but then: ${nodeError.message}`;
	}
	const follow = `The batch was created: do not create it again. To follow it, use Impala → Batch → Get with the ID ${batch.id}, or the Impala Batch Trigger.`;
	if (!String(nodeError.description ?? '').includes('do not create it again')) {
		nodeError.description = [nodeError.description, follow].filter(Boolean).join(' ');
	}
	nodeError.context.batch = batch as unknown as IDataObject;
	return nodeError;
}
