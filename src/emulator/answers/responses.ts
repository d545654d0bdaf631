import { stableHash } from '../ids';
import type { AnswerBody, AnswerSeed } from './chat';
import { answerFormatOf, answerText, lastUserText, usageOf } from './text';

export function answerResponses(body: Record<string, unknown>, { seed, customId, created, fault }: AnswerSeed): AnswerBody {
	const input = lastUserText(body.input);
	const format = (body.text as { format?: unknown } | undefined)?.format;
	const text = answerText({ prefix: 'Answer to: ', text: input, format: answerFormatOf(format), customId, fault });
	const usage = usageOf(`${String(body.instructions ?? '')}${JSON.stringify(body.input ?? '')}`, text);
	const reasoningTokens = Math.min(8, usage.completion_tokens);
	return {
		usage,
		body: {
			id: `resp_${stableHash(seed)}`,
			object: 'response',
			created_at: created,
			status: 'completed',
			model: body.model,
			// Reasoning first: readers must not assume the first output item is the message.
			output: [
				{ type: 'reasoning', id: `rs_${stableHash(`${seed}:rs`)}`, summary: [] },
				{
					type: 'message',
					id: `msg_${stableHash(`${seed}:msg`)}`,
					status: 'completed',
					role: 'assistant',
					content: [{ type: 'output_text', text, annotations: [] }],
				},
			],
			usage: {
				input_tokens: usage.prompt_tokens,
				output_tokens: usage.completion_tokens,
				total_tokens: usage.total_tokens,
				output_tokens_details: { reasoning_tokens: reasoningTokens },
			},
		},
	};
}
