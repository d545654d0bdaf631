import {
	CreateBatchBodySchema,
	LIMITS,
	type BatchEndpoint,
	type CreateBatchBody,
	type ExpiresAfter,
	type Metadata,
} from '../schemas';
import { GROUP_ID_KEY, PART_KEY, partMetadata } from './partMetadata';
import { BuildProblemsError, type Problem } from './problems';

/** Everything of the create-batch call except the file: read and checked before anything is uploaded. */
export interface BatchSettings {
	jobId?: string;
	completionWindow: string;
	metadata: Metadata;
	outputExpiresAfter?: ExpiresAfter;
	/** Metadata keys given more than once (an error: one value would be lost). */
	repeatedKeys: string[];
}

/** Which part of a split a batch is: `part` counts from 1 up to `parts`. */
export interface PartGroup {
	id: string;
	part: number;
	parts: number;
}

/** The create-batch body for one part; `group` is set when the rows are split. */
export function createBatchBody(
	settings: BatchSettings,
	endpoint: BatchEndpoint,
	inputFileId: string,
	group?: PartGroup,
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

/**
 * Checks the body of the last (widest) part against CreateBatchBodySchema, before any upload.
 * Throws one BuildProblemsError listing every problem.
 */
export function assertValidBatchSettings(
	settings: BatchSettings,
	endpoint: BatchEndpoint,
	group?: Omit<PartGroup, 'part'>,
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
	const body = createBatchBody(settings, endpoint, 'file-to-upload', group && { ...group, part: group.parts });
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

/** The node field behind each body field, for messages. */
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
