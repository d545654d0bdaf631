import { normalizeEndpoint } from '../schemas';
import { isRecord } from './classify';
import type { ExtractedAnswer } from './types';

type Extractor = (body: Record<string, unknown>) => ExtractedAnswer;

/** chat: `choices[0].message.content` and `tool_calls`. */
export const extractChat: Extractor = (body) => {
	const choice = firstChoice(body);
	const message = isRecord(choice?.message) ? choice.message : undefined;
	const out: ExtractedAnswer = { answer: message?.content ?? null };
	if (Array.isArray(message?.tool_calls) && message.tool_calls.length > 0) out.tool_calls = message.tool_calls;
	if (choice && 'finish_reason' in choice) out.finish_reason = (choice.finish_reason as string | null) ?? null;
	return out;
};

/**
 * responses: the `output_text` parts of `message` items in `output`, joined; `reasoning` items are skipped
 * (the first output item is not always the message). `function_call` items become `tool_calls`.
 */
export const extractResponses: Extractor = (body) => {
	const output = Array.isArray(body.output) ? body.output : [];
	const texts: string[] = [];
	const toolCalls: unknown[] = [];
	for (const item of output) {
		if (!isRecord(item)) continue;
		if (item.type === 'message' && Array.isArray(item.content)) {
			for (const part of item.content) {
				if (isRecord(part) && part.type === 'output_text' && typeof part.text === 'string') texts.push(part.text);
			}
		} else if (item.type === 'function_call') {
			toolCalls.push(item);
		}
	}
	const out: ExtractedAnswer = { answer: texts.length > 0 ? texts.join('') : null };
	if (toolCalls.length > 0) out.tool_calls = toolCalls;
	return out;
};

/** embeddings: `data[i].embedding`, ordered by `index`. One input gives `embedding`, several give `embeddings`. */
export const extractEmbeddings: Extractor = (body) => {
	const data = Array.isArray(body.data) ? body.data.filter(isRecord) : [];
	const vectors = [...data]
		.sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0))
		.map((entry) => entry.embedding as number[]);
	return vectors.length === 1 ? { embedding: vectors[0] } : { embeddings: vectors };
};

/** completions: `choices[0].text`. */
export const extractCompletions: Extractor = (body) => {
	const choice = firstChoice(body);
	const out: ExtractedAnswer = { answer: typeof choice?.text === 'string' ? choice.text : null };
	if (choice && 'finish_reason' in choice) out.finish_reason = (choice.finish_reason as string | null) ?? null;
	return out;
};

const BY_ENDPOINT: Record<string, Extractor> = {
	'/v1/chat/completions': extractChat,
	'/v1/responses': extractResponses,
	'/v1/embeddings': extractEmbeddings,
	'/v1/completions': extractCompletions,
};

const BY_OBJECT: Record<string, Extractor> = {
	'chat.completion': extractChat,
	response: extractResponses,
	list: extractEmbeddings,
	text_completion: extractCompletions,
};

/** The answer of a successful response body, read the way its endpoint writes it. */
export function extractAnswer(endpoint: string, body: unknown): ExtractedAnswer {
	if (!isRecord(body)) return { answer: body ?? null };
	const extractor =
		BY_ENDPOINT[normalizeEndpoint(endpoint)] ?? (typeof body.object === 'string' ? BY_OBJECT[body.object] : undefined);
	return extractor ? extractor(body) : { answer: body };
}

function firstChoice(body: Record<string, unknown>): Record<string, unknown> | undefined {
	const choices = Array.isArray(body.choices) ? body.choices : [];
	return isRecord(choices[0]) ? choices[0] : undefined;
}
