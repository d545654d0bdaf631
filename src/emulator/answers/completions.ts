import { stableHash } from '../ids';
import type { AnswerBody, AnswerSeed } from './chat';
import { usageOf } from './text';

export function promptsOf(prompt: unknown): string[] {
	if (typeof prompt === 'string') return [prompt];
	return Array.isArray(prompt) ? prompt.map((p) => String(p)) : [];
}

export function answerCompletions(body: Record<string, unknown>, { seed, created }: AnswerSeed): AnswerBody {
	const prompts = promptsOf(body.prompt);
	const texts = prompts.map((prompt) => `Completion of: ${prompt}`);
	const usage = usageOf(prompts.join('\n'), texts.join('\n'));
	return {
		usage,
		body: {
			id: `cmpl-${stableHash(seed)}`,
			object: 'text_completion',
			created,
			model: body.model,
			choices: texts.map((text, index) => ({ index, text, logprobs: null, finish_reason: 'stop' })),
			usage,
		},
	};
}
