import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BatchSummarySchema, summarizeBatch, summarizeRows, type ResultRow } from '../../src/results';
import { BatchSchema, type Batch } from '../../src/schemas';

const batch = (fields: Partial<Batch> = {}): Batch =>
	BatchSchema.parse({
		id: 'batch-1',
		endpoint: '/v1/chat/completions',
		input_file_id: 'file-in',
		status: 'completed',
		created_at: 1_000,
		completed_at: 1_090,
		request_counts: { total: 5, completed: 3, failed: 1 },
		processing_cost: 0.0042,
		price_1m_tokens: 0.5,
		usage: { prompt_tokens: 999, completion_tokens: 999, total_tokens: 1998 },
		...fields,
	});

test('summarizeRows counts each status and sums the usage of every row, failed and invalid ones too', () => {
	const rows: ResultRow[] = [
		{ custom_id: 'a', status: 'succeeded', answer: {}, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
		{ custom_id: 'b', status: 'invalid', answer: 'x', usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } },
		{ custom_id: 'c', status: 'failed', error: { code: 'x', message: 'no' }, usage: { prompt_tokens: 2, completion_tokens: 0, total_tokens: 2 } },
		// The responses endpoint's names.
		{ custom_id: 'd', status: 'succeeded', usage: { input_tokens: 4, output_tokens: 6, total_tokens: 10 } as never },
		{ custom_id: 'e', status: 'missing', error: { code: 'missing', message: 'none' } },
	];
	const summary = summarizeRows();
	for (const row of rows) summary.add(row);
	const result = summary.result(batch({ status: 'expired', completed_at: null, expired_at: 1_500 }));
	assert.deepEqual(result, {
		batch_id: 'batch-1',
		status: 'expired',
		requests: 5,
		succeeded: 2,
		failed: 1,
		missing: 1,
		invalid: 1,
		prompt_tokens: 23,
		completion_tokens: 14,
		total_tokens: 37,
		processing_cost: 0.0042,
		price_1m_tokens: 0.5,
		duration_seconds: 500,
		created_at: 1_000,
		ended_at: 1_500,
	});
	assert.ok(BatchSummarySchema.safeParse(result).success);
});

test('summarizeBatch: counts from request_counts, tokens from the batch usage, duration to the end', () => {
	assert.deepEqual(summarizeBatch(batch()), {
		batch_id: 'batch-1',
		status: 'completed',
		requests: 5,
		succeeded: 3,
		failed: 1,
		missing: 1,
		prompt_tokens: 999,
		completion_tokens: 999,
		total_tokens: 1998,
		processing_cost: 0.0042,
		price_1m_tokens: 0.5,
		duration_seconds: 90,
		created_at: 1_000,
		completed_at: 1_090,
		ended_at: 1_090,
	});
});

test('summarizeBatch of a running batch without usage or cost: pending, no tokens, no duration', () => {
	const running = batch({ status: 'in_progress', completed_at: null, usage: undefined, processing_cost: null, price_1m_tokens: undefined });
	const summary = summarizeBatch(running);
	assert.deepEqual(summary, {
		batch_id: 'batch-1',
		status: 'in_progress',
		requests: 5,
		succeeded: 3,
		failed: 1,
		missing: 0,
		pending: 1,
		created_at: 1_000,
	});
	assert.ok(BatchSummarySchema.safeParse(summary).success);
});
