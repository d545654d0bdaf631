import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSchema, ErrorEnvelopeSchema, LIMITS } from '../../src/schemas';
import { call, requestLine, uploadText, useEmulator } from '../helpers/emulator';
import type { Emulator } from '../../src/emulator';

async function batchFile(emu: Emulator, lines: string[] = [requestLine('a', 'x')]) {
	return (await uploadText(emu, lines)).body.id as string;
}

function create(emu: Emulator, body: Record<string, unknown>) {
	return call(emu, 'POST', '/v1/batches', body);
}

/** Creates a batch from `lines`, runs validation, and returns the batch. */
async function validated(emu: Emulator, lines: string[], endpoint = '/v1/chat/completions') {
	const created = await create(emu, { input_file_id: await batchFile(emu, lines), endpoint, completion_window: 'unlimited' });
	assert.equal(created.status, 200, JSON.stringify(created.body));
	return emu.advance(created.body.id);
}

test('create batch: request-level problems are a 422 {"error"} naming the field', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const fileId = await batchFile(emu);
	const userData = (await uploadText(emu, 'x', { purpose: 'user_data' })).body.id;
	const valid = { input_file_id: fileId, endpoint: '/v1/chat/completions', completion_window: 'unlimited' };
	const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
		['unknown file', { ...valid, input_file_id: 'file-nope' }, 'input_file_id', /file-nope/],
		['missing file id', { ...valid, input_file_id: undefined }, 'input_file_id', /required/],
		['empty file id', { ...valid, input_file_id: '' }, 'input_file_id', /required/],
		['empty job id', { ...valid, job_id: '' }, 'job_id', /job_id must not be empty/],
		['job id not text', { ...valid, job_id: 7 }, 'job_id', /job_id must be text/],
		['purpose not batch', { ...valid, input_file_id: userData }, 'input_file_id', /purpose 'user_data'/],
		['bad endpoint', { ...valid, endpoint: '/v1/images' }, 'endpoint', /\/v1\/chat\/completions/],
		['window 24h', { ...valid, completion_window: '24h' }, 'completion_window', /unlimited/],
		['missing window', { ...valid, completion_window: undefined }, 'completion_window', /unlimited/],
		['too many metadata pairs', { ...valid, metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'metadata', /16/],
		['metadata key too long', { ...valid, metadata: { ['k'.repeat(65)]: 'v' } }, 'metadata', /64/],
		['metadata value too long', { ...valid, metadata: { k: 'v'.repeat(513) } }, 'metadata', /512/],
		['metadata value not a string', { ...valid, metadata: { k: 1 } }, 'metadata', /metadata/],
		['output expiry too short', { ...valid, output_expires_after: { anchor: 'created_at', seconds: 60 } }, 'output_expires_after.seconds', /3600/],
		['output expiry too long', { ...valid, output_expires_after: { anchor: 'created_at', seconds: 2_592_001 } }, 'output_expires_after.seconds', /2592000/],
	];
	for (const [name, body, param, message] of cases) {
		const res = await create(emu, body);
		assert.equal(res.status, 422, name);
		const { error } = ErrorEnvelopeSchema.parse(res.body);
		assert.equal(error.param, param, name);
		assert.match(error.message!, message, name);
	}
	const notJson = await call(emu, 'POST', '/v1/batches', '{nope');
	assert.equal(notJson.status, 422);
	ErrorEnvelopeSchema.parse(notJson.body);
	assert.equal((await call(emu, 'GET', '/v1/batches')).body.data.length, 0, 'no batch was created');

	const ok = await create(emu, { ...valid, endpoint: 'v1/chat/completions', output_expires_after: { anchor: 'created_at', seconds: 7200 } });
	assert.equal(ok.status, 200, 'the spec text form without a leading slash is accepted');
	assert.equal(ok.body.endpoint, '/v1/chat/completions');
	const done = await emu.advance(ok.body.id, 3);
	const output = await call(emu, 'GET', `/v1/files/${done.output_file_id}`);
	assert.equal(output.body.expires_at, output.body.created_at + 7200, 'output_expires_after sets the output expiry');
});

test('create batch: job_id required when the emulator says so, unknown jobs refused', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual', requireJobId: true, jobs: { 'job-abc': 'm' } });
	const fileId = await batchFile(emu);
	const valid = { input_file_id: fileId, endpoint: '/v1/chat/completions', completion_window: 'unlimited' };
	const missing = await create(emu, valid);
	assert.equal(missing.status, 422);
	assert.equal(missing.body.error.param, 'job_id');
	assert.match(missing.body.error.message, /job_id is required/);
	const unknown = await create(emu, { ...valid, job_id: 'job-zzz' });
	assert.equal(unknown.status, 422);
	assert.match(unknown.body.error.message, /job-zzz/);
	assert.equal((await create(emu, { ...valid, job_id: 'job-abc' })).status, 200);
});

