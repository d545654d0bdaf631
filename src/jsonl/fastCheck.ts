import { isCustomId, isSayingText, optionalBodyFieldsHold, type BatchEndpoint } from '../schemas';

/**
 * A fast, hand-written check of a request line the Builder made, accepting exactly what the zod
 * schemas in `REQUEST_LINE_SCHEMAS` accept (a test proves the two agree on a large generated corpus
 * and on the schemas' own cases). Each rule's condition is the schemas' own predicate (isCustomId,
 * isSayingText, optionalBodyFieldsHold); this adds the shape around them. The Builder runs it on every
 * line; only when it says no are the schemas asked, to explain why.
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
	if (!isCustomId(customId) || method !== 'POST' || url !== endpoint || !isObject(body)) return false;
	if (!isSayingText(body.model) || !optionalBodyFieldsHold(endpoint, body)) return false;
	switch (endpoint) {
		case '/v1/chat/completions':
			return nonEmptyArrayOf(body.messages, chatMessage);
		case '/v1/responses':
			return (
				(isSayingText(body.input) || nonEmptyArrayOf(body.input, () => true)) &&
				(body.instructions === undefined || isSayingText(body.instructions))
			);
		case '/v1/embeddings':
			return embeddingInput(body.input);
		case '/v1/completions':
			return isSayingText(body.prompt) || nonEmptyArrayOf(body.prompt, isSayingText);
		default:
			return false;
	}
}

const CHAT_ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function chatMessage(message: unknown): boolean {
	if (!isObject(message) || typeof message.role !== 'string' || !CHAT_ROLES.has(message.role)) return false;
	const content = message.content;
	return content === null || isSayingText(content) || nonEmptyArrayOf(content, contentPart);
}

function contentPart(part: unknown): boolean {
	return isObject(part) && typeof part.type === 'string' && part.type.length > 0;
}

function embeddingInput(input: unknown): boolean {
	return (
		isSayingText(input) ||
		nonEmptyArrayOf(input, isSayingText) ||
		nonEmptyArrayOf(input, isInteger) ||
		nonEmptyArrayOf(input, (tokens) => nonEmptyArrayOf(tokens, isInteger))
	);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value);
}

function nonEmptyArrayOf(value: unknown, each: (entry: unknown) => boolean): boolean {
	if (!Array.isArray(value) || value.length === 0) return false;
	for (let i = 0; i < value.length; i++) if (!each(value[i])) return false;
	return true;
}
