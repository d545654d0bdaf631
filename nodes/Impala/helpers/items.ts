import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** An output item for an API object, paired with the input item it came from. */
export function toItem(json: object, itemIndex: number): INodeExecutionData {
	return { json: json as IDataObject, pairedItem: { item: itemIndex } };
}

/** The ID picked in a resource locator parameter (from the list or typed in), trimmed. */
export function readLocator(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	return String(ctx.getNodeParameter(name, itemIndex, '', { extractValue: true }) ?? '').trim();
}
