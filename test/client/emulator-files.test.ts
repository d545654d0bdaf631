import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileObjectSchema, FileDeletedSchema, listEnvelopeSchema, ValidationErrorEnvelopeSchema, ErrorEnvelopeSchema } from '../../src/schemas';
import { call, requestLine, uploadText, useEmulator } from '../helpers/emulator';

test('upload, get, content, delete a file', async (t) => {
	const emu = await useEmulator(t);
	const content = [requestLine('a', 'one'), requestLine('b', 'two')].join('\n');
	const uploaded = await uploadText(emu, content);
	assert.equal(uploaded.status, 200);
	const file = FileObjectSchema.parse(uploaded.body);
	assert.equal(file.purpose, 'batch');
	assert.equal(file.bytes, Buffer.byteLength(content));
	assert.equal(file.filename, 'input.jsonl');
	assert.equal(file.expires_at, file.created_at + 2_592_000, 'batch files expire after 30 days by default');

	const got = await call(emu, 'GET', `/v1/files/${file.id}`);
	assert.deepEqual(got.body, uploaded.body);
	const raw = await call(emu, 'GET', `/v1/files/${file.id}/content`);
	assert.equal(raw.status, 200);
	assert.equal(raw.body, content);

	const deleted = await call(emu, 'DELETE', `/v1/files/${file.id}`);
	assert.deepEqual(FileDeletedSchema.parse(deleted.body), { id: file.id, object: 'file', deleted: true });
	for (const path of [`/v1/files/${file.id}`, `/v1/files/${file.id}/content`]) {
		const missing = await call(emu, 'GET', path);
		assert.equal(missing.status, 404);
		assert.equal(ErrorEnvelopeSchema.parse(missing.body).error.param, 'file_id');
		assert.match(missing.body.error.message, new RegExp(file.id));
	}
	assert.equal((await call(emu, 'DELETE', `/v1/files/${file.id}`)).status, 404);
});

test('a file survives a binary round trip byte for byte (chunk boundaries, CRLF, unicode)', async (t) => {
	const emu = await useEmulator(t);
	const content = `${'x'.repeat(70_000)}\r\n--not-a-boundary\r\nünïcødé ✓\n`.repeat(20);
	const uploaded = await uploadText(emu, content, { purpose: 'user_data' });
	assert.equal(uploaded.status, 200);
	assert.equal(uploaded.body.expires_at, null, 'only batch files expire by default');
	const raw = await call(emu, 'GET', `/v1/files/${uploaded.body.id}/content`);
	assert.equal(raw.body, content);
});

test('expires_after[anchor]/[seconds] set the expiry; out of range is a 422 detail', async (t) => {
	const emu = await useEmulator(t);
	const ok = await uploadText(emu, requestLine('a', 'x'), {
		purpose: 'batch',
		'expires_after[anchor]': 'created_at',
		'expires_after[seconds]': '3600',
	});
	assert.equal(ok.status, 200);
	assert.equal(ok.body.expires_at, ok.body.created_at + 3600);

	for (const seconds of ['3599', '2592001', 'soon']) {
		const bad = await uploadText(emu, requestLine('a', 'x'), {
			purpose: 'batch',
			'expires_after[anchor]': 'created_at',
			'expires_after[seconds]': seconds,
		});
		assert.equal(bad.status, 422, seconds);
		const detail = ValidationErrorEnvelopeSchema.parse(bad.body).detail;
		assert.deepEqual(detail[0].loc, ['body', 'expires_after', 'seconds']);
	}
	const badAnchor = await uploadText(emu, 'x', { purpose: 'batch', 'expires_after[anchor]': 'now', 'expires_after[seconds]': '3600' });
	assert.equal(badAnchor.status, 422);
	assert.deepEqual(badAnchor.body.detail[0].loc, ['body', 'expires_after', 'anchor']);
});

test('upload without file or with a bad purpose is a 422 detail naming the field', async (t) => {
	const emu = await useEmulator(t);
	const badPurpose = await uploadText(emu, 'x', { purpose: 'batches' });
	assert.equal(badPurpose.status, 422);
	assert.deepEqual(badPurpose.body.detail[0].loc, ['body', 'purpose']);

	const noPurpose = await uploadText(emu, 'x', {});
	assert.equal(noPurpose.status, 422);
	assert.deepEqual(noPurpose.body.detail[0].loc, ['body', 'purpose']);

	const form = new FormData();
	form.set('purpose', 'batch');
	const noFile = await call(emu, 'POST', '/v1/files', form);
	assert.equal(noFile.status, 422);
	assert.deepEqual(noFile.body.detail.map((d: { loc: string[] }) => d.loc), [['body', 'file']]);

	const notMultipart = await call(emu, 'POST', '/v1/files', { purpose: 'batch' });
	assert.equal(notMultipart.status, 422);
	ValidationErrorEnvelopeSchema.parse(notMultipart.body);
	assert.equal((await call(emu, 'GET', '/v1/files')).body.data.length, 0, 'nothing was stored');
});

