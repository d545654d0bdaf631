import { LIMITS, type BatchEndpoint } from '../schemas';

const { temperature, topP, schemaName, maxCustomIdLength } = LIMITS;

/**
 * A fast, hand-written check of a request line the Builder made, accepting exactly what the zod
 * schemas in `REQUEST_LINE_SCHEMAS` accept (a test proves the two agree on a large generated corpus
 * and on the schemas' own cases). The Builder runs it on every line; only when it says no are the
 * schemas asked, to explain why.
 */
export function lineLooksValid(endpoint: BatchEndpoint, line: unknown): boolean {
	if (!isObject(line)) return false;
	let keys = 0;
	for (const key in line) {
		if (!Object.prototype.hasOwnProperty.call(line, key)) continue;
		if (key !== 'custom_id' && key !== 'method' && key !== 'url' && key !== 'body') return false;
		keys++;
	}
	if (keys !== 4) return false;
	const { custom_id: customId, method, url, body } = line;
	if (!customIdOk(customId) || method !== 'POST' || url !== endpoint || !isObject(body)) return false;
	if (!requiredText(body.model)) return false;
	switch (endpoint) {
		case '/v1/chat/completions':
			return (
				nonEmptyArrayOf(body.messages, chatMessage) &&
				sampling(body) &&
				optional(body.max_tokens, positiveWhole) &&
				optional(body.max_completion_tokens, positiveWhole) &&
				optional(body.response_format, chatResponseFormat)
			);
		case '/v1/responses':
			return (
				(requiredText(body.input) || nonEmptyArrayOf(body.input, () => true)) &&
				optional(body.instructions, requiredText) &&
				sampling(body) &&
				optional(body.max_output_tokens, positiveWhole) &&
				optional(body.text, responsesText)
			);
		case '/v1/embeddings':
			return (
				embeddingInput(body.input) &&
				optional(body.dimensions, positiveWhole) &&
				(body.encoding_format === undefined || body.encoding_format === 'float' || body.encoding_format === 'base64')
			);
		case '/v1/completions':
			return (
				(requiredText(body.prompt) || nonEmptyArrayOf(body.prompt, requiredText)) &&
				sampling(body) &&
				optional(body.max_tokens, positiveWhole)
			);
		default:
			return false;
	}
}

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const LINE_BREAK = /[\r\n]/;

function customIdOk(id: unknown): boolean {
	if (typeof id !== 'string' || !requiredText(id) || LINE_BREAK.test(id)) return false;
	// Counted in characters (code points); UTF-16 length is an upper bound, so most IDs need no count.
	return id.length <= maxCustomIdLength || characters(id) <= maxCustomIdLength;
}

function chatMessage(message: unknown): boolean {
	if (!isObject(message) || typeof message.role !== 'string' || !CHAT_ROLES.has(message.role)) return false;
	const content = message.content;
	return content === null || requiredText(content) || nonEmptyArrayOf(content, contentPart);
}

function contentPart(part: unknown): boolean {
	return isObject(part) && typeof part.type === 'string' && part.type.length > 0;
}

function chatResponseFormat(format: unknown): boolean {
	if (!isObject(format) || typeof format.type !== 'string') return false;
	return optional(format.json_schema, (schema) => isObject(schema) && schemaNameOk(schema.name));
}

function responsesText(text: unknown): boolean {
	if (!isObject(text)) return false;
	return optional(text.format, (format) => isObject(format) && typeof format.type === 'string' && optional(format.name, schemaNameOk));
}

function schemaNameOk(name: unknown): boolean {
	return typeof name === 'string' && name !== '' && schemaName.pattern.test(name) && name.length <= schemaName.maxLength;
}

function sampling(body: Record<string, unknown>): boolean {
	return optional(body.temperature, (t) => inRange(t, temperature.min, temperature.max)) && optional(body.top_p, (p) => inRange(p, topP.min, topP.max));
}

function embeddingInput(input: unknown): boolean {
	return (
		requiredText(input) ||
		nonEmptyArrayOf(input, requiredText) ||
		nonEmptyArrayOf(input, isInteger) ||
		nonEmptyArrayOf(input, (tokens) => nonEmptyArrayOf(tokens, isInteger))
	);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Text that says something: not empty, not only spaces or line breaks. */
function requiredText(value: unknown): boolean {
	return typeof value === 'string' && value !== '' && value.trim() !== '';
}

function optional(value: unknown, check: (value: unknown) => boolean): boolean {
	return value === undefined || check(value);
}

function inRange(value: unknown, min: number, max: number): boolean {
	return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

function positiveWhole(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function isInteger(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value);
}

function characters(text: string): number {
	let count = 0;
	for (const _ of text) count++;
	return count;
}

function nonEmptyArrayOf(value: unknown, each: (entry: unknown) => boolean): boolean {
	if (!Array.isArray(value) || value.length === 0) return false;
	for (let i = 0; i < value.length; i++) if (!each(value[i])) return false;
	return true;
}
