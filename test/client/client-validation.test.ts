import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImpalaApiError, type CreateBatchBody, type ImpalaClient } from '../../src/client';
import { LIMITS } from '../../src/schemas';
import { chatLine, useSuiteEmulator, waitForTerminal } from '../helpers/emulator';
import { clientFor, rejection } from './client-helpers';

/** An http error with a status, Impala's fields, and a message that ends with what to do. */
function assertActionable(error: unknown, status: number, pattern: RegExp): asserts error is ImpalaApiError {
	assert.ok(error instanceof ImpalaApiError, `expected ImpalaApiError, got ${String(error)}`);
	assert.equal(error.kind, 'http');
	assert.equal(error.status, status, error.message);
	assert.match(error.message, pattern);
	assert.ok(error.hint.length > 10, 'has a hint');
	assert.ok(error.message.toLowerCase().includes(error.hint.toLowerCase().slice(1, 30)), 'the message carries the hint');
}

async function uploadLines(client: ImpalaClient, lines: Iterable<string> | AsyncIterable<string>, filename = 'in.jsonl') {
	const source = (async function* () {
		for await (const line of lines) yield line;
	})();
	return client.files.upload({ file: source, filename });
}

async function failedBatchErrors(client: ImpalaClient, lines: Iterable<string> | AsyncIterable<string>, endpoint: CreateBatchBody['endpoint'] = '/v1/chat/completions') {
	const file = await uploadLines(client, lines);
	const created = await client.batches.create({ input_file_id: file.id, endpoint });
	const batch = await waitForTerminal(client, created.id);
	assert.equal(batch.status, 'failed');
	assert.ok(batch.failed_at, 'failed_at is set');
	return batch.errors?.data ?? [];
}

describe('ImpalaClient: error shapes and validation rules of the emulator', () => {
	const emu = useSuiteEmulator();

	describe('{"error": ...} shape', () => {
		it('404 on an unknown batch and file names the id and says to check it', async () => {
			const client = clientFor(emu());
			for (const [call, what, id] of [
				[() => client.batches.get('batch-nope'), 'batch', 'batch-nope'],
				[() => client.batches.cancel('batch-gone'), 'batch', 'batch-gone'],
				[() => client.files.get('file-nope'), 'file', 'file-nope'],
				[() => client.files.content('file-nope2'), 'file', 'file-nope2'],
				[() => client.files.delete('file-nope3'), 'file', 'file-nope3'],
			] as const) {
				const error = await rejection(call);
				assertActionable(error, 404, new RegExp(`${what} "${id}" was not found.*check the ${what} ID "${id}"`, 'i'));
				assert.equal(error.code, `${what}_not_found`);
				assert.equal(error.type, 'invalid_request_error');
			}
		});

		const createCases: Array<[string, (fileId: string) => Record<string, unknown>, string, RegExp]> = [
			['unknown input file', () => ({ input_file_id: 'file-missing', endpoint: '/v1/chat/completions' }), 'input_file_id', /No file found with id 'file-missing'/],
			['completion_window other than unlimited', (id) => ({ input_file_id: id, endpoint: '/v1/chat/completions', completion_window: '24h' }), 'completion_window', /completion_window must be 'unlimited'/],
			['unknown endpoint', (id) => ({ input_file_id: id, endpoint: '/v1/images' }), 'endpoint', /endpoint must be one of/],
			['too many metadata pairs', (id) => ({ input_file_id: id, endpoint: '/v1/chat/completions', metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }), 'metadata', /at most 16/],
			['a metadata key too long', (id) => ({ input_file_id: id, endpoint: '/v1/chat/completions', metadata: { ['k'.repeat(65)]: 'v' } }), 'metadata', /64 characters/],
			['a metadata value too long', (id) => ({ input_file_id: id, endpoint: '/v1/chat/completions', metadata: { k: 'v'.repeat(513) } }), 'metadata', /512 characters/],
			['output expiry too short', (id) => ({ input_file_id: id, endpoint: '/v1/chat/completions', output_expires_after: { anchor: 'created_at', seconds: 60 } }), 'output_expires_after.seconds', /at least 3600 seconds/],
			['output expiry too long', (id) => ({ input_file_id: id, endpoint: '/v1/chat/completions', output_expires_after: { anchor: 'created_at', seconds: LIMITS.expirySeconds.max + 1 } }), 'output_expires_after.seconds', /at most 2592000 seconds/],
		];
		for (const [name, body, param, pattern] of createCases) {
			it(`422 on create: ${name}, naming the field "${param}"`, async () => {
				const client = clientFor(emu());
				const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'ok.jsonl' });
				const error = await rejection(() => client.batches.create(body(file.id) as CreateBatchBody));
				assertActionable(error, 422, pattern);
				assert.equal(error.param, param);
				assert.match(error.message, /fix the fields named in the message/i);
			});
		}

		it('422 on create when the input file does not have purpose batch', async () => {
			const client = clientFor(emu());
			const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'u.jsonl', purpose: 'user_data' });
			const error = await rejection(() => client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' }));
			assertActionable(error, 422, /purpose 'user_data'.*need purpose 'batch'/);
			assert.equal(error.code, 'invalid_file_purpose');
		});

		it('400 when cancelling a batch that already completed', async () => {
			const client = clientFor(emu());
			const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'done.jsonl' });
			const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
			await waitForTerminal(client, created.id);
			const error = await rejection(() => client.batches.cancel(created.id));
			assertActionable(error, 400, /already completed and cannot be cancelled/);
			assert.equal(error.hint, 'the batch has already finished: there is nothing to cancel');
			assert.doesNotMatch(error.message, /fix the fields/i);
		});
	});

	describe('{"detail": [...]} shape', () => {
		it('422 on upload with an unknown purpose lists the field', async () => {
			const client = clientFor(emu());
			const error = await rejection(() => client.files.upload({ file: Buffer.from('x\n'), filename: 'a.jsonl', purpose: 'nonsense' as 'batch' }));
			assertActionable(error, 422, /body\.purpose: Input should be 'batch'/);
			assert.equal(error.param, 'purpose');
		});

		it('422 on upload with an expiry out of range lists every problem with its loc', async () => {
			const client = clientFor(emu());
			const error = await rejection(() =>
				client.files.upload({ file: Buffer.from('x\n'), filename: 'a.jsonl', expiresAfter: { anchor: 'created_at', seconds: 10 } }),
			);
			assertActionable(error, 422, /body\.expires_after\.seconds: Expiry must be at least 3600 seconds/);
		});

		it('422 on list with a limit out of range names the query field', async () => {
			const client = clientFor(emu());
			const error = await rejection(() => client.batches.listPage({ limit: 101 }));
			assertActionable(error, 422, /query\.limit: Input should be less than or equal to 100/);
			const files = await rejection(() => client.files.listPage({ limit: 0 }));
			assertActionable(files, 422, /query\.limit: Input should be greater than or equal to 1/);
		});
	});

	describe('input file rules (the batch fails, with errors naming the line)', () => {
		it('a line that is not JSON, a url that differs, a missing and a duplicate custom_id', async () => {
			const client = clientFor(emu());
			const lines = [
				chatLine('ok-1', 'x'),
				'{not json\n',
				JSON.stringify({ custom_id: 'u', method: 'POST', url: '/v1/embeddings', body: { model: 'm', input: 'x' } }) + '\n',
				JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [] } }) + '\n',
				chatLine('ok-1', 'again'),
			];
			const errors = await failedBatchErrors(client, lines);
			const byLine = new Map(errors.map((e) => [e.line, e]));
			assert.equal(byLine.get(2)?.code, 'invalid_json_line');
			assert.equal(byLine.get(3)?.code, 'mismatched_url');
			assert.equal(byLine.get(4)?.code, 'missing_custom_id');
			assert.equal(byLine.get(5)?.code, 'duplicate_custom_id');
			assert.match(byLine.get(5)?.message ?? '', /custom_id 'ok-1'/);
		});

		it('more than 50,000 requests', async () => {
			const client = clientFor(emu());
			const lines = (function* () {
				for (let i = 0; i <= LIMITS.maxRequestsPerBatch; i++) yield chatLine(`r${i}`, 'x');
			})();
			const errors = await failedBatchErrors(client, lines);
			assert.equal(errors[0]?.code, 'too_many_requests');
			assert.equal(errors[0]?.line, LIMITS.maxRequestsPerBatch + 1);
		});

		it('more than 50,000 embedding inputs', async () => {
			const client = clientFor(emu());
			const line = (id: string, n: number) =>
				JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/embeddings', body: { model: 'e', input: Array.from({ length: n }, () => 'a') } }) + '\n';
			const errors = await failedBatchErrors(client, [line('e1', 30_000), line('e2', 20_001)], '/v1/embeddings');
			assert.equal(errors[0]?.code, 'too_many_embedding_inputs');
			assert.equal(errors[0]?.line, 2);
		});

		it('more than 200 MB (streamed up, never held in memory)', async () => {
			const client = clientFor(emu());
			const padding = 'p'.repeat(1_000_000 - 150);
			const lines = (function* () {
				let bytes = 0;
				for (let i = 0; bytes <= LIMITS.maxBatchFileBytes; i++) {
					const line = chatLine(`big-${i}`, padding);
					bytes += Buffer.byteLength(line);
					yield line;
				}
			})();
			const errors = await failedBatchErrors(client, lines);
			assert.equal(errors[0]?.code, 'file_too_large');
		});
	});
});

