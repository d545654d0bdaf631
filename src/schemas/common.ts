import { z } from 'zod';
import { LIMITS } from './limits';

export const BATCH_ENDPOINTS = [
	'/v1/chat/completions',
	'/v1/responses',
	'/v1/embeddings',
	'/v1/completions',
] as const;
export const BatchEndpointSchema = z.enum(BATCH_ENDPOINTS);
export type BatchEndpoint = z.infer<typeof BatchEndpointSchema>;

/** The spec text writes endpoints without the leading slash (`v1/responses`); both forms are accepted. */
export function normalizeEndpoint(endpoint: string): string {
	return endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
}

export const BATCH_STATUSES = [
	'validating',
	'failed',
	'in_progress',
	'finalizing',
	'completed',
	'expired',
	'cancelling',
	'cancelled',
] as const;
export const BatchStatusSchema = z.enum(BATCH_STATUSES);
export type BatchStatus = z.infer<typeof BatchStatusSchema>;
export const TERMINAL_BATCH_STATUSES: readonly BatchStatus[] = ['completed', 'failed', 'expired', 'cancelled'];
export function isTerminalStatus(status: string): boolean {
	return (TERMINAL_BATCH_STATUSES as readonly string[]).includes(status);
}

/** Purposes accepted on upload. */
export const UPLOAD_PURPOSES = ['batch', 'assistants', 'fine-tune', 'vision', 'user_data', 'evals'] as const;
export const UploadPurposeSchema = z.enum(UPLOAD_PURPOSES);
export type UploadPurpose = z.infer<typeof UploadPurposeSchema>;

/** Purposes a listed file may carry (outputs included). */
export const FILE_PURPOSES = [
	'batch',
	'batch_output',
	'assistants',
	'assistants_output',
	'fine-tune',
	'fine-tune-results',
	'vision',
	'user_data',
	'evals',
] as const;

const { maxPairs, maxKeyLength, maxValueLength } = LIMITS.metadata;
export const MetadataSchema = z
	.record(
		z.string().min(1, 'Metadata keys must not be empty').max(maxKeyLength, `Metadata keys can have at most ${maxKeyLength} characters`),
		z.string().max(maxValueLength, `Metadata values can have at most ${maxValueLength} characters`),
	)
	.refine((m) => Object.keys(m).length <= maxPairs, {
		message: `Metadata can have at most ${maxPairs} key/value pairs`,
	});
export type Metadata = z.infer<typeof MetadataSchema>;

export const ExpiresAfterSchema = z.object({
	anchor: z.literal('created_at'),
	seconds: z
		.number()
		.int('Expiry must be a whole number of seconds')
		.min(LIMITS.expirySeconds.min, `Expiry must be at least ${LIMITS.expirySeconds.min} seconds (1 hour)`)
		.max(LIMITS.expirySeconds.max, `Expiry must be at most ${LIMITS.expirySeconds.max} seconds (30 days)`),
});
export type ExpiresAfter = z.infer<typeof ExpiresAfterSchema>;

/** Numbers that may arrive as null or be missing on older deployments. */
export const nullableNumber = z.number().nullable().optional();
export const nullableString = z.string().nullable().optional();
