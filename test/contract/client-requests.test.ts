import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { BATCH_ENDPOINTS, CreateBatchBodySchema } from '../../src/schemas';
import { useEmulator } from '../helpers/emulator';
import { startCapturingProxy, type CapturedRequest } from './capturingProxy';
import { assertValidExcept, JOB_ID_OMITTED_WHEN_EMPTY } from './deviations';
import { assertValid, componentSchema, parameterSchema, requestBodySchema, specPathFor } from './openapi';

const createBody = componentSchema('CreateBatchRequestModel');

/** A client talking to the emulator through the capturing proxy. */
async function capturedClient(t: TestContext, apiKey?: string) {
	const emu = await useEmulator(t, { pace: 'manual', apiKey });
	const proxy = await startCapturingProxy(emu.url);
	t.after(() => proxy.close());
	const client = new ImpalaClient({ baseUrl: proxy.url, apiKey, maxRetries: 0 });
	const sent = (method: string, pathname: string): CapturedRequest[] =>
		proxy.captured.filter((r) => r.method === method && r.path.split('?')[0] === pathname);
	return { emu, client, proxy, sent };
}

async function uploadInput(client: ImpalaClient) {
	const line = { custom_id: 'a', method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } };
	return client.files.upload({ file: Buffer.from(`${JSON.stringify(line)}\n`), filename: 'in.jsonl' });
}

test('the create-batch body the client sends validates against CreateBatchRequestModel, with the slashed endpoint', async (t) => {
	const { client, sent } = await capturedClient(t);
	const file = await uploadInput(client);
	await client.batches.create({
		input_file_id: file.id,
		endpoint: '/v1/chat/completions',
		job_id: 'job-1',
		metadata: { team: 'search', run: '7' },
		output_expires_after: { anchor: 'created_at', seconds: 86_400 },
	});
	const [request] = sent('POST', '/v1/batches');
	assert.match(String(request.headers['content-type']), /^application\/json/);
	const body = JSON.parse(request.body.toString('utf8'));
	assertValid(createBody, body, 'create-batch body');
	// Documented deviation (impala-api.md "Create batch body"): the spec text lists the endpoints without
	// the leading slash (v1/chat/completions); the guides and the package send the slashed form. The spec
	// types `endpoint` as a free string, so the schema passes either way: the form is asserted here.
	assert.equal(body.endpoint, '/v1/chat/completions');
	assert.equal(body.completion_window, 'unlimited', 'the default window is sent');
	assert.deepEqual(Object.keys(body).sort(), ['completion_window', 'endpoint', 'input_file_id', 'job_id', 'metadata', 'output_expires_after']);
});

test('an empty job_id is left out of the body: the only departure from CreateBatchRequestModel (named deviation)', async (t) => {
	const { client, sent } = await capturedClient(t);
	const file = await uploadInput(client);
	await client.batches.create({ input_file_id: file.id, endpoint: '/v1/embeddings', job_id: '' });
	const body = JSON.parse(sent('POST', '/v1/batches')[0].body.toString('utf8'));
	assert.equal('job_id' in body, false);
	assertValidExcept(createBody, body, 'create-batch body without job_id', [JOB_ID_OMITTED_WHEN_EMPTY]);
});