test('uploads over maxUploadBytes are refused with 413 and nothing is stored', async (t) => {
	const emu = await useEmulator(t, { maxUploadBytes: 1000 });
	const tooBig = await uploadText(emu, 'y'.repeat(5000));
	assert.equal(tooBig.status, 413);
	assert.equal(tooBig.body.error.code, 'file_too_large');
	assert.match(tooBig.body.error.message, /larger than the 1,000 bytes/, 'quotes the limit that was enforced');
	assert.doesNotMatch(tooBig.body.error.message, /200,?000,?000/);
	assert.equal((await call(emu, 'GET', '/v1/files')).body.data.length, 0);
	assert.equal((await uploadText(emu, 'y'.repeat(500))).status, 200, 'the emulator still serves afterwards');
});

test('list files: order, purpose filter and cursor pagination', async (t) => {
	const emu = await useEmulator(t);
	const ids: string[] = [];
	for (let i = 0; i < 5; i++) ids.push((await uploadText(emu, `line ${i}`, { purpose: i % 2 === 0 ? 'batch' : 'user_data' })).body.id);
	const Envelope = listEnvelopeSchema(FileObjectSchema);

	const all = Envelope.parse((await call(emu, 'GET', '/v1/files')).body);
	assert.deepEqual(all.data.map((f) => f.id), [...ids].reverse(), 'newest first by default');
	assert.equal(all.has_more, false);

	const asc = Envelope.parse((await call(emu, 'GET', '/v1/files?order=asc&limit=2')).body);
	assert.deepEqual(asc.data.map((f) => f.id), ids.slice(0, 2));
	assert.equal(asc.first_id, ids[0]);
	assert.equal(asc.last_id, ids[1]);
	assert.equal(asc.has_more, true);

	const seen: string[] = [];
	let after: string | undefined;
	for (;;) {
		const page = Envelope.parse((await call(emu, 'GET', `/v1/files?order=asc&limit=2${after ? `&after=${after}` : ''}`)).body);
		seen.push(...page.data.map((f) => f.id));
		if (!page.has_more) break;
		after = page.last_id ?? undefined;
	}
	assert.deepEqual(seen, ids);

	const batchOnly = Envelope.parse((await call(emu, 'GET', '/v1/files?purpose=batch&order=asc')).body);
	assert.deepEqual(batchOnly.data.map((f) => f.id), [ids[0], ids[2], ids[4]]);

	for (const query of ['limit=0', 'limit=10001', 'limit=abc', 'order=up', 'purpose=nope']) {
		const bad = await call(emu, 'GET', `/v1/files?${query}`);
		assert.equal(bad.status, 422, query);
		assert.deepEqual(ValidationErrorEnvelopeSchema.parse(bad.body).detail[0].loc, ['query', query.split('=')[0]]);
	}
});

test('health and ready answer without a key; /v1 needs the key when one is set; the log never holds it', async (t) => {
	const emu = await useEmulator(t, { apiKey: 'sk-secret-123' });
	assert.equal((await call(emu, 'GET', '/health')).status, 200);
	assert.equal((await call(emu, 'GET', '/ready')).status, 200);

	const noKey = await call(emu, 'GET', '/v1/batches');
	assert.equal(noKey.status, 401);
	assert.equal(ErrorEnvelopeSchema.parse(noKey.body).error.type, 'authentication_error');
	const wrongKey = await call(emu, 'GET', '/v1/batches', undefined, { authorization: 'Bearer nope' });
	assert.equal(wrongKey.status, 401);
	const rightKey = await call(emu, 'GET', '/v1/batches?limit=1', undefined, { authorization: 'Bearer sk-secret-123' });
	assert.equal(rightKey.status, 200);

	assert.deepEqual(
		emu.requests.map(({ method, path, hasAuthorization }) => ({ method, path, hasAuthorization })),
		[
			{ method: 'GET', path: '/health', hasAuthorization: false },
			{ method: 'GET', path: '/ready', hasAuthorization: false },
			{ method: 'GET', path: '/v1/batches', hasAuthorization: false },
			{ method: 'GET', path: '/v1/batches', hasAuthorization: true },
			{ method: 'GET', path: '/v1/batches', hasAuthorization: true },
		],
	);
	assert.equal(emu.requests[4].query, '?limit=1');
	assert.doesNotMatch(JSON.stringify(emu.requests), /sk-secret/);
});

test('unknown endpoints are a 404 in the error shape', async (t) => {
	const emu = await useEmulator(t);
	const missing = await call(emu, 'GET', '/v1/nothing');
	assert.equal(missing.status, 404);
	ErrorEnvelopeSchema.parse(missing.body);
	assert.equal((await call(emu, 'PUT', '/v1/files')).status, 405);
});
