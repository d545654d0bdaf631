import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ImpalaApiError } from '../../src/client';
import { chatLine, useSuiteEmulator } from '../helpers/emulator';
import { captureLogger, clientFor, rejection } from './client-helpers';

describe('ImpalaClient: retries under injected faults', () => {
	const emu = useSuiteEmulator({ pace: 'manual' });

	const countRequests = (method: string, path: string) => emu().requests.filter((r) => r.method === method && r.path.split('?')[0] === path).length;

	it('429 with Retry-After on GET is retried after the asked delay and succeeds', async () => {
		const client0 = clientFor(emu());
		const file = await client0.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'a.jsonl' });
		const created = await client0.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
		const path = `/v1/batches/${created.id}`;

		const logger = captureLogger();
		const client = clientFor(emu(), { logger, maxRetryDelayMs: 5_000 });
		emu().faults.inject({ kind: 'rateLimit', retryAfterSeconds: 1, method: 'GET', path, times: 2 });
		const before = countRequests('GET', path);
		const batch = await client.batches.get(created.id);
		assert.equal(batch.id, created.id);
		assert.equal(countRequests('GET', path) - before, 3, 'two 429s, then the answer');
		const retries = logger.lines.filter((l) => /retry/i.test(l.message));
		assert.deepEqual(retries.map((l) => l.meta?.delayMs), [1000, 1000], 'waited what Retry-After asked');
		assert.deepEqual(retries.map((l) => l.meta?.status), [429, 429]);
		assert.deepEqual(retries.map((l) => l.meta?.attempt), [2, 3]);
	});

	it('a Retry-After longer than maxRetryDelayMs is not cut short: a clear 429 saying how long to wait, no retry', async () => {
		const logger = captureLogger();
		const client = clientFor(emu(), { logger, maxRetryDelayMs: 60_000 });
		emu().faults.inject({ kind: 'rateLimit', retryAfterSeconds: 120, method: 'GET', path: '/v1/files', times: 1 });
		const before = countRequests('GET', '/v1/files');
		const error = await rejection(() => client.files.listPage({ limit: 1 }));
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.status, 429);
		assert.match(error.message, /Impala asked to wait 120 seconds/);
		assert.match(error.message, /try again after that, or lower the request rate/i);
		assert.equal(countRequests('GET', '/v1/files') - before, 1, 'not retried early');
		assert.equal(logger.lines.filter((l) => /retry/i.test(l.message)).length, 0);
		// The fault was used up: the next call goes through.
		assert.equal((await client.files.listPage({ limit: 1 })).object, 'list');
	});

	it('backoff without Retry-After is still capped by maxRetryDelayMs', async () => {
		const logger = captureLogger();
		const client = clientFor(emu(), { logger, retryBaseDelayMs: 1_000, maxRetryDelayMs: 4 });
		emu().faults.inject({ kind: 'rateLimit', retryAfterSeconds: null, method: 'GET', path: '/v1/files', times: 1 });
		await client.files.listPage({ limit: 1 });
		const delays = logger.lines.filter((l) => /retry/i.test(l.message)).map((l) => l.meta?.delayMs as number);
		assert.equal(delays.length, 1);
		assert.ok(delays[0] >= 2 && delays[0] <= 4, `delay ${delays[0]}`);
	});

	it('transient 500 and 503 on GET are retried and succeed', async () => {
		const client = clientFor(emu());
		emu().faults.inject({ kind: 'serverError', status: 500, method: 'GET', path: '/v1/batches', times: 1 });
		emu().faults.inject({ kind: 'serverError', status: 503, method: 'GET', path: '/v1/batches', times: 1 });
		const before = countRequests('GET', '/v1/batches');
		const page = await client.batches.listPage({ limit: 5 });
		assert.equal(page.object, 'list');
		assert.equal(countRequests('GET', '/v1/batches') - before, 3);
	});

	it('gives up after maxRetries with a clear, retryable 5xx error', async () => {
		const client = clientFor(emu(), { maxRetries: 2 });
		emu().faults.inject({ kind: 'serverError', status: 502, method: 'GET', path: '/v1/files', times: 10 });
		try {
			const before = countRequests('GET', '/v1/files');
			const error = await rejection(() => client.files.listPage());
			assert.ok(error instanceof ImpalaApiError);
			assert.equal(error.status, 502);
			assert.equal(error.retryable, true);
			assert.match(error.message, /try again in a few minutes/i);
			assert.equal(countRequests('GET', '/v1/files') - before, 3);
		} finally {
			emu().faults.clear();
		}
	});

	it('a connection reset mid-answer on GET is retried and succeeds', async () => {
		const client0 = clientFor(emu());
		const file = await client0.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'r.jsonl' });
		emu().faults.inject({ kind: 'resetResponse', method: 'GET', path: `/v1/files/${file.id}`, times: 1 });
		const got = await clientFor(emu()).files.get(file.id);
		assert.equal(got.id, file.id);
	});

	it('a download cut mid-body fails the returned stream with a clear ImpalaApiError', async () => {
		const client = clientFor(emu());
		const lines = Array.from({ length: 500 }, (_, i) => chatLine(`r-${i}`, 'z'.repeat(200)));
		const file = await client.files.upload({ file: Buffer.from(lines.join('')), filename: 'cut.jsonl' });
		emu().faults.inject({ kind: 'resetResponse', afterBytes: 10_000, method: 'GET', path: `/v1/files/${file.id}/content`, times: 1 });
		const stream = await client.files.content(file.id);
		let received = 0;
		const error = await rejection(async () => {
			for await (const chunk of stream) received += (chunk as Buffer).length;
		});
		assert.ok(error instanceof ImpalaApiError, String(error));
		assert.equal(error.kind, 'network');
		assert.match(error.message, new RegExp(`answer to GET /v1/files/${file.id}/content was complete`));
		assert.match(error.message, /try again/i);
		assert.ok(received <= 10_000, `received ${received} bytes before the cut`);
	});

	it('a connection reset during batch create is NOT retried and says the outcome is unknown', async () => {
		const client = clientFor(emu());
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'c.jsonl' });
		emu().faults.inject({ kind: 'resetResponse', method: 'POST', path: '/v1/batches', times: 1 });
		const before = countRequests('POST', '/v1/batches');
		const error = await rejection(() => client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' }));
		assert.equal(countRequests('POST', '/v1/batches') - before, 1, 'sent once, never repeated');
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.kind, 'network');
		assert.equal(error.retryable, false);
		assert.match(error.message, /not known whether Impala received the request to create the batch/);
		assert.match(error.message, /look at the list of batches/);
		// The emulator did create it: a blind retry would have made two.
		const page = await client.batches.listPage({ limit: 1 });
		assert.equal(page.data[0]?.input_file_id, file.id);
	});

	it('a reset while the create request is being received is not retried either', async () => {
		const client = clientFor(emu());
		emu().faults.inject({ kind: 'resetRequest', method: 'POST', path: '/v1/batches', times: 1 });
		const before = countRequests('POST', '/v1/batches');
		const error = await rejection(() => client.batches.create({ input_file_id: 'file-x', endpoint: '/v1/chat/completions' }));
		assert.equal(countRequests('POST', '/v1/batches') - before, 1);
		assert.equal(error.kind, 'network');
	});

	it('429 on create is retried (a rate-limit refusal happens before any processing)', async () => {
		const client = clientFor(emu());
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'l.jsonl' });
		emu().faults.inject({ kind: 'rateLimit', retryAfterSeconds: 0, method: 'POST', path: '/v1/batches', times: 1 });
		const before = countRequests('POST', '/v1/batches');
		const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
		assert.equal(batch.input_file_id, file.id);
		assert.equal(countRequests('POST', '/v1/batches') - before, 2);
	});

	it('500 on create is not retried', async () => {
		const client = clientFor(emu());
		emu().faults.inject({ kind: 'serverError', method: 'POST', path: '/v1/batches', times: 1 });
		const before = countRequests('POST', '/v1/batches');
		const error = await rejection(() => client.batches.create({ input_file_id: 'f', endpoint: '/v1/chat/completions' }));
		assert.equal(error.status, 500);
		assert.equal(countRequests('POST', '/v1/batches') - before, 1);
		// Repeating it blindly could create the batch twice: say so, and how to check.
		assert.equal(error.retryable, false);
		assert.doesNotMatch(error.message, /try again in a few minutes/i);
		assert.match(error.message, /the outcome is unknown: it is not known whether Impala received the request to create the batch; nothing was checked yet: look at the list of batches \(newest first\) before trying again/i);
		assert.equal(error.outcomeUnknown, true);
	});

	it('a streamed upload is not replayed after its bytes were sent; a Buffer upload is', async () => {
		const client = clientFor(emu());
		emu().faults.inject({ kind: 'rateLimit', retryAfterSeconds: 0, method: 'POST', path: '/v1/files', times: 1 });
		const before = countRequests('POST', '/v1/files');
		const error = await rejection(() => client.files.upload({ file: Readable.from([chatLine('a', 'x')]), filename: 's.jsonl' }));
		assert.equal(error.status, 429);
		assert.match(error.message, /rate limit/i);
		assert.equal(countRequests('POST', '/v1/files') - before, 1);

		emu().faults.inject({ kind: 'rateLimit', retryAfterSeconds: 0, method: 'POST', path: '/v1/files', times: 1 });
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'b.jsonl' });
		assert.equal(file.filename, 'b.jsonl');
		assert.equal(countRequests('POST', '/v1/files') - before, 3);
	});
});
