import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BATCH_STATUSES } from '../../src/schemas';
import { assertValidExcept, JOB_ID_NULL_WHEN_CREATED_WITHOUT } from './deviations';
import { assertResponseMatchesSpec, responseSchema, spec } from './openapi';
import { call, createBatchFrom, requestLine, useEmulator, type RawResponse } from '../helpers/emulator';

const matchesSpec = (r: RawResponse) => assertResponseMatchesSpec(r.method, r.path, r);
const JOB = { job_id: 'job-contract' };
const MANUAL = { pace: { manual: true as const, requestsPerStep: 1 } };

/** GETs the batch, checks it against the spec and returns it. */
async function getChecked(emu: Parameters<typeof call>[0], id: string) {
	const response = await call(emu, 'GET', `/v1/batches/${id}`);
	assert.equal(response.status, 200);
	matchesSpec(response);
	return response.body;
}

test('a batch matches BatchModel at every step of validating -> in_progress -> finalizing -> completed, with output and error files', async (t) => {
	const emu = await useEmulator(t, MANUAL);
	const created = await createBatchFrom(emu, [requestLine('a', 'hi'), requestLine('b', '[[fail]] please')], {
		...JOB,
		metadata: { team: 'search' },
		output_expires_after: { anchor: 'created_at', seconds: 7200 },
	});
	assert.equal(created.status, 200);
	matchesSpec(created);
	assert.equal(created.body.status, 'validating');

	const seen = new Set<string>([created.body.status]);
	let batch = created.body;
	while (batch.status !== 'completed') {
		await emu.advance(batch.id);
		batch = await getChecked(emu, batch.id);
		seen.add(batch.status);
	}
	assert.deepEqual([...seen], ['validating', 'in_progress', 'finalizing', 'completed']);
	assert.deepEqual(batch.request_counts, { total: 2, completed: 1, failed: 1 });
	assert.ok(batch.output_file_id && batch.error_file_id, 'both files exist');

	for (const fileId of [batch.output_file_id, batch.error_file_id]) {
		const file = await call(emu, 'GET', `/v1/files/${fileId}`);
		matchesSpec(file);
		assert.equal(file.body.purpose, 'batch_output');
	}
	const outputs = await call(emu, 'GET', '/v1/files?purpose=batch_output');
	matchesSpec(outputs);
	assert.equal(outputs.body.data.length, 2);
});

test('a batch whose input file is rejected is failed with errors matching BatchErrorsModel', async (t) => {
	const emu = await useEmulator(t, MANUAL);
	const created = await createBatchFrom(emu, [requestLine('dup', 'a'), requestLine('dup', 'b'), 'not json'], JOB);
	await emu.advance(created.body.id);
	const batch = await getChecked(emu, created.body.id);
	assert.equal(batch.status, 'failed');
	assert.ok(batch.errors.data.length >= 2, JSON.stringify(batch.errors));
	assert.ok(batch.errors.data.some((e: { line: number | null }) => e.line !== null), 'the integer form of line is exercised');
});

test('cancelling and cancelled batches (and the cancel answer) match BatchModel', async (t) => {
	const emu = await useEmulator(t, MANUAL);
	const created = await createBatchFrom(emu, [requestLine('a', 'hi'), requestLine('b', 'there'), requestLine('c', 'you')], JOB);
	await emu.advance(created.body.id, 2);
	const cancel = await call(emu, 'POST', `/v1/batches/${created.body.id}/cancel`);
	assert.equal(cancel.status, 200);
	matchesSpec(cancel);
	assert.equal(cancel.body.status, 'cancelling');
	await emu.advance(created.body.id);
	const batch = await getChecked(emu, created.body.id);
	assert.equal(batch.status, 'cancelled');
	assert.equal(typeof batch.cancelled_at, 'number');
	const again = await call(emu, 'POST', `/v1/batches/${created.body.id}/cancel`);
	matchesSpec(again);
});

test('an expired batch with partial output matches BatchModel', async (t) => {
	const emu = await useEmulator(t, MANUAL);
	const created = await createBatchFrom(emu, [requestLine('a', 'hi'), requestLine('b', 'there')], JOB);
	await emu.advance(created.body.id, 2);
	await emu.expire(created.body.id);
	const batch = await getChecked(emu, created.body.id);
	assert.equal(batch.status, 'expired');
	assert.equal(typeof batch.output_file_id, 'string', 'partial output kept');
});

test('the batch list matches ListBatchesResponse on full, paged and empty pages, across statuses', async (t) => {
	const emu = await useEmulator(t, MANUAL);
	const empty = await call(emu, 'GET', '/v1/batches');
	matchesSpec(empty);
	assert.equal(empty.body.first_id, null);

	const ids: string[] = [];
	for (let i = 0; i < 3; i++) ids.push((await createBatchFrom(emu, [requestLine(`r${i}`, 'hi')], JOB)).body.id);
	await emu.advance(ids[0], 10);
	await emu.advance(ids[1]);
	const all = await call(emu, 'GET', '/v1/batches');
	matchesSpec(all);
	assert.deepEqual(new Set(all.body.data.map((b: { status: string }) => b.status)), new Set(['completed', 'in_progress', 'validating']));
	const page = await call(emu, 'GET', '/v1/batches?limit=1');
	matchesSpec(page);
	assert.equal(page.body.has_more, true);
	matchesSpec(await call(emu, 'GET', `/v1/batches?limit=2&after=${page.body.last_id}`));
});

test('BATCH_STATUSES (src/schemas) is exactly the spec BatchStatus enum', () => {
	assert.deepEqual([...BATCH_STATUSES].sort(), [...(spec.components.schemas.BatchStatus.enum as string[])].sort());
});

test('a batch created without job_id matches BatchModel except the named job_id deviation', async (t) => {
	const emu = await useEmulator(t, MANUAL);
	const created = await createBatchFrom(emu, [requestLine('a', 'hi')]);
	assert.equal(created.status, 200);
	assertValidExcept(responseSchema('POST', '/v1/batches', 200), created.body, 'batch created without job_id', [JOB_ID_NULL_WHEN_CREATED_WITHOUT]);
	const list = await call(emu, 'GET', '/v1/batches');
	assertValidExcept(responseSchema('GET', '/v1/batches', 200), list.body, 'list holding it', [JOB_ID_NULL_WHEN_CREATED_WITHOUT]);
});
