import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertResponseMatchesSpec, assertValid, componentSchema, documentsResponse } from './openapi';
import { call, requestLine, uploadText, useEmulator, type RawResponse } from '../helpers/emulator';

const matchesSpec = (r: RawResponse) => assertResponseMatchesSpec(r.method, r.path, r);

test('unknown batch ids answer 404 ErrorResponseModel on get and cancel', async (t) => {
	const emu = await useEmulator(t);
	for (const [method, path] of [
		['GET', '/v1/batches/batch-missing'],
		['POST', '/v1/batches/batch-missing/cancel'],
	]) {
		const response = await call(emu, method, path);
		assert.equal(response.status, 404, `${method} ${path}`);
		matchesSpec(response);
		assert.equal(response.body.error.param, 'batch_id');
	}
});

test('create-batch refusals answer 422 ErrorResponseModel (not the detail form) naming the field', async (t) => {
	const emu = await useEmulator(t, { requireJobId: true, jobs: { 'job-1': 'm' } });
	const input = (await uploadText(emu, [requestLine('a', 'hi')])).body.id;
	const other = (await uploadText(emu, ['{}'], { purpose: 'user_data' })).body.id;
	const good = { input_file_id: input, endpoint: '/v1/chat/completions', completion_window: 'unlimited', job_id: 'job-1' };
	const cases: Array<[Record<string, unknown>, string]> = [
		[{ ...good, input_file_id: undefined }, 'input_file_id'],
		[{ ...good, input_file_id: 'file-missing' }, 'input_file_id'],
		[{ ...good, input_file_id: other }, 'input_file_id'],
		[{ ...good, endpoint: '/v1/images' }, 'endpoint'],
		[{ ...good, completion_window: '24h' }, 'completion_window'],
		[{ ...good, job_id: undefined }, 'job_id'],
		[{ ...good, job_id: 'job-unknown' }, 'job_id'],
		[{ ...good, metadata: { k: 'x'.repeat(513) } }, 'metadata'],
		[{ ...good, output_expires_after: { anchor: 'created_at', seconds: 60 } }, 'output_expires_after.seconds'],
	];
	for (const [body, param] of cases) {
		const response = await call(emu, 'POST', '/v1/batches', body);
		assert.equal(response.status, 422, `${param}: ${JSON.stringify(response.body)}`);
		matchesSpec(response);
		assert.equal(response.body.error.param, param);
	}
	assert.deepEqual((await call(emu, 'GET', '/v1/batches')).body.data, [], 'nothing was created');
});

test('bad batch-list parameters answer 422 HTTPValidationError', async (t) => {
	const emu = await useEmulator(t);
	for (const query of ['limit=0', 'limit=101', 'limit=x']) {
		const response = await call(emu, 'GET', `/v1/batches?${query}`);
		assert.equal(response.status, 422, query);
		matchesSpec(response);
		assert.deepEqual(response.body.detail[0].loc, ['query', 'limit']);
	}
});

test('bad uploads answer 422 HTTPValidationError (the spec lists no 422 for upload; impala-api.md: the detail form)', async (t) => {
	const emu = await useEmulator(t);
	assert.equal(documentsResponse('POST', '/v1/files', 422), false, 'when the spec documents it, check it with matchesSpec instead');
	const validate = componentSchema('HTTPValidationError');
	const cases: Array<[Record<string, string>, string[]]> = [
		[{}, ['body', 'purpose']],
		[{ purpose: 'nope' }, ['body', 'purpose']],
		[{ purpose: 'batch', 'expires_after[anchor]': 'created_at', 'expires_after[seconds]': '60' }, ['body', 'expires_after', 'seconds']],
	];
	for (const [fields, loc] of cases) {
		const response = await uploadText(emu, ['{}'], fields);
		assert.equal(response.status, 422, JSON.stringify(fields));
		assertValid(validate, response.body, `upload with ${JSON.stringify(fields)}`);
		assert.deepEqual(response.body.detail[0].loc, loc);
	}
	const form = new FormData();
	form.set('purpose', 'batch');
	const noFile = await call(emu, 'POST', '/v1/files', form);
	assert.equal(noFile.status, 422);
	assertValid(validate, noFile.body, 'upload without a file');
	assert.deepEqual(noFile.body.detail[0].loc, ['body', 'file']);
});

test('a missing or wrong API key answers 401 in the ErrorResponseModel shape (the spec documents no 401 body)', async (t) => {
	const emu = await useEmulator(t, { apiKey: 'sk-contract' });
	const validate = componentSchema('ErrorResponseModel');
	for (const headers of [{}, { authorization: 'Bearer wrong' }] as Array<Record<string, string>>) {
		for (const path of ['/v1/files', '/v1/batches']) {
			const response = await call(emu, 'GET', path, undefined, headers);
			assert.equal(response.status, 401, path);
			assertValid(validate, response.body, `401 on ${path}`);
		}
	}
	const ok = await call(emu, 'GET', '/v1/batches', undefined, { authorization: 'Bearer sk-contract' });
	matchesSpec(ok);
});

test('cancel on a deployment without it answers 501 ErrorResponseModel', async (t) => {
	const emu = await useEmulator(t, { cancelSupported: false });
	const response = await call(emu, 'POST', '/v1/batches/batch-any/cancel');
	assert.equal(response.status, 501);
	matchesSpec(response);
});

test('GET /health and GET /ready answer JSON without a key (the spec types them as any JSON)', async (t) => {
	const emu = await useEmulator(t, { apiKey: 'sk-contract' });
	for (const path of ['/health', '/ready']) {
		const response = await call(emu, 'GET', path);
		assert.equal(response.status, 200, path);
		assert.match(response.contentType, /^application\/json/);
		matchesSpec(response);
		assert.equal(typeof response.body, 'object');
	}
});
