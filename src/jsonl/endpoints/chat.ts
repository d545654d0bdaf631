import { chatResponseFormat, generationFieldAt, setTemperature } from './generationOptions';
import type { BuiltBody, ChatInput } from './types';

export function buildChatBody(input: ChatInput): BuiltBody {
	const messages: unknown[] = [];
	const origins: string[] = [];
	if (input.systemMessage) {
		messages.push({ role: 'system', content: input.systemMessage });
		origins.push('System Message');
	}
	(input.extraMessages ?? []).forEach((message, index) => {
		messages.push(message);
		origins.push(`Extra Messages (message ${index + 1})`);
	});
	if (input.userMessage !== undefined) {
		messages.push({ role: 'user', content: input.userMessage });
		origins.push('User Message');
	}
	const body: Record<string, unknown> = { model: input.model, messages };
	setTemperature(body, input.temperature);
	if (input.maxTokens !== undefined) body.max_tokens = input.maxTokens;
	const responseFormat = chatResponseFormat(input.responseFormat);
	if (responseFormat) body.response_format = responseFormat;
	return {
		body,
		fieldAt: (path) => {
			const [key, index] = path;
			if (key === 'messages') return typeof index === 'number' ? origins[index] : 'User Message';
			return generationFieldAt(path);
		},
	};
}
