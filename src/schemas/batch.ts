import { z } from 'zod';
import {
	BatchEndpointSchema,
	ExpiresAfterSchema,
	MetadataSchema,
	nullableNumber,
	nullableString,
} from './common';
import { LIMITS } from './limits';
import { addIssue, characterCount, shown } from './rules';

export const RequestCountsSchema = z
	.object({
		total: z.number().default(0),
		completed: z.number().default(0),
		failed: z.number().default(0),
	})
	.passthrough();

export const BatchValidationErrorSchema = z
	.object({
		code: nullableString,
		line: nullableNumber,
		message: nullableString,
		param: nullableString,
	})
	.passthrough();

export const UsageSchema = z
	.object({
		prompt_tokens: nullableNumber,
		completion_tokens: nullableNumber,
		total_tokens: nullableNumber,
	})
	.passthrough();

/** A batch as Impala returns it. Lenient: unknown fields pass through, newer fields may be missing. */
export const BatchSchema = z
	.object({
		id: z.string(),
		object: z.literal('batch').optional(),
		endpoint: z.string(),
		input_file_id: z.string(),
		completion_window: z.string().optional(),
		job_id: nullableString,
		/** One of BATCH_STATUSES; kept a string so a status added by Impala does not break parsing. */
		status: z.string(),
		request_counts: RequestCountsSchema.nullable().optional(),
		output_file_id: nullableString,
		error_file_id: nullableString,
		errors: z
			.object({ object: z.string().optional(), data: z.array(BatchValidationErrorSchema).nullable().optional() })
			.passthrough()
			.nullable()
			.optional(),
		metadata: z.record(z.string(), z.unknown()).nullable().optional(),
		created_at: z.number(),
		in_progress_at: nullableNumber,
		finalizing_at: nullableNumber,
		completed_at: nullableNumber,
		failed_at: nullableNumber,
		expires_at: nullableNumber,
		expired_at: nullableNumber,
		cancelling_at: nullableNumber,
		cancelled_at: nullableNumber,
		model: nullableString,
		price_1m_tokens: nullableNumber,
		processing_cost: nullableNumber,
		usage: UsageSchema.nullable().optional(),
	})
	.passthrough();
export type Batch = z.infer<typeof BatchSchema>;

/** The only completion window Impala accepts, and the one sent when none is given. */
export const DEFAULT_COMPLETION_WINDOW = 'unlimited';

/**
 * The job_id we send: the ID of a job from the Impala console (`job-xxxxxxxx`). Refused before any
 * request: empty, a line break, spaces or other whitespace, a "/" (a pasted page address rather than
 * the ID), or more than LIMITS.maxJobIdLength characters. Readers trim spaces around it first.
 */
export const JobIdSchema = z
	.string({ invalid_type_error: 'job_id must be text' })
	.superRefine((id, ctx) => {
		if (id === '') return addIssue(ctx, 'job_id must not be empty');
		if (/[\r\n]/.test(id)) return addIssue(ctx, `job_id ${shown(id)} has a line break`);
		if (/\s/.test(id)) return addIssue(ctx, `job_id ${shown(id)} has a space in it`);
		if (id.includes('/')) return addIssue(ctx, `job_id ${shown(id)} has a "/" in it, like a web address`);
		const length = characterCount(id);
		if (length > LIMITS.maxJobIdLength) {
			addIssue(ctx, `job_id is ${length} characters long; it can have at most ${LIMITS.maxJobIdLength} characters`);
		}
	});

/** The body of POST /v1/batches. Strict: this is what we send. */
export const CreateBatchBodySchema = z
	.object({
		input_file_id: z.string().min(1, 'The input file ID is required'),
		endpoint: BatchEndpointSchema,
		completion_window: z.string().min(1).default(DEFAULT_COMPLETION_WINDOW),
		job_id: JobIdSchema.optional(),
		metadata: MetadataSchema.optional(),
		output_expires_after: ExpiresAfterSchema.optional(),
	})
	.strict();
export type CreateBatchBody = z.input<typeof CreateBatchBodySchema>;

/** `error_file_id` may be `""` on some deployments: treat it as absent. */
export function presentFileId(id: string | null | undefined): string | undefined {
	return id ? id : undefined;
}
