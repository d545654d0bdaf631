import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { requireId } from '../../../src/client/ids';

/** An output item for an API object, paired with the input item it came from. */
export function toItem(json: object, itemIndex: number): INodeExecutionData {
	return { json: json as IDataObject, pairedItem: { item: itemIndex } };
}

/** The editor's name of each resource locator field, and what it holds. */
const LOCATORS: Record<string, { label: string; what: 'batch' | 'file' }> = {
	batchId: { label: 'Batch', what: 'batch' },
	fileId: { label: 'File', what: 'file' },
	inputFileId: { label: 'Input File', what: 'file' },
};

/**
 * The ID picked in a resource locator parameter (from the list or typed in), trimmed and checked by the
 * client's ID rule before any request; a refused ID is an error naming the field.
 */
export function readLocator(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) ?? '');
	const { label, what } = LOCATORS[name] ?? { label: name, what: 'file' };
	try {
		return requireId(value, what);
	} catch (error) {
		const reason = (error as Error).message;
		throw new NodeOperationError(ctx.getNode(), `${label}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`, {
			itemIndex,
			description: `Pick the ${what} from the list in "${label}", or give its ID exactly as Impala shows it. If it comes from an expression, check what the expression gives for this item.`,
		});
	}
}
