import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorEnvelopeSchema } from '../../src/schemas';
import { call, fileLines, requestLine, uploadText, useEmulator } from '../helpers/emulator';

test('rateLimit: 429 with Retry-After for `times` requests, then normal answers', async (t) => {
	const emu = await useEmulator(t);
	const fault = emu.faults.inject({ kind: 'rateLimit', retryAfterSeconds: 2, times: 2, method: 'GET', path: '/v1/batches' });
	for (let i = 0; i < 2; i++) {
		const limited = await call(emu, 'GET', '/v1/batches');
		assert.equal(limited.status, 429);
		assert.equal(limited.headers.get('retry-after'), '2');
		assert.equal(ErrorEnvelopeSchema.parse(limited.body).error.type, 'rate_limit_error');
	}
	assert.equal((await call(emu, 'GET', '/v1/batches')).status, 200);
	assert.equal(fault.hits, 2);
	assert.deepEqual(emu.requests.map((r) => r.fault), ['rateLimit', 'rateLimit', undefined]);

	emu.faults.inject({ kind: 'rateLimit', retryAfterSeconds: null });
	const noHeader = await call(emu, 'GET', '/health');
	assert.equal(noHeader.status, 429);
	assert.equal(noHeader.headers.get('retry-after'), null);
	emu.faults.clear();
	assert.equal((await call(emu, 'GET', '/health')).status, 200);
});

test('serverError is limited by method and path (exact, prefix*, RegExp); clear() switches faults off', async (t) => {
	const emu = await useEmulator(t);
	emu.faults.inject({ kind: 'serverError', method: 'post', path: '/v1/batches' });
	emu.faults.inject({ kind: 'serverError', status: 503, path: '/v1/files/*' });
	emu.faults.inject({ kind: 'serverError', status: 502, path: /^\/ready$/ });
	assert.equal((await call(emu, 'GET', '/v1/batches')).status, 200, 'GET is not a POST');
	const post = await call(emu, 'POST', '/v1/batches', {});
	assert.equal(post.status, 500);
	assert.equal(ErrorEnvelopeSchema.parse(post.body).error.type, 'server_error');
	assert.equal((await call(emu, 'GET', '/v1/files/file-1')).status, 503);
	assert.equal((await call(emu, 'GET', '/v1/files')).status, 200, 'the prefix needs the slash');
	assert.equal((await call(emu, 'GET', '/ready')).status, 502);
	assert.equal((await call(emu, 'POST', '/v1/batches', {})).status, 500, 'no `times`: until cleared');
	emu.faults.clear();
	assert.equal((await call(emu, 'POST', '/v1/batches', {})).status, 422);
});

test('skip lets the first matching requests through, then the fault applies for `times` requests', async (t) => {
	const emu = await useEmulator(t);
	const fault = emu.faults.inject({ kind: 'serverError', status: 503, method: 'GET', path: '/v1/files', skip: 2, times: 1 });
	const statuses = [];
	for (let i = 0; i < 4; i++) statuses.push((await call(emu, 'GET', '/v1/files')).status);
	assert.deepEqual(statuses, [200, 200, 503, 200]);
	assert.equal(fault.hits, 1);
	assert.deepEqual(emu.requests.map((r) => r.fault), [undefined, undefined, 'serverError', undefined]);
});

test('delay holds the answer; a client that gives up before is not answered', async (t) => {
	const emu = await useEmulator(t);
	const fault = emu.faults.inject({ kind: 'delay', ms: 60_000, times: 1, path: '/health' });
	await assert.rejects(fetch(`${emu.url}/health`, { signal: AbortSignal.timeout(100) }), /abort|timeout/i);
	assert.equal(fault.hits, 1);
	emu.faults.inject({ kind: 'delay', ms: 1, times: 1 });
	assert.equal((await call(emu, 'GET', '/health')).status, 200, 'answers normally after the delay');
});

test('resetResponse on create: the batch is created but the client sees the connection drop mid-body', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const file = (await uploadText(emu, [requestLine('a', 'x')])).body.id;
	emu.faults.inject({ kind: 'resetResponse', method: 'POST', path: '/v1/batches', times: 1 });
	await assert.rejects(
		(async () => {
			const res = await fetch(`${emu.url}/v1/batches`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ input_file_id: file, endpoint: '/v1/chat/completions', completion_window: 'unlimited' }),
			});
			assert.equal(res.status, 200, 'headers arrive');
			await res.json();
		})(),
		(error: Error) => !(error instanceof assert.AssertionError),
	);
	const listed = await call(emu, 'GET', '/v1/batches');
	assert.equal(listed.body.data.length, 1, 'the request took effect');
});

test('resetResponse on content download drops the connection partway through the file', async (t) => {
	const emu = await useEmulator(t);
	const content = 'z'.repeat(300_000);
	const file = (await uploadText(emu, content, { purpose: 'user_data' })).body.id;
	emu.faults.inject({ kind: 'resetResponse', path: `/v1/files/${file}/content`, afterBytes: 1000, times: 1 });
	const res = await fetch(`${emu.url}/v1/files/${file}/content`);
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-length'), '300000');
	let received = 0;
	await assert.rejects(async () => {
		for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received += chunk.length;
	});
	assert.ok(received <= 1000, `received ${received} bytes before the reset`);
	assert.equal((await call(emu, 'GET', `/v1/files/${file}/content`)).body, content, 'fine again afterwards');
});

test('resetRequest on create: the connection drops while receiving, and nothing is created', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const file = (await uploadText(emu, [requestLine('a', 'x')])).body.id;
	emu.faults.inject({ kind: 'resetRequest', method: 'POST', path: '/v1/batches', times: 1 });
	const body = JSON.stringify({ input_file_id: file, endpoint: '/v1/chat/completions', completion_window: 'unlimited' });
	await assert.rejects(fetch(`${emu.url}/v1/batches`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
	assert.equal((await call(emu, 'GET', '/v1/batches')).body.data.length, 0);
	const retried = await call(emu, 'POST', '/v1/batches', body);
	assert.equal(retried.status, 200);
	const done = await emu.advance(retried.body.id, 3);
	assert.equal((await fileLines(emu, done.output_file_id)).length, 1);
});

test('an invalid fault is refused when injected', async (t) => {
	const emu = await useEmulator(t);
	assert.throws(() => emu.faults.inject({ kind: 'explode' } as never));
	assert.throws(() => emu.faults.inject({ kind: 'serverError', status: 404 }));
	assert.throws(() => emu.faults.inject({ kind: 'delay', ms: -1 }));
});
