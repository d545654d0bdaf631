import type { z } from 'zod';
import {
	ChatBodySchema,
	CompletionsBodySchema,
	EmbeddingsBodySchema,
	ResponsesBodySchema,
	type BatchEndpoint,
} from '../../schemas';
import { ANSWER_MARKERS, answerFaultFor, type AnswerFault } from '../answerFaults';
import { stableHash } from '../ids';
import { answerChat, type AnswerBody, type AnswerSeed } from './chat';
import { answerCompletions, promptsOf } from './completions';
import { answerEmbeddings, embeddingTexts } from './embeddings';
import { answerResponses } from './responses';
import { lastUserText, type TokenUsage } from './text';

interface EndpointAnswerer {
	schema: z.ZodTypeAny;
	/** The user-facing text a test can mark with `[[fail]]`, `[[invalid]]` or `[[notjson]]`. */
	userText(body: Record<string, unknown>): string;
	answer(body: Record<string, unknown>, seed: AnswerSeed): AnswerBody;
}

const ANSWERERS: Record<BatchEndpoint, EndpointAnswerer> = {
	'/v1/chat/completions': { schema: ChatBodySchema, userText: (b) => lastUserText(b.messages), answer: answerChat },
	'/v1/responses': { schema: ResponsesBodySchema, userText: (b) => lastUserText(b.input), answer: answerResponses },
	'/v1/embeddings': {
		schema: EmbeddingsBodySchema,
		userText: (b) => embeddingTexts(b.input).join('\n'),
		answer: (b) => answerEmbeddings(b),
	},
	'/v1/completions': {
		schema: CompletionsBodySchema,
		userText: (b) => promptsOf(b.prompt).join('\n'),
		answer: answerCompletions,
	},
};

export interface AnswerContext {
	batchId: string;
	createdAt: number;
	failingModel: string;
	/** The model of the batch's job, when the emulator knows the job. */
	jobModel?: string;
	/** The emulator's `answerFaults` rules (checked after the text markers). */
	answerFaults?: readonly AnswerFault[];
	/** Whether the batch is a retry (metadata `retry_of`): rules without `inRetries` skip it. */
	isRetry?: boolean;
}

export type LineAnswer =
	| { ok: true; json: string; usage: TokenUsage }
	| { ok: false; json: string };

interface LineFailure {
	message: string;
	param: string | null;
	code: string;
}

function failureOf(answerer: EndpointAnswerer, body: Record<string, unknown>, ctx: AnswerContext): LineFailure | undefined {
	const parsed = answerer.schema.safeParse(body);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const param = issue.path.join('.') || null;
		return { message: `Invalid request body${param ? ` at '${param}'` : ''}: ${issue.message}`, param, code: 'invalid_request' };
	}
	if (body.model === ctx.failingModel) {
		return { message: `The model '${ctx.failingModel}' failed to answer this request.`, param: 'model', code: 'model_error' };
	}
	if (ctx.jobModel !== undefined && body.model !== ctx.jobModel) {
		return {
			message: `The model '${String(body.model)}' does not match the job's model '${ctx.jobModel}'.`,
			param: 'model',
			code: 'model_mismatch',
		};
	}
	return undefined;
}

/** The answer fault of one request: a marker in its text first, then the emulator's rules. */
function answerFaultOf(answerer: EndpointAnswerer, line: { custom_id: string; body: Record<string, unknown> }, lineNumber: number, ctx: AnswerContext) {
	const text = answerer.userText(line.body);
	const marked = ANSWER_MARKERS.find(([marker]) => text.includes(marker));
	if (marked) return { kind: marked[1], marked: true };
	const kind = answerFaultFor(ctx.answerFaults ?? [], { customId: line.custom_id, lineNumber, isRetry: ctx.isRetry ?? false });
	return kind ? { kind, marked: false } : undefined;
}

/** The output- or error-file line for one request line, in OpenAI's batch output format. */
export function answerLine(
	endpoint: BatchEndpoint,
	line: { custom_id: string; body: Record<string, unknown> },
	ctx: AnswerContext,
	/** 1-based line number in the input file (for the `every` rules). */
	lineNumber = 1,
): LineAnswer {
	const seed = `${ctx.batchId}:${line.custom_id}`;
	const envelope = { id: `batch_req_${stableHash(seed)}`, custom_id: line.custom_id };
	const requestId = `req_${stableHash(`${seed}:request`)}`;
	const answerer = ANSWERERS[endpoint];
	const fault = answerFaultOf(answerer, line, lineNumber, ctx);
	const failure =
		failureOf(answerer, line.body, ctx) ??
		(fault?.kind === 'fail'
			? fault.marked
				? { message: 'The request was marked to fail ([[fail]] in its text).', param: null, code: 'request_failed' }
				: { message: 'The request failed (an emulator answer fault).', param: null, code: 'request_failed' }
			: undefined);
	if (failure) {
		const body = { error: { message: failure.message, type: 'invalid_request_error', param: failure.param, code: failure.code } };
		return {
			ok: false,
			json: JSON.stringify({ ...envelope, response: { status_code: 400, request_id: requestId, body }, error: null }),
		};
	}
	const answerFault = fault?.kind === 'breakSchema' || fault?.kind === 'notJson' ? fault.kind : undefined;
	const { body, usage } = answerer.answer(line.body, { seed, customId: line.custom_id, created: ctx.createdAt, fault: answerFault });
	return {
		ok: true,
		usage,
		json: JSON.stringify({ ...envelope, response: { status_code: 200, request_id: requestId, body }, error: null }),
	};
}
