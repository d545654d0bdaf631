import { z } from 'zod';
import { isTerminalStatus, type Batch } from '../schemas';
import type { ResultRow, Usage } from './types';

/** What a batch did and cost. Token fields are absent only when nobody sent them (a batch without `usage`). */
export const BatchSummarySchema = z.object({
	batch_id: z.string(),
	status: z.string(),
	/** Requests in the batch (rows read, or `request_counts.total`). */
	requests: z.number(),
	succeeded: z.number(),
	failed: z.number(),
	/** Requests with no answer in a batch that ended (expired, cancelled). */
	missing: z.number(),
	/** Answers that are not JSON or break the answer schema; only known from the answers (Get Results). */
	invalid: z.number().optional(),
	/** Requests not answered yet, for a batch that has not ended (from the batch object alone). */
	pending: z.number().optional(),
	prompt_tokens: z.number().optional(),
	completion_tokens: z.number().optional(),
	total_tokens: z.number().optional(),
	/** Impala's figures, when the deployment sends them. */
	processing_cost: z.number().optional(),
	price_1m_tokens: z.number().optional(),
	/** From creation to the end (completed, failed, expired or cancelled), in seconds. */
	duration_seconds: z.number().optional(),
	created_at: z.number(),
	completed_at: z.number().optional(),
	/** When the batch ended, whichever way (completed_at, failed_at, expired_at or cancelled_at). */
	ended_at: z.number().optional(),
});
export type BatchSummary = z.infer<typeof BatchSummarySchema>;

export interface RowSummarizer {
	add(row: ResultRow): void;
	/** The summary of the rows added, with the batch's own figures (cost, price, times). */
	result(batch: Batch): BatchSummary;
}

/**
 * Counts rows by status and sums their `usage` (every answered row counts, failed and invalid ones too):
 * add each row once, then `result(batch)`.
 */
export function summarizeRows(): RowSummarizer {
	const counts = { requests: 0, succeeded: 0, failed: 0, missing: 0, invalid: 0 };
	const tokens = { prompt: 0, completion: 0, total: 0 };
	return {
		add(row) {
			counts.requests++;
			counts[row.status]++;
			const used = tokensOf(row.usage);
			tokens.prompt += used.prompt;
			tokens.completion += used.completion;
			tokens.total += used.total;
		},
		result(batch) {
			return {
				...identity(batch),
				...counts,
				prompt_tokens: tokens.prompt,
				completion_tokens: tokens.completion,
				total_tokens: tokens.total,
				...costAndTimes(batch),
			};
		},
	};
}

/** The summary from the batch object alone: counts from `request_counts`, tokens from `usage` when sent. */
export function summarizeBatch(batch: Batch): BatchSummary {
	const { total = 0, completed = 0, failed = 0 } = batch.request_counts ?? {};
	const unanswered = Math.max(0, total - completed - failed);
	const ended = isTerminalStatus(batch.status);
	const summary: BatchSummary = {
		...identity(batch),
		requests: total,
		succeeded: completed,
		failed,
		missing: ended ? unanswered : 0,
		...(!ended && { pending: unanswered }),
		...costAndTimes(batch),
	};
	if (batch.usage) {
		const used = tokensOf(batch.usage);
		summary.prompt_tokens = used.prompt;
		summary.completion_tokens = used.completion;
		summary.total_tokens = used.total;
	}
	return summary;
}

/** Tokens of a `usage` object: chat/completions/embeddings names, or the responses endpoint's input/output names. */
export function tokensOf(usage: Usage | null | undefined): { prompt: number; completion: number; total: number } {
	if (!usage) return { prompt: 0, completion: 0, total: 0 };
	const loose = usage as Record<string, unknown>;
	const prompt = numberOr(usage.prompt_tokens, numberOr(loose.input_tokens, 0));
	const completion = numberOr(usage.completion_tokens, numberOr(loose.output_tokens, 0));
	return { prompt, completion, total: numberOr(usage.total_tokens, prompt + completion) };
}

function identity(batch: Batch) {
	return { batch_id: batch.id, status: batch.status };
}

function costAndTimes(batch: Batch) {
	const end = batch.completed_at ?? batch.failed_at ?? batch.expired_at ?? batch.cancelled_at ?? undefined;
	return {
		...(typeof batch.processing_cost === 'number' && { processing_cost: batch.processing_cost }),
		...(typeof batch.price_1m_tokens === 'number' && { price_1m_tokens: batch.price_1m_tokens }),
		...(end != null && { duration_seconds: Math.max(0, end - batch.created_at) }),
		created_at: batch.created_at,
		...(batch.completed_at != null && { completed_at: batch.completed_at }),
		...(end != null && { ended_at: end }),
	};
}

function numberOr(value: unknown, fallback: number): number {
	return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
