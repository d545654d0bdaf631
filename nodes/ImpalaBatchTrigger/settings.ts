import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';
import { parseBatchIds, ScopeInputError, type BatchScope } from '../../src/trigger';
import { readMetadataPairs, type MetadataPairs } from '../shared/metadata';
import { readResultSettings, type ResultParameters, type ResultSettings } from '../shared/resultSettings';
import type { TriggerOutput } from './output';

export interface TriggerSettings {
	statuses: string[];
	scope: BatchScope;
	output: TriggerOutput;
	/** Undefined unless the output is results. */
	resultSettings?: ResultSettings;
	includeExisting: boolean;
}

export function readSettings(ctx: IPollFunctions): TriggerSettings {
	const statuses = ctx.getNodeParameter('statuses', []) as string[];
	if (statuses.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Choose at least one status in "Trigger On"');
	}
	const options = ctx.getNodeParameter('options', {}) as { includeExisting?: boolean };
	const output = ctx.getNodeParameter('output', 'batch') as TriggerOutput;
	return {
		statuses,
		scope: readScope(ctx),
		output,
		resultSettings:
			output === 'results'
				? readResultSettings(ctx.getNode(), ctx.getNodeParameter('resultOptions', {}) as ResultParameters)
				: undefined,
		includeExisting: options.includeExisting === true,
	};
}

function readScope(ctx: IPollFunctions): BatchScope {
	const kind = ctx.getNodeParameter('scope', 'all') as BatchScope['kind'];
	// A ScopeInputError thrown here becomes a NodeOperationError in poll(), like every other error.
	switch (kind) {
		case 'jobId': {
			const jobId = String(ctx.getNodeParameter('jobId', '')).trim();
			if (!jobId) {
				throw new NodeOperationError(ctx.getNode(), 'Enter the job ID in "Job ID", or choose another "Watch" option');
			}
			return { kind, jobId };
		}
		case 'metadata': {
			const metadata = ctx.getNodeParameter('metadata', {}) as MetadataPairs;
			return { kind, metadata: parseMetadataPairs(metadata.pairs) };
		}
		case 'batchIds':
			return { kind, ids: parseBatchIds(ctx.getNodeParameter('batchIds', '')) };
		default:
			return { kind: 'all' };
	}
}

/** Metadata pairs from the "Metadata" field; every key must be filled in. */
export function parseMetadataPairs(pairs: MetadataPairs['pairs']): Record<string, string> {
	const { metadata, emptyKeyPairs, repeatedKeys } = readMetadataPairs({ pairs }, { trimKeys: true });
	if (emptyKeyPairs.length > 0) {
		throw new ScopeInputError(`Metadata pair ${emptyKeyPairs[0]} has no key: enter the key or remove the pair`);
	}
	if (repeatedKeys.length > 0) {
		const { key, pair } = repeatedKeys[0];
		throw new ScopeInputError(`Metadata: the key "${key}" is used twice (pair ${pair}): a batch has one value per key, so keep one pair`);
	}
	if (Object.keys(metadata).length === 0) {
		throw new ScopeInputError('Add at least one key/value pair in "Metadata", or choose another scope');
	}
	return metadata;
}
