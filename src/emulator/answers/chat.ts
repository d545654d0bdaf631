import { stableHash } from '../ids';
import { answerFormatOf, answerText, lastUserText, usageOf, type TokenUsage } from './text';

export interface AnswerBody {
	body: Record<string, unknown>;
	usage: TokenUsage;
}

/** What an answerer knows besides the body. */
export interface AnswerSeed {
	/** `<batch id>:<custom_id>`: the answer's ids derive from it. */
	seed: string;
	customId: string;
	created: number;
	/** `breakSchema` / `notJson` for this request (see answerFaults.ts). */
	fault?: 'breakSchema' | 'notJson';
}

function firstToolName(tools: unknown): string | undefined {
	if (!Array.isArray(tools) || tools.length === 0) return undefined;
	const tool = tools[0] as { function?: { name?: unknown }; name?: unknown };
	const name = tool?.function?.name ?? tool?.name;
	return typeof name === 'string' ? name : 'tool';
}

export function answerChat(body: Record<string, unknown>, { seed, customId, created, fault }: AnswerSeed): AnswerBody {
	const text = lastUserText(body.messages);
	const toolName = text.includes('[[tool]]') ? firstToolName(body.tools) : undefined;
	const content = toolName
		? null
		: answerText({ prefix: 'Answer to: ', text, format: answerFormatOf(body.response_format), customId, fault });
	const toolArguments = JSON.stringify({ text });
	const usage = usageOf(JSON.stringify(body.messages ?? ''), content ?? toolArguments);
	const message: Record<string, unknown> = { role: 'assistant', content, refusal: null };
	if (toolName) {
		message.tool_calls = [
			{ id: `call_${stableHash(`${seed}:tool`)}`, type: 'function', function: { name: toolName, arguments: toolArguments } },
		];
	}
	return {
		usage,
		body: {
			id: `chatcmpl-${stableHash(seed)}`,
			object: 'chat.completion',
			created,
			model: body.model,
			choices: [{ index: 0, message, logprobs: null, finish_reason: toolName ? 'tool_calls' : 'stop' }],
			usage,
		},
	};
}