test('file-content problems make the batch failed, with errors naming each bad line', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const failed = await validated(emu, [
		requestLine('ok', 'x'),
		'{not json',
		'',
		JSON.stringify({ method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [] } }),
		requestLine('ok', 'duplicate'),
		requestLine('emb', 'x', '/v1/embeddings'),
		JSON.stringify({ custom_id: 'c'.repeat(65), method: 'POST', url: '/v1/chat/completions', body: {} }),
		'[1,2]',
	]);
	assert.equal(failed.status, 'failed');
	assert.ok(failed.failed_at! >= failed.created_at);
	assert.equal(failed.in_progress_at, null);
	assert.equal(failed.output_file_id, null);
	assert.deepEqual(failed.request_counts, { total: 0, completed: 0, failed: 0 });
	const errors = BatchSchema.parse(failed).errors!.data!;
	assert.deepEqual(
		errors.map((e) => [e.line, e.code, e.param]),
		[
			[2, 'invalid_json_line', null],
			[4, 'missing_custom_id', 'custom_id'],
			[5, 'duplicate_custom_id', 'custom_id'],
			[6, 'mismatched_url', 'url'],
			[7, 'invalid_custom_id', 'custom_id'],
			[8, 'invalid_json_line', null],
		],
	);
	assert.match(errors[2].message!, /'ok'/);
	assert.match(errors[3].message!, /\/v1\/embeddings.*\/v1\/chat\/completions/);
	assert.equal(failed.errors!.object, 'list');
	assert.deepEqual(await emu.advance(failed.id), failed, 'failed is terminal');
});

test('a line without method POST or without a JSON-object body fails validation, naming the field', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const url = '/v1/chat/completions';
	const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
	const failed = await validated(emu, [
		requestLine('ok', 'x'),
		JSON.stringify({ custom_id: 'no-method', url, body }),
		JSON.stringify({ custom_id: 'get', method: 'GET', url, body }),
		JSON.stringify({ custom_id: 'list-body', method: 'POST', url, body: [body] }),
		JSON.stringify({ custom_id: 'no-body', method: 'POST', url }),
	]);
	assert.equal(failed.status, 'failed');
	assert.deepEqual(
		failed.errors!.data!.map((e) => [e.line, e.code, e.param]),
		[
			[2, 'invalid_method', 'method'],
			[3, 'invalid_method', 'method'],
			[4, 'missing_body', 'body'],
			[5, 'missing_body', 'body'],
		],
	);
	assert.match(failed.errors!.data![0].message!, /Line 2: the method must be POST/);
});

test('an empty input file fails the batch', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const failed = await validated(emu, ['', '  ']);
	assert.equal(failed.status, 'failed');
	assert.equal(failed.errors!.data![0].code, 'empty_file');
});

test(`more than ${LIMITS.maxRequestsPerBatch} lines fail the batch; exactly the limit passes validation`, async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const line = (i: number) => JSON.stringify({ custom_id: `r${i}`, method: 'POST', url: '/v1/completions', body: { model: 'm', prompt: 'p' } });
	const atLimit = Array.from({ length: LIMITS.maxRequestsPerBatch }, (_, i) => line(i));
	const passing = await validated(emu, atLimit, '/v1/completions');
	assert.equal(passing.status, 'in_progress');
	assert.equal(passing.request_counts!.total, LIMITS.maxRequestsPerBatch);

	const failed = await validated(emu, [...atLimit, line(LIMITS.maxRequestsPerBatch)], '/v1/completions');
	assert.equal(failed.status, 'failed');
	assert.equal(failed.errors!.data![0].code, 'too_many_requests');
	assert.equal(failed.errors!.data![0].line, LIMITS.maxRequestsPerBatch + 1);
	assert.match(failed.errors!.data![0].message!, /50,000/);
});

test(`more than ${LIMITS.maxEmbeddingInputsPerBatch} embedding inputs fail the batch`, async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const half = LIMITS.maxEmbeddingInputsPerBatch / 2;
	const embed = (id: string, n: number) => requestLine(id, 'x', '/v1/embeddings', 'm', { input: Array.from({ length: n }, (_, i) => `t${i}`) });
	const passing = await validated(emu, [embed('a', half), embed('b', half)], '/v1/embeddings');
	assert.equal(passing.status, 'in_progress');
	const failed = await validated(emu, [embed('a', half), embed('b', half), requestLine('c', 'one more', '/v1/embeddings')], '/v1/embeddings');
	assert.equal(failed.status, 'failed');
	assert.deepEqual([failed.errors!.data![0].code, failed.errors!.data![0].line], ['too_many_embedding_inputs', 3]);
});

test('a file over 200 MB is accepted as an upload but its batch fails', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const line = `${requestLine('x', 'y'.repeat(1000))}\n`;
	const lineBytes = Buffer.byteLength(line);
	const count = Math.floor(LIMITS.maxBatchFileBytes / lineBytes) + 1;
	// Streamed request body: the test never holds the file in memory either.
	const boundary = 'test-boundary-42';
	const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	const chunk = Buffer.from(line.repeat(1000));
	async function* body() {
		yield head;
		for (let sent = 0; sent < count; sent += 1000) yield sent + 1000 <= count ? chunk : Buffer.from(line.repeat(count - sent));
		yield tail;
	}
	const uploaded = await fetch(`${emu.url}/v1/files`, {
		method: 'POST',
		headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
		body: ReadableStreamFrom(body()),
		duplex: 'half',
	} as RequestInit);
	const file = (await uploaded.json()) as { id: string; bytes: number };
	assert.equal(uploaded.status, 200, JSON.stringify(file));
	assert.equal(file.bytes, count * lineBytes);
	assert.ok(file.bytes > LIMITS.maxBatchFileBytes);
	const created = await create(emu, { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: 'unlimited' });
	assert.equal(created.status, 200);
	const failed = await emu.advance(created.body.id);
	assert.equal(failed.status, 'failed');
	assert.equal(failed.errors!.data![0].code, 'file_too_large');
	assert.match(failed.errors!.data![0].message!, /200 MB/);
});

function ReadableStreamFrom(source: AsyncGenerator<Buffer>): ReadableStream<Uint8Array> {
	return new ReadableStream({
		async pull(controller) {
			const next = await source.next();
			if (next.done) controller.close();
			else controller.enqueue(new Uint8Array(next.value));
		},
	});
}
