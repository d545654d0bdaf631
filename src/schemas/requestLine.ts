import { z } from 'zod';
import { type BatchEndpoint } from './common';
import { LIMITS } from './limits';
import {
	addIssue,
	characterCount,
	fitsCharacters,
	isBlank,
	isNumberFrom,
	isPositiveWholeNumber,
	isSayingText,
	numberFrom,
	positiveWholeNumber,
	requiredText,
	shown,
} from './rules';

const { temperature, topP, schemaName } = LIMITS;

/**
 * The custom_id of a request line: non-empty, not only spaces, one line, at most 64 characters
 * (counted as characters, as the server counts them).
 */
export const CustomIdSchema = z
	.string({ required_error: 'custom_id is required', invalid_type_error: 'custom_id must be text' })
	.superRefine((id, ctx) => {
		if (isCustomId(id)) return;
		if (id === '') return addIssue(ctx, 'custom_id must not be empty');
		if (isBlank(id)) return addIssue(ctx, 'custom_id has only spaces or line breaks');
		if (/[\r\n]/.test(id)) {
			return addIssue(ctx, `custom_id ${shown(id)} has a line break`, 'Remove the line break: a custom ID is one line of text.');
		}
		const length = characterCount(id);
		if (length > LIMITS.maxCustomIdLength) {
			addIssue(
				ctx,
				`custom_id is ${length} characters long; it can have at most ${LIMITS.maxCustomIdLength} characters`,
				`Shorten it to ${LIMITS.maxCustomIdLength} characters or fewer.`,
			);
		}
	});

/** The custom_id rule as a plain predicate (CustomIdSchema explains a refusal). */
export function isCustomId(id: unknown): boolean {
	return isSayingText(id) && !/[\r\n]/.test(id) && fitsCharacters(id, LIMITS.maxCustomIdLength);
}

/** The schema-name rule as a plain predicate (SchemaNameSchema explains a refusal). */
export function isSchemaName(name: unknown): boolean {
	return typeof name === 'string' && name.length <= schemaName.maxLength && schemaName.pattern.test(name);
}

const ModelSchema = requiredText('model');

const TemperatureSchema = numberFrom(
	'temperature',
	temperature.min,
	temperature.max,
	`Use a number from ${temperature.min} (focused) to ${temperature.max} (most varied).`,
);
const TopPSchema = numberFrom('top_p', topP.min, topP.max, `Use a number from ${topP.min} to ${topP.max}.`);

/** The name of a structured-output schema: 1 to 64 letters, digits, _ or -. */
export const SchemaNameSchema = z
	.string({ required_error: 'the schema name is required', invalid_type_error: 'the schema name must be text' })
	.superRefine((name, ctx) => {
		if (isSchemaName(name)) return;
		const fix = `Use only letters, digits, _ and - (at most ${schemaName.maxLength} characters), e.g. "answer" or "ticket_summary".`;
		if (name === '') addIssue(ctx, 'the schema name must not be empty', fix);
		else if (!schemaName.pattern.test(name)) addIssue(ctx, `the schema name ${shown(name)} has characters other than letters, digits, _ and -`, fix);
		else if (name.length > schemaName.maxLength) addIssue(ctx, `the schema name is ${name.length} characters long; it can have at most ${schemaName.maxLength} characters`, fix);
	});

/** Sampling settings every text-generating endpoint shares; only checked when present. */
const samplingFields = {
	temperature: TemperatureSchema.optional(),
	top_p: TopPSchema.optional(),
};

const ContentPartSchema = z
	.object({ type: z.string().min(1) })
	.passthrough();

export const ChatMessageSchema = z
	.object({
		role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
		content: z.union([requiredText('Message content'), z.array(ContentPartSchema).min(1), z.null()]),
	})
	.passthrough();

/** Chat `response_format`: the type is left open; a JSON schema's name follows the naming rule. */
const ChatResponseFormatSchema = z
	.object({
		type: z.string(),
		json_schema: z.object({ name: SchemaNameSchema }).passthrough().optional(),
	})
	.passthrough();

