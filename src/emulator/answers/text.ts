import type { AnswerFaultKind } from '../answerFaults';
import { breakValue } from './breakSchema';
import { valueFromSchema } from './fromSchema';

/** Text of a message `content`: a string, or the `text` of its text parts. */
export function contentText(content: unknown): string {
	if (typeof content === 'string') return content;
	if (!Array.isArray(content)) return '';
	return content
		.map((part) => (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : ''))
		.filter((text) => text !== '')
		.join(' ');
}

/** The text of the last `user` message of a chat `messages` array or a responses `input` array. */
export function lastUserText(messages: unknown): string {
	if (typeof messages === 'string') return messages;
	if (!Array.isArray(messages)) return '';
	for (let i = messages.length - 1; i >= 0; i--) {
		const message = messages[i] as { role?: unknown; content?: unknown } | null;
		if (message && typeof message === 'object' && (message.role === 'user' || message.role === undefined)) {
			const text = contentText(message.content);
			if (text !== '') return text;
		}
	}
	return '';
}

/** A deterministic token estimate (about four characters a token, at least one). */
export function countTokens(text: string): number {
	return Math.max(1, Math.ceil(text.length / 4));
}

export interface TokenUsage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
}

export function usageOf(promptText: string, completionText: string): TokenUsage {
	const prompt = countTokens(promptText);
	const completion = completionText === '' ? 0 : countTokens(completionText);
	return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** What the request asked the answer to look like. */
export type AnswerFormat = { kind: 'text' } | { kind: 'json_object' } | { kind: 'json_schema'; schema: unknown };

/** Chat `response_format` or responses `text.format` (their json_schema shapes differ: nested vs flat). */
export function answerFormatOf(format: unknown): AnswerFormat {
	if (!format || typeof format !== 'object') return { kind: 'text' };
	const { type, json_schema: nested, schema } = format as { type?: unknown; json_schema?: { schema?: unknown }; schema?: unknown };
	if (type === 'json_object') return { kind: 'json_object' };
	if (type === 'json_schema') return { kind: 'json_schema', schema: nested && typeof nested === 'object' ? nested.schema : schema };
	return { kind: 'text' };
}

export interface AnswerRequest {
	/** "Answer to: " / ... */
	prefix: string;
	/** The prompt (last user text). */
	text: string;
	format: AnswerFormat;
	/** Varies the choices of schema answers: the custom_id. */
	customId: string;
	/** An answer fault for this request (never `fail`: failures do not reach the answerers). */
	fault?: AnswerFaultKind;
}

/**
 * The answer text: `<prefix><text>`; `{"answer": ...}` for json_object; JSON built from the schema for
 * json_schema. A `notJson` fault gives a sentence that is not JSON; `breakSchema` JSON that breaks the
 * schema (not JSON when there is no schema, or no way to break it).
 */
export function answerText(request: AnswerRequest): string {
	const answer = `${request.prefix}${request.text}`;
	const { format, fault } = request;
	const notJson = `Sorry, I cannot give this as JSON. ${answer}`;
	if (fault === 'notJson') return notJson;
	if (format.kind === 'text') return answer;
	if (format.kind === 'json_object') return fault === 'breakSchema' ? notJson : JSON.stringify({ answer });
	const seed = `${request.customId}\n${request.text}`;
	const value = valueFromSchema(format.schema, seed, request.text, answer);
	if (fault !== 'breakSchema') return JSON.stringify(value);
	const broken = breakValue(format.schema, value, seed);
	return broken === undefined ? notJson : JSON.stringify(broken);
}
