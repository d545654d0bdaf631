import type { IExecuteFunctions } from 'n8n-workflow';
import type { BatchSettings } from '../../src/jsonl';
import { completionWindowOf } from '../shared/descriptions';
import { expiryFromHours } from '../shared/expiry';
import { readMetadataPairs, type MetadataPairs } from '../shared/metadata';

interface BatchOptions {
	completionWindow?: string;
	metadata?: MetadataPairs;
	outputExpiresAfterHours?: number;
}

export function readBatchSettings(ctx: IExecuteFunctions, itemIndex: number): BatchSettings {
	const options = ctx.getNodeParameter('batchOptions', itemIndex, {}) as BatchOptions;
	const jobId = String(ctx.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
	const { metadata, repeatedKeys } = readMetadataPairs(options.metadata, { trimKeys: true });
	return {
		jobId: jobId || undefined,
		completionWindow: completionWindowOf(options.completionWindow),
		metadata,
		outputExpiresAfter: expiryFromHours(options.outputExpiresAfterHours),
		repeatedKeys: repeatedKeys.map(({ key }) => key),
	};
}
