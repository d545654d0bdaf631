import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { componentSchema, SHARED_SPEC_PATH, SPEC_PATH, spec, VENDORED_SPEC_PATH } from './openapi';

test('the vendored spec is identical to shared/impala-openapi.json when both exist (drift is noticed)', (t) => {
	if (!existsSync(SHARED_SPEC_PATH)) {
		t.skip(`no ${SHARED_SPEC_PATH} beside the repo; the tests use the vendored copy`);
		return;
	}
	assert.equal(SPEC_PATH, SHARED_SPEC_PATH, 'the shared copy is preferred when present');
	assert.equal(
		readFileSync(VENDORED_SPEC_PATH, 'utf8'),
		readFileSync(SHARED_SPEC_PATH, 'utf8'),
		'test/contract/impala-openapi.json differs from ../shared/impala-openapi.json: copy the shared one over it and rerun the contract tests',
	);
});

test('the spec is OpenAPI 3.1 and every component schema compiles as JSON Schema 2020-12', () => {
	assert.match(spec.openapi, /^3\.1\./);
	const names = Object.keys(spec.components.schemas);
	assert.ok(names.length >= 19, `component schemas: ${names.join(', ')}`);
	for (const name of names) assert.equal(typeof componentSchema(name), 'function', name);
});

test('the validators reject what the spec forbids (the contract checks can fail)', () => {
	const file = componentSchema('FileObjectModel');
	assert.equal(file({ id: 'file-1', object: 'file', bytes: 1, created_at: 1, expires_at: null, filename: 'a', purpose: 'batch' }), true);
	assert.equal(file({ id: 'file-1', object: 'file', bytes: 1, created_at: 1, expires_at: null, filename: 'a', purpose: 'nope' }), false);
	assert.equal(file({ id: 'file-1', object: 'file', bytes: 1.5, created_at: 1, expires_at: null, filename: 'a', purpose: 'batch' }), false);
	const batch = componentSchema('BatchModel');
	assert.equal(batch({ id: 'batch-1', endpoint: '/v1/completions', completion_window: 'unlimited', created_at: 1, job_id: 'job-1', input_file_id: 'file-1', request_counts: { total: 0, completed: 0, failed: 0 }, status: 'queued' }), false);
});
