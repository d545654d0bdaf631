import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { createBatchFrom, requestLine, useEmulator } from '../helpers/emulator';
import { nodeError, nodeOutput, TestNodeTypes } from '../helpers/workflow';
import { byId, runOperation } from './fixtures/impala/helpers';

const description = new TestNodeTypes().getByNameAndVersion('n8n-nodes-impala.impala').description;
const lines = (n: number) => Array.from({ length: n }, (_, i) => requestLine(`row-${i}`, `question ${i}`));

test('a cancelled batch: processed rows succeed, the others come back as missing, in input order', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 2 } });
	const { body: created } = await createBatchFrom(emu, lines(5));
	await emu.advance(created.id, 2); // in_progress, then 2 requests answered

	const cancel = await runOperation(emu, { parameters: { resource: 'batch', operation: 'cancel', batchId: byId(created.id) } });
	assert.equal(nodeOutput(cancel, 'Impala')[0].json.status, 'cancelling');

	const early = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id) } });
	assert.match(nodeError(early, 'Impala')?.message ?? '', /is still "cancelling"/);
	assert.match(String(nodeError(early, 'Impala')?.description), /Impala Batch Trigger/);

	await emu.advance(created.id);
	const run = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id), options: { includeRequestBody: true } },
	});
	const items = nodeOutput(run, 'Impala').map((item) => item.json);
	assert.deepEqual(items.map((json) => json.custom_id), ['row-0', 'row-1', 'row-2', 'row-3', 'row-4']);
	const statuses = items.map((json) => json.status);
	assert.equal(statuses.filter((s) => s === 'succeeded').length, 2);
	assert.equal(statuses.filter((s) => s === 'missing').length, 3);
	for (const json of items.filter((j) => j.status === 'missing')) {
		assert.match((json.error as { message: string }).message, /batch ended as "cancelled"/);
		assert.ok(json.request, 'missing rows carry their request body when asked');
	}
});

test('an expired batch keeps its partial output and reports the rest as missing', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 1 } });
	const { body: created } = await createBatchFrom(emu, lines(3));
	await emu.advance(created.id, 2);
	await emu.expire(created.id);
	const run = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id) } });
	const statuses = nodeOutput(run, 'Impala').map((item) => item.json.status);
	assert.deepEqual([...statuses].sort(), ['missing', 'missing', 'succeeded']);
});

test('create checks metadata against the limits before any call', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const pairs = Array.from({ length: 17 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
	const run = await runOperation(emu, {
		parameters: {
			resource: 'batch',
			operation: 'create',
			inputFileId: byId('file-any'),
			endpoint: '/v1/chat/completions',
			options: { metadata: { pairs } },
		},
	});
	const error = nodeError(run, 'Impala');
	assert.match(error?.message ?? '', /Metadata: Metadata can have at most 16 key\/value pairs/);
	assert.match(String(error?.description), /at most 16 metadata pairs/);
	assert.equal(emu.requests.length, 0, 'nothing was sent to Impala');

	const longValue = await runOperation(emu, {
		parameters: {
			resource: 'batch',
			operation: 'create',
			inputFileId: byId('file-any'),
			endpoint: '/v1/chat/completions',
			options: { metadata: { pairs: [{ key: 'note', value: 'x'.repeat(513) }] } },
		},
	});
	assert.match(nodeError(longValue, 'Impala')?.message ?? '', /key "note".*at most 512 characters/);
	assert.equal(emu.requests.length, 0);
});

test('create reads metadata like the Batch Builder: keys are trimmed, and a key given twice is an error before any call', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(lines(1).join('\n')), filename: 'in.jsonl' });
	const create = (pairs: Array<{ key: string; value: string }>) =>
		runOperation(emu, {
			parameters: { resource: 'batch', operation: 'create', inputFileId: byId(file.id), endpoint: '/v1/chat/completions', options: { metadata: { pairs } } },
		});
	const before = emu.requests.length;
	const repeated = nodeError(await create([{ key: ' team ', value: 'a' }, { key: 'team', value: 'b' }]), 'Impala');
	assert.equal(repeated?.message, 'Metadata: has the key "team" more than once');
	assert.equal(repeated?.description, 'Give each key once.');
	assert.equal(emu.requests.length, before, 'nothing was sent to Impala');

	const run = await create([{ key: ' team ', value: 'ops' }]);
	assert.deepEqual(nodeOutput(run, 'Impala')[0].json.metadata, { team: 'ops' });
});

