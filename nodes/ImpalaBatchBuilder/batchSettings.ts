import type { IExecuteFunctions } from 'n8n-workflow';
import { BuildProblemsError, GROUP_ID_KEY, PART_KEY, partMetadata, type Problem } from '../../src/jsonl';
import {
	CreateBatchBodySchema,
	LIMITS,
	type BatchEndpoint,
	type CreateBatchBody,
	type ExpiresAfter,
	type Metadata,
} from '../../src/schemas';
import { completionWindowOf } from '../shared/descriptions';
import { expiryFromHours } from '../shared/expiry';
import { readMetadataPairs, type MetadataPairs } from '../shared/metadata';

interface BatchOptions {
	completionWindow?: string;
	metadata?: MetadataPairs;
	outputExpiresAfterHours?: number;
}

/** Everything of the create-batch call except the file: read and checked before anything is uploaded. */
export interface BatchSettings {
	jobId?: string;
	completionWindow: string;
	metadata: Metadata;
	outputExpiresAfter?: ExpiresAfter;
	/** Metadata keys given more than once (an error: one value would be lost). */
	repeatedKeys: string[];
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

/** The create-batch body for one part; `group` is set when the rows are split. */
export function createBody(
	settings: BatchSettings,
	endpoint: BatchEndpoint,
	inputFileId: string,
	group?: { id: string; part: number; parts: number },
): CreateBatchBody {
	const metadata = group ? partMetadata(settings.metadata, group.id, group.part, group.parts) : settings.metadata;
	return {
		input_file_id: inputFileId,
		endpoint,
		completion_window: settings.completionWindow,
		...(settings.jobId && { job_id: settings.jobId }),
		...(Object.keys(metadata).length > 0 && { metadata }),
		...(settings.outputExpiresAfter && { output_expires_after: settings.outputExpiresAfter }),
	};
}

/** Checks the body of the last (widest) part against CreateBatchBodySchema, before any upload. */
export function checkBatchSettings(
	settings: BatchSettings,
	endpoint: BatchEndpoint,
	group?: { id: string; parts: number },
): void {
	const problems: Problem[] = settings.repeatedKeys.map((key) => ({
		where: 'Batch Options',
		field: 'Metadata',
		message: `has the key "${key}" more than once.`,
		fix: 'Give each key once.',
	}));
	for (const key of [GROUP_ID_KEY, PART_KEY]) {
		if (group && key in settings.metadata) {
			problems.push({
				where: 'Batch Options',
				field: 'Metadata',
				message: `uses the key "${key}", which the node sets itself when it splits the rows.`,
				fix: 'Rename that key.',
			});
		}
	}
	const body = createBody(settings, endpoint, 'file-to-upload', group && { ...group, part: group.parts });
	const result = CreateBatchBodySchema.safeParse(body);
	if (!result.success) {
		for (const issue of result.error.issues) {
			const field = FIELD_OF[String(issue.path[0])] ?? String(issue.path[0]);
			const key = issue.path[0] === 'metadata' && issue.path.length > 1 ? ` (key "${String(issue.path[1])}")` : '';
			problems.push({ where: 'Batch Options', field, message: `${issue.message}${key}.`, fix: FIX_OF[field] });
		}
	}
	if (problems.length > 0) {
		throw new BuildProblemsError(problems, problems.length, 'The batch options are not valid; nothing was uploaded');
	}
}

const FIELD_OF: Record<string, string> = {
	metadata: 'Metadata',
	output_expires_after: 'Output Expires After (Hours)',
	completion_window: 'Completion Window',
	job_id: 'Job ID',
};

const FIX_OF: Record<string, string> = {
	Metadata: `Keep to ${LIMITS.metadata.maxPairs} pairs (two fewer when splitting), keys of at most ${LIMITS.metadata.maxKeyLength} characters and values of at most ${LIMITS.metadata.maxValueLength}.`,
	'Output Expires After (Hours)': 'Use 1 to 720 hours, or 0 for the default.',
};
