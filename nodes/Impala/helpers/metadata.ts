import { NodeOperationError, type INode } from 'n8n-workflow';
import { MetadataSchema, type Metadata } from '../../../src/schemas';

export interface MetadataPairs {
	pairs?: Array<{ key?: string; value?: unknown }>;
}

/** The key/value pairs of the Metadata parameter, checked against Impala's limits before any call. */
export function metadataFromPairs(node: INode, input: MetadataPairs | undefined, itemIndex: number): Metadata | undefined {
	const pairs = input?.pairs ?? [];
	if (pairs.length === 0) return undefined;
	const fail = (message: string, description: string) => new NodeOperationError(node, message, { itemIndex, description });
	const metadata: Record<string, string> = {};
	for (const [index, pair] of pairs.entries()) {
		const key = String(pair.key ?? '');
		if (Object.prototype.hasOwnProperty.call(metadata, key)) {
			throw fail(`Metadata: the key "${key}" is used twice (pair ${index + 1})`, 'Give every metadata pair its own key.');
		}
		metadata[key] = pair.value === undefined || pair.value === null ? '' : String(pair.value);
	}
	const parsed = MetadataSchema.safeParse(metadata);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const where = issue.path.length ? ` (key "${String(issue.path[0])}")` : '';
		throw fail(
			`Metadata${where}: ${issue.message}`,
			'Impala accepts at most 16 metadata pairs, keys of 1 to 64 characters and values of at most 512 characters. Shorten or remove pairs.',
		);
	}
	return parsed.data;
}
