import { BATCH_ENDPOINTS, BatchEndpointSchema, shown, type BatchEndpoint } from '../../../src/schemas';
import {
	BuildProblemsError,
	RowFieldError,
	type EndpointInput,
	type ResponseFormat,
	type RowRequest,
	type SchemaType,
	responseSchema,
} from '../../../src/jsonl';
import { ENDPOINT_OPTIONS } from '../../shared/descriptions';
import { numberOf, type FieldReader } from './fieldReader';

export type RowRead = Omit<RowRequest, 'customId'> & { customId?: string };

/** One row's request from the node's fields, for the chosen endpoint. */
export function readRequest(reader: FieldReader, endpoint: BatchEndpoint, customIdFromField: boolean): RowRead {
	const customId = customIdFromField ? reader.text('customId') : undefined;
	const additionalBody = asObject(reader.json('options.additionalBodyFields'), 'Additional Body Fields');
	return { customId, input: readInput(reader, endpoint), additionalBody };
}

function readInput(reader: FieldReader, endpoint: BatchEndpoint): EndpointInput {
	const model = reader.text('model');
	switch (endpoint) {
		case '/v1/chat/completions': {
			const extraMessages = readExtraMessages(reader);
			const userMessage =
				reader.isBlank('userMessage') && extraMessages.length > 0 ? undefined : reader.text('userMessage');
			return {
				endpoint,
				model,
				systemMessage: reader.text('systemMessage'),
				extraMessages,
				userMessage,
				...readGeneration(reader),
				responseFormat: readResponseFormat(reader),
			};
		}
		case '/v1/responses':
			return {
				endpoint,
				model,
				instructions: reader.text('instructions'),
				input: reader.text('responsesInput'),
				...readGeneration(reader),
				responseFormat: readResponseFormat(reader),
			};
		case '/v1/embeddings':
			return {
				endpoint,
				model,
				input: readEmbeddingInput(reader),
				dimensions: orDefault(numberOf('options.dimensions', reader.setting<unknown>('options.dimensions', null), wholeFix('256'))),
				encodingFormat: reader.setting<'float' | 'base64' | null>('options.encodingFormat', null) ?? undefined,
			};
		case '/v1/completions':
			return { endpoint, model, prompt: reader.text('prompt'), ...readGeneration(reader) };
		default:
			throw unknownEndpoint(endpoint);
	}
}

/**
 * The Endpoint setting, checked once before any row is read: exactly one of the four values of the
 * list (the fields the editor shows depend on it, so no other spelling is converted).
 */
export function readEndpoint(value: unknown): BatchEndpoint {
	const parsed = BatchEndpointSchema.safeParse(value);
	if (parsed.success) return parsed.data;
	throw unknownEndpoint(value);
}

function unknownEndpoint(value: unknown): BuildProblemsError {
	const names = ENDPOINT_OPTIONS.map((o) => o.name);
	const listed = `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
	return new BuildProblemsError(
		[
			{
				where: 'Settings',
				field: 'Endpoint',
				message: `${shown(value)} is not a batch endpoint (${BATCH_ENDPOINTS.join(', ')}).`,
				fix: `Pick ${listed} in the Endpoint list.`,
			},
		],
		1,
		'The Endpoint is not one Impala batches can call; nothing was uploaded',
	);
}

function readGeneration(reader: FieldReader): { temperature?: number; maxTokens?: number } {
	return {
		temperature: numberOf('options.temperature', reader.setting<unknown>('options.temperature', null), DECIMAL_FIX),
		maxTokens: orDefault(numberOf('options.maxTokens', reader.setting<unknown>('options.maxTokens', null), wholeFix('500'))),
	};
}

function readResponseFormat(reader: FieldReader): ResponseFormat | undefined {
	const type = reader.setting<string>('responseFormat', 'text');
	if (type === 'json_object') return { type };
	if (type !== 'json_schema') return undefined;
	const schemaType = reader.setting<SchemaType>('schemaType', 'manual') === 'fromJson' ? 'fromJson' : 'manual';
	const strict = reader.setting<boolean>('schemaStrict', false) === true;
	const value = reader.setting<unknown>(schemaType === 'fromJson' ? 'jsonSchemaExample' : 'jsonSchema', '');
	// Checked once per distinct value (cached): a schema that differs per item is checked for each.
	const result = responseSchema(value, schemaType, strict);
	if (!result.ok) throw new RowFieldError(result.field, result.message, result.fix);
	return {
		type,
		name: reader.setting<string>('schemaName', 'answer') || 'answer',
		schema: result.schema,
		...(strict && { strict }),
	};
}

function readExtraMessages(reader: FieldReader): unknown[] {
	const value = reader.json('extraMessages');
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((m) => typeof m !== 'object' || m === null || Array.isArray(m))) {
		throw new RowFieldError(
			'Extra Messages',
			'must be a JSON array of messages.',
			'Write them like [{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}].',
		);
	}
	return value;
}

function readEmbeddingInput(reader: FieldReader): string | string[] {
	if (reader.setting<string>('embeddingInputFrom', 'text') !== 'fields') return reader.textOrList('embeddingInput');
	const names = reader
		.setting<string>('embeddingFields', '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (names.length === 0) {
		throw new RowFieldError('Input Fields or Columns', 'lists no names.', 'Give one or more names separated by commas.');
	}
	const values = reader.fields(names);
	return values.length === 1 ? values[0] : values;
}

function asObject(value: unknown, field: string): Record<string, unknown> | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new RowFieldError(field, 'must be a JSON object.', 'Write it like {"top_p": 0.9}.');
	}
	return value as Record<string, unknown>;
}

const DECIMAL_FIX = 'Give a number such as 0.7, with a dot for decimals.';
const wholeFix = (example: string) => `Give a whole number such as ${example}, or 0 for the model's default.`;

/** 0 (the option's default) means "the model's default": not sent. Anything else goes to the schema's check. */
function orDefault(value: number | undefined): number | undefined {
	return value === 0 ? undefined : value;
}