export const ChatBodySchema = z
	.object({
		model: ModelSchema,
		messages: z.array(ChatMessageSchema).min(1, 'messages must hold at least one message'),
		...samplingFields,
		max_tokens: positiveWholeNumber('max_tokens').optional(),
		max_completion_tokens: positiveWholeNumber('max_completion_tokens').optional(),
		response_format: ChatResponseFormatSchema.optional(),
	})
	.passthrough();

/** Responses `text.format`: a JSON schema's name follows the naming rule. */
const ResponsesTextSchema = z
	.object({
		format: z
			.object({ type: z.string(), name: SchemaNameSchema.optional() })
			.passthrough()
			.optional(),
	})
	.passthrough();

export const ResponsesBodySchema = z
	.object({
		model: ModelSchema,
		input: z.union([requiredText('input'), z.array(z.unknown()).min(1, 'input must not be empty')]),
		instructions: requiredText('instructions').optional(),
		...samplingFields,
		max_output_tokens: positiveWholeNumber('max_output_tokens').optional(),
		text: ResponsesTextSchema.optional(),
	})
	.passthrough();

export const EmbeddingsBodySchema = z
	.object({
		model: ModelSchema,
		input: z.union([
			requiredText('input'),
			z.array(requiredText('Each input')).min(1, 'input must not be empty'),
			z.array(z.number().int()).min(1, 'input must not be empty'),
			z.array(z.array(z.number().int()).min(1)).min(1, 'input must not be empty'),
		]),
		dimensions: positiveWholeNumber('dimensions').optional(),
		encoding_format: z.enum(['float', 'base64']).optional(),
	})
	.passthrough();

export const CompletionsBodySchema = z
	.object({
		model: ModelSchema,
		prompt: z.union([requiredText('prompt'), z.array(requiredText('Each prompt')).min(1, 'prompt must not be empty')]),
		...samplingFields,
		max_tokens: positiveWholeNumber('max_tokens').optional(),
	})
	.passthrough();

/**
 * The rules on a body's optional settings (temperature, top_p, token limits, dimensions, the name of a
 * JSON schema) as one plain predicate, for fast checks of whole lines: true exactly when the body
 * schema of `endpoint` accepts those fields (the required fields are not looked at here).
 */
export function optionalBodyFieldsHold(endpoint: BatchEndpoint, body: Record<string, unknown>): boolean {
	const absentOr = (key: string, holds: (value: unknown) => boolean) => body[key] === undefined || holds(body[key]);
	const sampling = () =>
		absentOr('temperature', (t) => isNumberFrom(t, temperature.min, temperature.max)) &&
		absentOr('top_p', (p) => isNumberFrom(p, topP.min, topP.max));
	switch (endpoint) {
		case '/v1/chat/completions':
			return (
				sampling() &&
				absentOr('max_tokens', isPositiveWholeNumber) &&
				absentOr('max_completion_tokens', isPositiveWholeNumber) &&
				absentOr('response_format', (f) => isRecord(f) && typeof f.type === 'string' && (f.json_schema === undefined || (isRecord(f.json_schema) && isSchemaName(f.json_schema.name))))
			);
		case '/v1/responses':
			return (
				sampling() &&
				absentOr('max_output_tokens', isPositiveWholeNumber) &&
				absentOr('text', (t) => isRecord(t) && (t.format === undefined || (isRecord(t.format) && typeof t.format.type === 'string' && (t.format.name === undefined || isSchemaName(t.format.name)))))
			);
		case '/v1/embeddings':
			return absentOr('dimensions', isPositiveWholeNumber) && absentOr('encoding_format', (f) => f === 'float' || f === 'base64');
		case '/v1/completions':
			return sampling() && absentOr('max_tokens', isPositiveWholeNumber);
		default:
			return false;
	}
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
