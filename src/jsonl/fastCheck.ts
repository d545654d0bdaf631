import { LIMITS, type BatchEndpoint } from '../schemas';

/**
 * A fast, hand-written check of a request line the Builder made, accepting exactly what the zod
 * schemas in `REQUEST_LINE_SCHEMAS` accept (a test proves the two agree on a large generated corpus).
 * The Builder runs it on every line; only when it says no are the schemas asked, to explain why.
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
	if (typeof customId !== 'string' || customId.length < 1 || customId.length > LIMITS.maxCustomIdLength) return false;
	if (method !== 'POST' || url !== endpoint || !isObject(body)) return false;
	if (!nonEmptyText(body.model)) return false;
	switch (endpoint) {
		case '/v1/chat/completions':
			return nonEmptyArrayOf(body.messages, chatMessage);
		case '/v1/responses':
			return (nonEmptyText(body.input) || nonEmptyArrayOf(body.input, () => true)) && optionalText(body.instructions);
		case '/v1/embeddings':
			return (
				embeddingInput(body.input) &&
				(body.dimensions === undefined || (isInteger(body.dimensions) && (body.dimensions as number) > 0)) &&
				(body.encoding_format === undefined || body.encoding_format === 'float' || body.encoding_format === 'base64')
			);
		case '/v1/completions':
			return nonEmptyText(body.prompt) || nonEmptyArrayOf(body.prompt, nonEmptyText);
		default:
			return false;
	}
}

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function chatMessage(message: unknown): boolean {
	if (!isObject(message) || typeof message.role !== 'string' || !CHAT_ROLES.has(message.role)) return false;
	const content = message.content;
	return content === null || nonEmptyText(content) || nonEmptyArrayOf(content, contentPart);
}

function contentPart(part: unknown): boolean {
	return isObject(part) && nonEmptyText(part.type);
}

function embeddingInput(input: unknown): boolean {
	return (
		nonEmptyText(input) ||
		nonEmptyArrayOf(input, nonEmptyText) ||
		nonEmptyArrayOf(input, isInteger) ||
		nonEmptyArrayOf(input, (tokens) => nonEmptyArrayOf(tokens, isInteger))
	);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyText(value: unknown): boolean {
	return typeof value === 'string' && value.length > 0;
}

function optionalText(value: unknown): boolean {
	return value === undefined || typeof value === 'string';
}

function isInteger(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value);
}

function nonEmptyArrayOf(value: unknown, each: (entry: unknown) => boolean): boolean {
	if (!Array.isArray(value) || value.length === 0) return false;
	for (let i = 0; i < value.length; i++) if (!each(value[i])) return false;
	return true;
}
