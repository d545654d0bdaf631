import { z } from 'zod';
import { type BatchEndpoint } from './common';
import { LIMITS } from './limits';

const notEmpty = (what: string) => z.string().min(1, `${what} must not be empty`);

export const CustomIdSchema = z
	.string({ required_error: 'custom_id is required', invalid_type_error: 'custom_id must be text' })
	.min(1, 'custom_id must not be empty')
	.max(LIMITS.maxCustomIdLength, `custom_id can have at most ${LIMITS.maxCustomIdLength} characters`);

const ModelSchema = notEmpty('model');

const ContentPartSchema = z
	.object({ type: z.string().min(1) })
	.passthrough();

export const ChatMessageSchema = z
	.object({
		role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
		content: z.union([notEmpty('Message content'), z.array(ContentPartSchema).min(1), z.null()]),
	})
	.passthrough();

export const ChatBodySchema = z
	.object({
		model: ModelSchema,
		messages: z.array(ChatMessageSchema).min(1, 'messages must hold at least one message'),
	})
	.passthrough();

export const ResponsesBodySchema = z
	.object({
		model: ModelSchema,
		input: z.union([notEmpty('input'), z.array(z.unknown()).min(1, 'input must not be empty')]),
		instructions: z.string().optional(),
	})
	.passthrough();

export const EmbeddingsBodySchema = z
	.object({
		model: ModelSchema,
		input: z.union([
			notEmpty('input'),
			z.array(notEmpty('Each input')).min(1, 'input must not be empty'),
			z.array(z.number().int()).min(1, 'input must not be empty'),
			z.array(z.array(z.number().int()).min(1)).min(1, 'input must not be empty'),
		]),
		dimensions: z.number().int().positive().optional(),
		encoding_format: z.enum(['float', 'base64']).optional(),
	})
	.passthrough();

export const CompletionsBodySchema = z
	.object({
		model: ModelSchema,
		prompt: z.union([notEmpty('prompt'), z.array(notEmpty('Each prompt')).min(1, 'prompt must not be empty')]),
	})
	.passthrough();

function requestLine<U extends BatchEndpoint, B extends z.ZodTypeAny>(url: U, body: B) {
	return z
		.object({ custom_id: CustomIdSchema, method: z.literal('POST'), url: z.literal(url), body })
		.strict();
}

/** One JSONL request line per endpoint. Strict on what we send. */
export const REQUEST_LINE_SCHEMAS = {
	'/v1/chat/completions': requestLine('/v1/chat/completions', ChatBodySchema),
	'/v1/responses': requestLine('/v1/responses', ResponsesBodySchema),
	'/v1/embeddings': requestLine('/v1/embeddings', EmbeddingsBodySchema),
	'/v1/completions': requestLine('/v1/completions', CompletionsBodySchema),
} as const;

export const RequestLineSchema = z.discriminatedUnion('url', [
	REQUEST_LINE_SCHEMAS['/v1/chat/completions'],
	REQUEST_LINE_SCHEMAS['/v1/responses'],
	REQUEST_LINE_SCHEMAS['/v1/embeddings'],
	REQUEST_LINE_SCHEMAS['/v1/completions'],
]);
export type RequestLine = z.infer<typeof RequestLineSchema>;
export type ChatBody = z.infer<typeof ChatBodySchema>;
export type ResponsesBody = z.infer<typeof ResponsesBodySchema>;
export type EmbeddingsBody = z.infer<typeof EmbeddingsBodySchema>;
export type CompletionsBody = z.infer<typeof CompletionsBodySchema>;

/** Loose shape used when reading an input file back (emulator, results join): only what we rely on. */
export const LooseRequestLineSchema = z
	.object({
		custom_id: z.string(),
		method: z.string().optional(),
		url: z.string(),
		body: z.record(z.string(), z.unknown()),
	})
	.passthrough();
export type LooseRequestLine = z.infer<typeof LooseRequestLineSchema>;

/** One embedding input: a text or an array of token ids. */
export type EmbeddingInput = string | number[];

/**
 * The separate inputs of an embeddings `input`: a string is one; a (non-empty) array of token ids is
 * one; an array of strings or of token arrays is one per entry; anything else (`[]`, absent) none.
 */
export function embeddingInputsOf(input: unknown): EmbeddingInput[] {
	if (typeof input === 'string') return [input];
	if (!Array.isArray(input) || input.length === 0) return [];
	if (input.every((v) => typeof v === 'number')) return [input as number[]];
	return input.map((v) => (typeof v === 'string' || Array.isArray(v) ? (v as EmbeddingInput) : String(v)));
}

/** How many embedding inputs a body counts for (an input array of 10 counts 10). */
export function countEmbeddingInputs(body: { input?: unknown }): number {
	return embeddingInputsOf(body.input).length;
}
