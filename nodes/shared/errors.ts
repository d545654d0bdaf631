import {
	NodeApiError,
	NodeOperationError,
	type INode,
	type INodeExecutionData,
	type IPairedItemData,
	type JsonObject,
} from 'n8n-workflow';
import { ImpalaApiError } from '../../src/client';

/**
 * The one error mapper of the nodes: an ImpalaApiError becomes a NodeApiError whose description says
 * what to do; any other error becomes a NodeOperationError. Errors already mapped pass through.
 */
export function toNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined && error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof ImpalaApiError) {
		const details: JsonObject = {
			message: error.summary,
			kind: error.kind,
			...(error.status !== undefined && { status: error.status }),
			...(error.type && { type: error.type }),
			...(error.code && { errorCode: error.code }),
			...(error.param && { param: error.param }),
			...(error.requestId && { requestId: error.requestId }),
		};
		const nodeError = new NodeApiError(node, details, {
			message: error.summary,
			description: asSentence(error.hint),
			httpCode: error.status !== undefined ? String(error.status) : undefined,
			itemIndex,
		});
		// NodeApiError swaps messages that mention network codes (ECONNREFUSED, ...) for generic
		// ones; ours already say which server and what to do, so keep them.
		nodeError.message = error.summary;
		nodeError.description = asSentence(error.hint);
		return nodeError;
	}
	const message = error instanceof Error ? error.message : String(error);
	// Core errors may carry their own details (e.g. the list of row problems) and the item at fault.
	const carried = (error ?? {}) as { description?: unknown; itemIndex?: unknown };
	return new NodeOperationError(node, message, {
		itemIndex: typeof carried.itemIndex === 'number' ? carried.itemIndex : itemIndex,
		...(typeof carried.description === 'string' && { description: carried.description }),
	});
}

/**
 * The item that stands for a failure under Continue On Fail: the error's message and what to do, beside
 * the batch when one was created before the failure (see `batchCreatedError`).
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	pairedItem: IPairedItemData | IPairedItemData[],
): INodeExecutionData {
	const batch = error.context.batch;
	return {
		json: {
			...(batch && typeof batch === 'object' && (batch as JsonObject)),
			error: error.message,
			...(error.description && { description: error.description }),
		},
		pairedItem,
	};
}

/** The client's hints are phrases written to follow its summary; n8n shows them on their own. */
function asSentence(hint: string): string {
	const text = hint.trim();
	if (!text) return text;
	const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
	return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
