import { generationFieldAt, responsesTextFormat, setTemperature } from './generationOptions';
import type { BuiltBody, ResponsesInput } from './types';

export function buildResponsesBody(input: ResponsesInput): BuiltBody {
	const body: Record<string, unknown> = { model: input.model };
	if (input.instructions) body.instructions = input.instructions;
	body.input = input.input;
	setTemperature(body, input.temperature);
	if (input.maxTokens !== undefined) body.max_output_tokens = input.maxTokens;
	const text = responsesTextFormat(input.responseFormat);
	if (text) body.text = text;
	const fields: Record<string, string> = { instructions: 'Instructions', input: 'Input' };
	return { body, fieldAt: (path) => (typeof path[0] === 'string' && fields[path[0]]) || generationFieldAt(path) };
}