test('CreateBatchBodySchema output validates against CreateBatchRequestModel for every endpoint (minimal and maximal)', () => {
	for (const endpoint of BATCH_ENDPOINTS) {
		const maximal = CreateBatchBodySchema.parse({
			input_file_id: 'file-1',
			endpoint,
			completion_window: 'unlimited',
			job_id: 'job-1',
			metadata: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`.padEnd(64, 'k'), 'v'.repeat(512)])),
			output_expires_after: { anchor: 'created_at', seconds: 2_592_000 },
		});
		assertValid(createBody, maximal, `maximal body for ${endpoint}`);
		const minimal = CreateBatchBodySchema.parse({ input_file_id: 'file-1', endpoint });
		assertValidExcept(createBody, minimal, `minimal body for ${endpoint}`, [JOB_ID_OMITTED_WHEN_EMPTY]);
	}
});

test('CreateBatchBodySchema refuses what CreateBatchRequestModel refuses (expiry out of range, non-string metadata)', () => {
	const bad = [
		{ input_file_id: 'file-1', endpoint: '/v1/completions', job_id: 'j', output_expires_after: { anchor: 'created_at', seconds: 3599 } },
		{ input_file_id: 'file-1', endpoint: '/v1/completions', job_id: 'j', output_expires_after: { anchor: 'now', seconds: 3600 } },
		{ input_file_id: 'file-1', endpoint: '/v1/completions', job_id: 'j', metadata: { a: 1 } },
	];
	for (const body of bad) {
		assert.equal(createBody(body), false, `the spec refuses ${JSON.stringify(body)}`);
		assert.equal(CreateBatchBodySchema.safeParse(body).success, false, `CreateBatchBodySchema refuses ${JSON.stringify(body)}`);
	}
});

test('the upload the client sends is the documented multipart form (file, purpose, expires_after[...])', async (t) => {
	const { client, sent } = await capturedClient(t);
	await client.files.upload({
		file: Buffer.from('{"custom_id":"a"}\n'),
		filename: 'in.jsonl',
		purpose: 'batch',
		expiresAfter: { anchor: 'created_at', seconds: 7200 },
	});
	const [request] = sent('POST', '/v1/files');
	const contentType = String(request.headers['content-type']);
	assert.match(contentType, /^multipart\/form-data; boundary=/);
	const form = await new Response(request.body, { headers: { 'content-type': contentType } }).formData();
	const file = form.get('file');
	assert.ok(file instanceof Blob, 'file is sent as bytes, not a name');
	assert.equal(await file.text(), '{"custom_id":"a"}\n');
	// impala-api.md: expires_after is sent OpenAI-style as bracketed form fields; a form field is text, so
	// the documented object is rebuilt from them to check it against the spec.
	assert.deepEqual([...form.keys()].sort(), ['expires_after[anchor]', 'expires_after[seconds]', 'file', 'purpose']);
	const documented = {
		file: 'bytes',
		purpose: form.get('purpose'),
		expires_after: { anchor: form.get('expires_after[anchor]'), seconds: Number(form.get('expires_after[seconds]')) },
	};
	assertValid(requestBodySchema('POST', '/v1/files', 'multipart/form-data'), documented, 'upload form');
});

test('list query parameters the client sends are documented and within their schemas', async (t) => {
	const { client, proxy } = await capturedClient(t);
	await client.files.listPage({ purpose: 'batch', order: 'asc', limit: 10_000, after: 'file-x' });
	await client.batches.listPage({ limit: 100, after: 'batch-x' });
	await client.batches.listPage({});
	const lists = proxy.captured.filter((r) => r.method === 'GET');
	assert.equal(lists.length, 3);
	for (const request of lists) {
		const url = new URL(request.path, 'http://127.0.0.1');
		const template = specPathFor(url.pathname);
		for (const [name, value] of url.searchParams) {
			const validate = parameterSchema('GET', template, name);
			assert.ok(validate, `${template} documents no query parameter ${name}`);
			const typed = /^\d+$/.test(value) ? Number(value) : value;
			assertValid(validate, typed, `${template}?${name}=${value}`);
		}
	}
});

test('Authorization is the documented bearer scheme, and absent when no key is set', async (t) => {
	const withKey = await capturedClient(t, 'sk-contract');
	await withKey.client.batches.listPage({ limit: 1 });
	assert.equal(withKey.proxy.captured[0].headers.authorization, 'Bearer sk-contract');
	const withoutKey = await capturedClient(t);
	await withoutKey.client.batches.listPage({ limit: 1 });
	assert.equal(withoutKey.proxy.captured[0].headers.authorization, undefined);
});
