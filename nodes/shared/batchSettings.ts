import type { IExecuteFunctions } from 'n8n-workflow';
import type { BatchSettings, CostSettings } from '../../src/jsonl';
import { completionWindowOf } from './descriptions';
import { expiryFromHours } from './expiry';
import { readMetadataPairs, type MetadataPairs } from './metadata';

/** The create-batch options collection: "Options" in Batch → Create, "Batch Options" in the Batch Builder. */
export type BatchOptionsName = 'options' | 'batchOptions';

interface BatchOptions {
	completionWindow?: string;
	metadata?: MetadataPairs;
	outputExpiresAfterHours?: number;
}

/** The one reading of the create-batch fields (Job ID and the options collection); checked by `batchBodyIssues`. */
export function readBatchSettings(ctx: IExecuteFunctions, itemIndex: number, optionsName: BatchOptionsName): BatchSettings {
	const options = ctx.getNodeParameter(optionsName, itemIndex, {}) as BatchOptions;
	const jobId = String(ctx.getNodeParameter('jobId', itemIndex, '') ?? '').trim();
	const { metadata, repeatedKeys } = readMetadataPairs(options.metadata, { trimKeys: true });
	return {
		// Empty means "let Impala choose": left out here so the body checked is the body sent.
		jobId: jobId || undefined,
		completionWindow: completionWindowOf(options.completionWindow),
		metadata,
		outputExpiresAfter: expiryFromHours(options.outputExpiresAfterHours),
		repeatedKeys: repeatedKeys.map(({ key }) => key),
	};
}

/** The Batch Builder's cost options: a price gives the estimated cost; a maximum refuses to upload above it. */
export function readCostSettings(ctx: IExecuteFunctions, itemIndex: number): CostSettings {
	const options = ctx.getNodeParameter('batchOptions', itemIndex, {}) as { pricePerMillionInputTokens?: unknown; maxEstimatedCost?: unknown };
	return {
		pricePerMillion: numberOrUndefined(options.pricePerMillionInputTokens),
		maxCost: numberOrUndefined(options.maxEstimatedCost),
	};
}

/** An option added to the collection is a number (NaN when an expression gives something else); absent is undefined. */
function numberOrUndefined(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	return typeof value === 'number' ? value : Number(value);
}
