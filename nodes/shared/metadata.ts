import type { INodeProperties } from 'n8n-workflow';
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
