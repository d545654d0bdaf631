import {
	BATCH_ENDPOINTS,
	CreateBatchBodySchema,
	DEFAULT_COMPLETION_WINDOW,
	LIMITS,
	type BatchEndpoint,
	type CreateBatchBody,
	type ExpiresAfter,
	type Metadata,
} from '../schemas';
import { partMetadata, SPLIT_METADATA_KEYS } from './partMetadata';
import { BuildProblemsError, type Problem } from './problems';

/** Everything of the create-batch call except the file and the endpoint, as read from a node. */
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

/** One thing wrong with a create-batch body: the editor field at fault, what is wrong and what to do. */
export interface BatchBodyIssue {
	field: string;
	message: string;
	fix?: string;
}

export const SECONDS_PER_HOUR = 3_600;

/** The output expiry a batch accepts, in the hours the nodes ask for. */
export const EXPIRY_HOURS = {
	min: LIMITS.expirySeconds.min / SECONDS_PER_HOUR,
	max: LIMITS.expirySeconds.max / SECONDS_PER_HOUR,
} as const;

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
 * Every problem of the body these settings make (for a split, the body of the last, widest part),
 * checked against CreateBatchBodySchema before any call. Empty when the body is valid.
 */
export function batchBodyIssues(
	settings: BatchSettings,
	endpoint: string,
	inputFileId: string,
	group?: Omit<PartGroup, 'part'>,
): BatchBodyIssue[] {
	const metadataFix = metadataFixFor(group !== undefined);
	const issues: BatchBodyIssue[] = settings.repeatedKeys.map((key) => ({
		field: 'Metadata',
		message: `has the key "${key}" more than once`,
		fix: 'Give each key once.',
	}));
	for (const key of SPLIT_METADATA_KEYS) {
		if (group && key in settings.metadata) {
			issues.push({
				field: 'Metadata',
				message: `uses the key "${key}", which the node sets itself when it splits the rows`,
				fix: 'Rename that key.',
			});
		}
	}
	const body = createBatchBody(settings, endpoint as BatchEndpoint, inputFileId, group && { ...group, part: group.parts });
	const result = CreateBatchBodySchema.safeParse(body);
	if (!result.success) {
		for (const issue of result.error.issues) {
			const bodyField = String(issue.path[0]);
			const key = bodyField === 'metadata' && issue.path.length > 1 ? ` (key "${String(issue.path[1])}")` : '';
			const { label, fix } = BODY_FIELDS[bodyField] ?? { label: bodyField };
			issues.push({ field: `${label}${key}`, message: issue.message, fix: bodyField === 'metadata' ? metadataFix : fix });
		}
	}
	return issues;
}

/** The Batch Builder's check, before anything is uploaded: one BuildProblemsError listing every problem. */
export function assertValidBatchSettings(
	settings: BatchSettings,
	endpoint: BatchEndpoint,
	group?: Omit<PartGroup, 'part'>,
): void {
	const problems: Problem[] = batchBodyIssues(settings, endpoint, 'file-to-upload', group).map((issue) => ({
		where: 'Batch Options',
		field: issue.field,
		message: `${issue.message}.`,
		fix: issue.fix,
	}));
	if (problems.length > 0) {
		throw new BuildProblemsError(problems, problems.length, 'The batch options are not valid; nothing was uploaded');
	}
}

function metadataFixFor(splitting: boolean): string {
	const { maxPairs, maxKeyLength, maxValueLength } = LIMITS.metadata;
	const splitNote = splitting
		? ` (${SPLIT_METADATA_KEYS.length} fewer when splitting: the node adds ${SPLIT_METADATA_KEYS.join(' and ')})`
		: '';
	return (
		`Impala accepts at most ${maxPairs} metadata pairs${splitNote}, keys of 1 to ${maxKeyLength} characters ` +
		`and values of at most ${maxValueLength} characters. Shorten or remove pairs.`
	);
}

/** The editor field behind each body field, and what to do when it is wrong (metadata: see metadataFixFor). */
const BODY_FIELDS: Record<string, { label: string; fix?: string }> = {
	input_file_id: {
		label: 'Input File',
		fix: 'Pick a file from the list in "Input File", or give the ID of a file uploaded with purpose "batch" (e.g. by File → Upload or the Impala Batch Builder). If it comes from an expression, check that the expression gives a file ID.',
	},
	endpoint: {
		label: 'Endpoint',
		fix: `Pick one of the endpoints in the list. If it comes from an expression, it must give ${listOf(BATCH_ENDPOINTS)}.`,
	},
	metadata: { label: 'Metadata' },
	output_expires_after: {
		label: 'Output Expires After (Hours)',
		fix: `Use ${EXPIRY_HOURS.min} to ${EXPIRY_HOURS.max} hours, or 0 for the default.`,
	},
	completion_window: { label: 'Completion Window', fix: `Leave it empty to send "${DEFAULT_COMPLETION_WINDOW}", the only window Impala accepts.` },
	job_id: { label: 'Job ID', fix: 'Give the job ID from the Impala console, or leave it empty to let Impala choose.' },
};

function listOf(items: readonly string[]): string {
	return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
