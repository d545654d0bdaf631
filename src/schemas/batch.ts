import { z } from 'zod';
import {
	BatchEndpointSchema,
	ExpiresAfterSchema,
	MetadataSchema,
	nullableNumber,
	nullableString,
} from './common';

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

/** The body of POST /v1/batches. Strict: this is what we send. */
export const CreateBatchBodySchema = z
	.object({
		input_file_id: z.string().min(1, 'The input file ID is required'),
		endpoint: BatchEndpointSchema,
		completion_window: z.string().min(1).default(DEFAULT_COMPLETION_WINDOW),
		job_id: z.string().min(1).optional(),
		metadata: MetadataSchema.optional(),
		output_expires_after: ExpiresAfterSchema.optional(),
	})
	.strict();
export type CreateBatchBody = z.input<typeof CreateBatchBodySchema>;

/** `error_file_id` may be `""` on some deployments: treat it as absent. */
export function presentFileId(id: string | null | undefined): string | undefined {
	return id ? id : undefined;
}