describe('ImpalaClient: deployment switches', () => {
	const strict = useSuiteEmulator({ requireJobId: true, cancelSupported: false, jobs: { 'job-chat': 'chat-model' } });

	it('422 when job_id is required and missing, naming the field', async () => {
		const client = clientFor(strict());
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x', 'chat-model')), filename: 'j.jsonl' });
		const error = await rejection(() => client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', job_id: '' }));
		assertActionable(error, 422, /job_id is required/);
		assert.equal(error.param, 'job_id');
	});

	it('422 on an unknown job_id; a line whose model differs from the job goes to the error file', async () => {
		const client = clientFor(strict());
		const file = await client.files.upload({ file: Buffer.from(chatLine('good', 'x', 'chat-model') + chatLine('bad', 'y', 'other-model')), filename: 'j.jsonl' });
		const unknown = await rejection(() => client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', job_id: 'job-nope' }));
		assertActionable(unknown, 422, /No job found with id 'job-nope'/);

		const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', job_id: 'job-chat' });
		assert.equal(created.job_id, 'job-chat');
		const done = await waitForTerminal(client, created.id);
		assert.equal(done.status, 'completed');
		assert.equal(done.request_counts?.failed, 1);
		assert.ok(done.error_file_id);
	});

	it('501 on cancel says cancelling that batch is not supported by this deployment', async () => {
		const client = clientFor(strict());
		const error = await rejection(() => client.batches.cancel('batch-any'));
		assertActionable(error, 501, /^Cancelling batch batch-any is not supported by this deployment \(501 Not Implemented\)/);
		assert.match(error.hint, /let the batch finish/);
		assert.equal(error.retryable, false);
		assert.equal(strict().requests.filter((r) => r.path.endsWith('/cancel')).length, 1, 'not retried');
	});
});
