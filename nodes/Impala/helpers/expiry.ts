import { NodeOperationError, type INode } from 'n8n-workflow';
import { ExpiresAfterSchema, type ExpiresAfter } from '../../../src/schemas';

/** Hours as shown in the node -> the API's `{anchor, seconds}`; undefined when not set (0 or empty). */
export function expiryFromHours(node: INode, hours: unknown, field: string, itemIndex: number): ExpiresAfter | undefined {
	if (hours === undefined || hours === null || hours === '' || hours === 0) return undefined;
	const parsed = ExpiresAfterSchema.safeParse({ anchor: 'created_at', seconds: Math.round(Number(hours) * 3600) });
	if (!parsed.success) {
		throw new NodeOperationError(node, `${field}: ${parsed.error.issues[0].message}`, {
			itemIndex,
			description: `Set "${field}" to a number of hours from 1 to 720 (30 days), or leave it at 0 for Impala's default.`,
		});
	}
	return parsed.data;
}