test('create sends job ID, completion window and output expiry; get returns the batch', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual', jobs: { 'job-1': 'm' } });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(lines(2).join('\n')), filename: 'in.jsonl' });
	const run = await runOperation(emu, {
		parameters: {
			resource: 'batch',
			operation: 'create',
			inputFileId: { __rl: true, mode: 'list', value: file.id },
			endpoint: '/v1/chat/completions',
			jobId: ' job-1 ',
			options: { completionWindow: 'unlimited', outputExpiresAfterHours: 2 },
		},
	});
	const [created] = nodeOutput(run, 'Impala');
	assert.equal(created.json.status, 'validating');
	assert.equal(created.json.job_id, 'job-1');
	assert.equal(created.json.input_file_id, file.id);
	assert.equal(created.json.completion_window, 'unlimited');

	const get = await runOperation(emu, { parameters: { resource: 'batch', operation: 'get', batchId: byId(String(created.json.id)) } });
	assert.equal(nodeOutput(get, 'Impala')[0].json.id, created.json.id);

	const badExpiry = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'create', inputFileId: byId(file.id), endpoint: '/v1/chat/completions', options: { outputExpiresAfterHours: 0.5 } },
	});
	assert.match(nodeError(badExpiry, 'Impala')?.message ?? '', /Output Expires After \(Hours\): Expiry must be at least 3600 seconds/);
});

test('get with Wait for Completion polls until the batch ends, and gives up after Max Wait with a clear error', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const { body: created } = await createBatchFrom(emu, lines(3));
	const run = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'get', batchId: byId(created.id), waitForCompletion: true, maxWaitMinutes: 1, pollIntervalSeconds: 0.01 },
	});
	assert.equal(nodeOutput(run, 'Impala')[0].json.status, 'completed');

	const manual = await useEmulator(t, { pace: 'manual' });
	const { body: stuck } = await createBatchFrom(manual, lines(1));
	const timeout = await runOperation(manual, {
		parameters: { resource: 'batch', operation: 'get', batchId: byId(stuck.id), waitForCompletion: true, maxWaitMinutes: 0.0005, pollIntervalSeconds: 0.01 },
	});
	const error = nodeError(timeout, 'Impala');
	assert.match(error?.message ?? '', new RegExp(`Batch ${stuck.id} is still "validating" after`));
	assert.match(String(error?.description), /Impala Batch Trigger/);
	assert.ok(manual.requests.filter((r) => r.path === `/v1/batches/${stuck.id}`).length >= 2, 'it polled more than once');
});

test('get with Wait for Completion on a batch that has already ended asks Impala once', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const { body: created } = await createBatchFrom(emu, lines(2));
	await emu.advance(created.id, 4); // validating -> in_progress -> answered -> finalizing -> completed
	const before = emu.requests.length;
	const run = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'get', batchId: byId(created.id), waitForCompletion: true, maxWaitMinutes: 1, pollIntervalSeconds: 1 },
	});
	assert.equal(nodeOutput(run, 'Impala')[0].json.status, 'completed');
	const gets = emu.requests.slice(before).filter((r) => r.method === 'GET' && r.path === `/v1/batches/${created.id}`);
	assert.equal(gets.length, 1);
});

test('create checks the fields before calling Impala and names the editor field with a fix that fits', async (t) => {
	const emu = await useEmulator(t);
	const noFile = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'create', inputFileId: byId('={{ $json.fileId ?? "" }}'), endpoint: '/v1/chat/completions' },
	});
	const fileError = nodeError(noFile, 'Impala');
	assert.match(fileError?.message ?? '', /^Input File: the File ID is empty/);
	assert.match(String(fileError?.description), /^Pick the file from the list in "Input File"/);

	const badEndpoint = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'create', inputFileId: byId('file-1'), endpoint: '={{ "/v1/chat" }}' },
	});
	const endpointError = nodeError(badEndpoint, 'Impala');
	assert.match(endpointError?.message ?? '', /^Endpoint: /);
	assert.match(String(endpointError?.description), /^Pick one of the endpoints in the list/);
	assert.deepEqual(emu.requests.filter((r) => r.method === 'POST'), []);
});

test('Poll Interval is at least 1 second, even when an expression gives 0', async (t) => {
	const field = description.properties.find((p) => p.name === 'pollIntervalSeconds');
	assert.equal(field?.typeOptions?.minValue, 1);

	const emu = await useEmulator(t, { pace: 'manual' });
	const { body: stuck } = await createBatchFrom(emu, lines(1));
	const run = await runOperation(emu, {
		// 2.4 seconds of waiting: at one check a second that is at most 4 checks; with no pause, hundreds.
		parameters: { resource: 'batch', operation: 'get', batchId: byId(stuck.id), waitForCompletion: true, maxWaitMinutes: 0.04, pollIntervalSeconds: '={{ 0 }}' },
	});
	assert.match(nodeError(run, 'Impala')?.message ?? '', /is still "validating" after/);
	const polls = emu.requests.filter((r) => r.path === `/v1/batches/${stuck.id}`).length;
	assert.ok(polls >= 2 && polls <= 5, `polled ${polls} times`);
});

