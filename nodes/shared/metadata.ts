import { NodeOperationError, type INode, type INodeProperties } from 'n8n-workflow';
import { MetadataSchema, type Metadata } from '../../src/schemas';
import type { FieldOverrides } from './descriptions';

/** The value of a Metadata parameter (fixedCollection `metadata` with entries `pairs: {key, value}`). */
export interface MetadataPairs {
	pairs?: Array<{ key?: unknown; value?: unknown }>;
}

/** A Metadata key/value parameter; each node gives its own description, placeholder and display options. */
export function metadataField(overrides: FieldOverrides): INodeProperties {
	return {
		displayName: 'Metadata',
		name: 'metadata',
		type: 'fixedCollection',
		placeholder: 'Add Metadata Pair',
		default: {},
		typeOptions: { multipleValues: true },
		options: [
			{
				displayName: 'Pair',
				name: 'pairs',
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
		...overrides,
	};
}

export interface MetadataReading {
	metadata: Record<string, string>;
	pairCount: number;
	/** Keys given more than once, with the (1-based) number of the pair that repeats it. */
	repeatedKeys: Array<{ key: string; pair: number }>;
	/** 1-based numbers of the pairs whose key is empty. */
	emptyKeyPairs: number[];
}

/**
 * The one reading of a Metadata parameter: pairs -> record (values as text, a later repeated key wins).
 * Nothing is checked here; each caller decides what a repeated or empty key means for it.
 */
export function readMetadataPairs(input: MetadataPairs | undefined, { trimKeys }: { trimKeys: boolean }): MetadataReading {
	const pairs = input?.pairs ?? [];
	const reading: MetadataReading = { metadata: {}, pairCount: pairs.length, repeatedKeys: [], emptyKeyPairs: [] };
	for (const [index, pair] of pairs.entries()) {
		const rawKey = String(pair.key ?? '');
		const key = trimKeys ? rawKey.trim() : rawKey;
		if (key === '') reading.emptyKeyPairs.push(index + 1);
		if (Object.prototype.hasOwnProperty.call(reading.metadata, key)) reading.repeatedKeys.push({ key, pair: index + 1 });
		reading.metadata[key] = pair.value === undefined || pair.value === null ? '' : String(pair.value);
	}
	return reading;
}

/** The key/value pairs of the Metadata parameter, checked against Impala's limits before any call. */
export function metadataFromPairs(node: INode, input: MetadataPairs | undefined, itemIndex: number): Metadata | undefined {
	const { metadata, pairCount, repeatedKeys } = readMetadataPairs(input, { trimKeys: false });
	if (pairCount === 0) return undefined;
	const fail = (message: string, description: string) => new NodeOperationError(node, message, { itemIndex, description });
	if (repeatedKeys.length > 0) {
		const { key, pair } = repeatedKeys[0];
		throw fail(`Metadata: the key "${key}" is used twice (pair ${pair})`, 'Give every metadata pair its own key.');
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
