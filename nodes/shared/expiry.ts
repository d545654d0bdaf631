import { NodeOperationError, type INode, type INodeProperties } from 'n8n-workflow';
import { EXPIRY_HOURS, SECONDS_PER_HOUR } from '../../src/jsonl';
import { ExpiresAfterSchema, type ExpiresAfter } from '../../src/schemas';

/** An "expires after N hours" option (0 = Impala's default); each use names its own field. */
export function expiryHoursOption(
	field: Pick<INodeProperties, 'displayName' | 'name' | 'description'>,
): INodeProperties {
	return {
		...field,
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: EXPIRY_HOURS.max },
	};
}

/** The "Output Expires After (Hours)" option of creating a batch (Impala node and Batch Builder). */
export const outputExpiryOption: INodeProperties = expiryHoursOption({
	displayName: 'Output Expires After (Hours)',
	name: 'outputExpiresAfterHours',
	description: `Delete the output and error files this many hours after the batch was created (${EXPIRY_HOURS.min} to ${EXPIRY_HOURS.max}). 0 keeps Impala's default.`,
});

/** Hours as shown in the node -> the API's `{anchor, seconds}`, unchecked; undefined when not set (0 or empty). */
export function expiryFromHours(hours: unknown): ExpiresAfter | undefined {
	if (hours === undefined || hours === null || hours === '' || hours === 0) return undefined;
	return { anchor: 'created_at', seconds: Math.round(Number(hours) * SECONDS_PER_HOUR) };
}

/** Like `expiryFromHours`, checked against Impala's limits; the error names `field`. */
export function checkedExpiryFromHours(node: INode, hours: unknown, field: string, itemIndex: number): ExpiresAfter | undefined {
	const expiry = expiryFromHours(hours);
	if (!expiry) return undefined;
	const parsed = ExpiresAfterSchema.safeParse(expiry);
	if (!parsed.success) {
		throw new NodeOperationError(node, `${field}: ${parsed.error.issues[0].message}`, {
			itemIndex,
			description: `Set "${field}" to a number of hours from ${EXPIRY_HOURS.min} to ${EXPIRY_HOURS.max}, or leave it at 0 for Impala's default.`,
		});
	}
	return parsed.data;
}
