import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** An output item for an API object, paired with the input item it came from. */
export function toItem(json: object, itemIndex: number): INodeExecutionData {
	return { json: json as IDataObject, pairedItem: { item: itemIndex } };
}

/** The value of a resource locator parameter, trimmed. */
export function locatorValue(value: unknown): string {
	return String(value ?? '').trim();
}
