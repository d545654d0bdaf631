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

/** The answer text, or its JSON form when the request asked for JSON output. */
export function answerText(prefix: string, text: string, wantsJson: boolean): string {
	const answer = `${prefix}${text}`;
	return wantsJson ? JSON.stringify({ answer }) : answer;
}

export function isJsonFormat(format: unknown): boolean {
	const type = format && typeof format === 'object' ? (format as { type?: unknown }).type : undefined;
	return type === 'json_object' || type === 'json_schema';
}
