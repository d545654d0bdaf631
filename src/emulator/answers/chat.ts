import { stableHash } from '../ids';
import { answerText, isJsonFormat, lastUserText, usageOf, type TokenUsage } from './text';

export interface AnswerBody {
	body: Record<string, unknown>;
	usage: TokenUsage;
}

function firstToolName(tools: unknown): string | undefined {
	if (!Array.isArray(tools) || tools.length === 0) return undefined;
	const tool = tools[0] as { function?: { name?: unknown }; name?: unknown };
	const name = tool?.function?.name ?? tool?.name;
	return typeof name === 'string' ? name : 'tool';
}

export function answerChat(body: Record<string, unknown>, seed: string, created: number): AnswerBody {
	const text = lastUserText(body.messages);
	const toolName = text.includes('[[tool]]') ? firstToolName(body.tools) : undefined;
	const content = toolName ? null : answerText('Answer to: ', text, isJsonFormat(body.response_format));
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
