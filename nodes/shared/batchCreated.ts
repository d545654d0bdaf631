import type { IDataObject, IExecuteFunctions, NodeApiError, NodeOperationError } from 'n8n-workflow';
import { BatchExistsError } from '../../src/batches';
import { ImpalaApiError } from '../../src/client';
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
	const nodeError =
		error instanceof ImpalaApiError
			? toNodeError(ctx.getNode(), error instanceof BatchExistsError ? error : new BatchExistsError(batch, error), itemIndex)
			: ownError(ctx, batch, error, itemIndex);
	nodeError.context.batch = batch as unknown as IDataObject;
	return nodeError;
}

/** The node's own failures after creating (e.g. Max Wait passed) keep their advice and gain the batch's. */
function ownError(ctx: IExecuteFunctions, batch: Batch, error: unknown, itemIndex: number) {
	const nodeError = toNodeError(ctx.getNode(), error, itemIndex);
	if (!nodeError.message.includes(batch.id)) nodeError.message = `Batch ${batch.id} was created, but ${nodeError.message}`;
	const follow = `The batch was created: do not create it again. Follow it with Impala → Batch → Get and the ID ${batch.id}.`;
	nodeError.description = [follow, nodeError.description].filter(Boolean).join(' ');
	return nodeError;
}
