import type { BatchEndpoint } from '../../schemas';

/**
 * The text a model reads from one request body, for the token estimate:
 * - chat completions: the `content` of every message (text, or the `text` of its text parts);
 * - responses: `instructions`, and `input` (text, or the content of its messages);
 * - completions: `prompt`; embeddings: `input` (text or a list of texts).
 * Settings (model, temperature, the JSON schema of the response format, ...) are not counted. Each
 * message (chat messages; for responses the instructions and each input message) is counted as one
 * message for the per-message overhead.
 */
export interface RequestText {
	/** The pieces of text, in order. */
	texts: string[];
	/** Their length in characters (UTF-16 code units, as `String.length`). */
	chars: number;
	/** How many messages they came in (0 for completions and embeddings). */
	messages: number;
}

export function requestText(endpoint: BatchEndpoint, body: Record<string, unknown>): RequestText {
	const out: Collected = { texts: [], chars: 0, messages: 0 };
	collectRequestText(endpoint, body, out);
	return out as RequestText;
}

/** What `requestText` collects; `texts` undefined to count only (no allocation per request). */
export interface Collected {
	texts: string[] | undefined;
	chars: number;
	messages: number;
}

/** `requestText` into `out` (reset first): the estimator's cheap path, called for every request. */
export function collectRequestText(endpoint: BatchEndpoint, body: Record<string, unknown>, out: Collected): void {
	out.chars = 0;
	out.messages = 0;
	switch (endpoint) {
		case '/v1/chat/completions':
			if (Array.isArray(body.messages)) for (const message of body.messages) addMessage(out, message);
			break;
		case '/v1/responses':
			if (typeof body.instructions === 'string' && body.instructions !== '') {
				add(out, body.instructions);
				out.messages++;
			}
			addInput(out, body.input, true);
			break;
		case '/v1/embeddings':
			addInput(out, body.input, false);
			break;
		case '/v1/completions':
			addTexts(out, body.prompt);
			break;
	}
}

function addInput(out: Collected, input: unknown, asMessages: boolean): void {
	if (typeof input === 'string') {
		add(out, input);
		if (asMessages) out.messages++;
		return;
	}
	if (!Array.isArray(input)) return;
	for (const entry of input) {
		if (typeof entry === 'string') add(out, entry);
		else if (typeof entry === 'object' && entry !== null) addMessage(out, entry);
	}
}

function addMessage(out: Collected, message: unknown): void {
	if (typeof message !== 'object' || message === null) return;
	out.messages++;
	addContent(out, (message as { content?: unknown }).content);
}

/** Message content: text, or a list of parts whose `text` is read (images and files are not counted). */
function addContent(out: Collected, content: unknown): void {
	if (typeof content === 'string') {
		add(out, content);
		return;
	}
	if (!Array.isArray(content)) return;
	for (const part of content) {
		if (typeof part === 'string') add(out, part);
		else if (typeof part === 'object' && part !== null) {
			const text = (part as { text?: unknown }).text;
			if (typeof text === 'string') add(out, text);
		}
	}
}

function addTexts(out: Collected, value: unknown): void {
	if (typeof value === 'string') add(out, value);
	else if (Array.isArray(value)) for (const entry of value) if (typeof entry === 'string') add(out, entry);
}

function add(out: Collected, text: string): void {
	if (text === '') return;
	out.texts?.push(text);
	out.chars += text.length;
}
