import { setTemperature } from './generationOptions';
import type { BuiltBody, CompletionsInput } from './types';

const FIELDS: Record<string, string> = {
	model: 'Model',
	prompt: 'Prompt',
	max_tokens: 'Maximum Tokens',
	temperature: 'Temperature',
};

export function buildCompletionsBody(input: CompletionsInput): BuiltBody {
	const body: Record<string, unknown> = { model: input.model, prompt: input.prompt };
	if (input.maxTokens !== undefined) body.max_tokens = input.maxTokens;
	setTemperature(body, input.temperature);
	return { body, fieldAt: ([key]) => (typeof key === 'string' ? FIELDS[key] : undefined) };
}
