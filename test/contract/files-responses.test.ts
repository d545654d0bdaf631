import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UPLOAD_PURPOSES } from '../../src/schemas';
import { assertValidExcept, EVALS_PURPOSE_NOT_IN_FILE_PURPOSE } from './deviations';
import { assertResponseMatchesSpec, responseSchema, spec } from './openapi';
import { call, requestLine, uploadText, useEmulator, type RawResponse } from '../helpers/emulator';

const matchesSpec = (r: RawResponse) => assertResponseMatchesSpec(r.method, r.path, r);

test('upload, get, list and delete answer file objects and lists shaped as the spec documents', async (t) => {
	const emu = await useEmulator(t);
	const upload = await uploadText(emu, [requestLine('a', 'hi')], {
		purpose: 'batch',
		'expires_after[anchor]': 'created_at',
		'expires_after[seconds]': '3600',
	});
	assert.equal(upload.status, 200);
	matchesSpec(upload);
	assert.equal(upload.body.expires_at, upload.body.created_at + 3600);
	const id: string = upload.body.id;

	const second = await uploadText(emu, [requestLine('b', 'hi')], { purpose: 'user_data' });
	matchesSpec(second);
	assert.equal(second.body.expires_at, null, 'non-batch files persist: the nullable form is exercised');

	matchesSpec(await call(emu, 'GET', `/v1/files/${id}`));

	const all = await call(emu, 'GET', '/v1/files');
	matchesSpec(all);
	assert.equal(all.body.data.length, 2);
	const page = await call(emu, 'GET', '/v1/files?limit=1&order=asc');
	matchesSpec(page);
	assert.equal(page.body.has_more, true);
	const next = await call(emu, 'GET', `/v1/files?limit=1&order=asc&after=${page.body.last_id}`);
	matchesSpec(next);
	const filtered = await call(emu, 'GET', '/v1/files?purpose=batch_output');
	matchesSpec(filtered);
	assert.deepEqual(filtered.body.data, [], 'an empty page: first_id/last_id in their null form');
	assert.equal(filtered.body.first_id, null);

	const content = await call(emu, 'GET', `/v1/files/${id}/content`);
	assert.equal(content.status, 200);
	const documentedTypes = Object.keys(spec.paths['/v1/files/{file_id}/content'].get.responses!['200'].content!);
	assert.ok(documentedTypes.includes(content.contentType.split(';')[0]), `content type ${content.contentType} is one of ${documentedTypes}`);
	assert.equal(content.body, `${requestLine('a', 'hi')}\n`);

	const deleted = await call(emu, 'DELETE', `/v1/files/${id}`);
	matchesSpec(deleted);
	assert.deepEqual(deleted.body, { id, object: 'file', deleted: true });
});

test('every upload purpose gives a file object the spec accepts (evals: a named spec inconsistency)', async (t) => {
	const emu = await useEmulator(t);
	for (const purpose of UPLOAD_PURPOSES) {
		const upload = await uploadText(emu, ['{}'], { purpose });
		assert.equal(upload.status, 200, purpose);
		const validate = responseSchema('POST', '/v1/files', 200);
		assertValidExcept(validate, upload.body, `upload with purpose ${purpose}`, purpose === 'evals' ? [EVALS_PURPOSE_NOT_IN_FILE_PURPOSE] : []);
	}
});

test('unknown file ids answer 404 ErrorResponseModel on get, content and delete', async (t) => {
	const emu = await useEmulator(t);
	for (const [method, path] of [
		['GET', '/v1/files/file-missing'],
		['GET', '/v1/files/file-missing/content'],
		['DELETE', '/v1/files/file-missing'],
	]) {
		const response = await call(emu, method, path);
		assert.equal(response.status, 404, `${method} ${path}`);
		matchesSpec(response);
		assert.equal(response.body.error.param, 'file_id');
	}
});

test('bad list parameters answer 422 HTTPValidationError naming the query field', async (t) => {
	const emu = await useEmulator(t);
	for (const [query, field] of [
		['limit=0', 'limit'],
		['limit=10001', 'limit'],
		['limit=ten', 'limit'],
		['order=sideways', 'order'],
		['purpose=nope', 'purpose'],
	]) {
		const response = await call(emu, 'GET', `/v1/files?${query}`);
		assert.equal(response.status, 422, query);
		matchesSpec(response);
		assert.deepEqual(response.body.detail[0].loc, ['query', field]);
	}
});