test('get many: limit, and return all paging with `after`', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(lines(1).join('\n')), filename: 'in.jsonl' });
	const made: string[] = [];
	for (let i = 0; i < 105; i++) {
		made.push((await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' })).id);
	}
	const limited = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getAll', returnAll: false, limit: 3 } });
	assert.deepEqual(nodeOutput(limited, 'Impala').map((item) => item.json.id), made.slice(-3).reverse(), 'newest first');

	emu.requests.length = 0;
	const all = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getAll', returnAll: true } });
	const items = nodeOutput(all, 'Impala');
	assert.equal(items.length, 105);
	assert.deepEqual(new Set(items.map((item) => item.json.id)), new Set(made));
	assert.ok(items.every((item) => (item.pairedItem as { item: number }).item === 0));
	const pages = emu.requests.filter((r) => r.path === '/v1/batches');
	assert.equal(pages.length, 2);
	assert.match(pages[1].query, /after=/);
});

test('cancel on a deployment without cancel reads "not supported by this deployment"', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual', cancelSupported: false });
	const { body: created } = await createBatchFrom(emu, lines(1));
	const run = await runOperation(emu, { parameters: { resource: 'batch', operation: 'cancel', batchId: byId(created.id) } });
	const error = nodeError(run, 'Impala');
	assert.match(error?.message ?? '', new RegExp(`^Cancelling batch ${created.id} is not supported by this deployment \\(501 Not Implemented\\)`));
	assert.match(String(error?.description), /^Let the batch finish, or ask Impala to upgrade the deployment\./);
	assert.equal((error as { httpCode?: string } | undefined)?.httpCode, '501');
});

test('Continue On Fail: a failing item gets the error, paired with its input, and the other items go on', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const { body: a } = await createBatchFrom(emu, lines(1));
	const { body: b } = await createBatchFrom(emu, lines(1));
	const parameters = { resource: 'batch', operation: 'get', batchId: byId('={{ $json.id }}') };
	const items = [{ id: a.id }, { id: 'batch-does-not-exist' }, { id: b.id }];

	const run = await runOperation(emu, { parameters, items, continueOnFail: true });
	const out = nodeOutput(run, 'Impala');
	assert.equal(out.length, 3);
	assert.equal(out[0].json.id, a.id);
	assert.match(String(out[1].json.error), /batch-does-not-exist|not found|404/i);
	assert.ok(out[1].json.description, 'the error item says what to do');
	assert.equal(out[2].json.id, b.id);
	assert.deepEqual(out.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);

	const stopped = await runOperation(emu, { parameters, items });
	const error = nodeError(stopped, 'Impala') as { context?: { itemIndex?: number }; httpCode?: string } | undefined;
	assert.equal(error?.context?.itemIndex, 1);
	assert.equal(error?.httpCode, '404');
});

test('get results of a failed batch explains the validation errors', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const bad = [requestLine('a', 'x'), '{"custom_id":"b","method":"POST","url":"/v1/embeddings","body":{"model":"m","input":"y"}}'];
	const { body: created } = await createBatchFrom(emu, bad);
	const client = new ImpalaClient({ baseUrl: emu.url });
	for (let batch = await client.batches.get(created.id); batch.status !== 'failed'; batch = await client.batches.get(created.id)) {
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	const run = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id) } });
	const error = nodeError(run, 'Impala');
	assert.match(error?.message ?? '', new RegExp(`Batch ${created.id} failed: Impala rejected its input file \\(line 2`));
	assert.match(String(error?.description), /Fix the input file/);
});

test('when the input file is gone, results come in output order with a hint that says so', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 2 } });
	const { body: created } = await createBatchFrom(emu, lines(4));
	await emu.advance(created.id, 2);
	await emu.expire(created.id);
	await new ImpalaClient({ baseUrl: emu.url }).files.delete(created.input_file_id);

	const run = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id) } });
	const items = nodeOutput(run, 'Impala');
	assert.equal(items.length, 2, 'only the answered requests can be listed');
	assert.ok(items.every((item) => item.json.status === 'succeeded'));
	const hints = run.data.resultData.runData.Impala[0].hints ?? [];
	assert.match(hints[0]?.message ?? '', new RegExp(`input file ${created.input_file_id} of batch ${created.id} is gone`));
});
