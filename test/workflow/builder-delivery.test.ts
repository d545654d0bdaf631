import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';
import { call, fileLines, useEmulator, type Emulator } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, CHAT_PARAMETERS, itemsWorkflow } from './fixtures/builder/workflows';

const ROWS = [
	{ id: 'a', text: 'one' },
	{ id: 'b', text: 'two ½' },
	{ id: 'c', text: 'three' },
];

/** The emulator behind the chaos proxy; the Builder's credential points at the proxy. */
async function setup(t: Parameters<typeof useEmulator>[0]): Promise<{ emu: Emulator; proxy: ChaosProxy }> {
	const emu = await useEmulator(t);
	const proxy = await startChaosProxy({ target: emu.url });
	t.after(() => proxy.close());
	return { emu, proxy };
}

function run(proxy: ChaosProxy, parameters: Record<string, unknown> = {}) {
	return runWorkflow(itemsWorkflow(ROWS, { mode: 'createBatch', ...CHAT_PARAMETERS, ...parameters }), {
		credentials: { impalaApi: { baseUrl: proxy.url, apiKey: '' } },
	});
}

async function listed<T>(emu: Emulator, path: string): Promise<T[]> {
	return (await call<{ data: T[] }>(emu, 'GET', path)).body.data;
}

/** Exactly one file and one batch exist, the batch made from the file, holding the three rows in order. */
async function assertExactlyOnce(emu: Emulator, output: Record<string, unknown>): Promise<void> {
	const files = await listed<{ id: string }>(emu, '/v1/files');
	const batches = await listed<{ id: string; input_file_id: string }>(emu, '/v1/batches');
	assert.equal(files.length, 1, 'one file');
	assert.equal(batches.length, 1, 'one batch');
	assert.equal(batches[0].input_file_id, files[0].id);
	assert.equal(output.id, batches[0].id, 'the output is the batch that exists');
	const lines = await fileLines(emu, files[0].id);
	assert.deepEqual(lines.map((l: { custom_id: string }) => l.custom_id), ['a', 'b', 'c']);
}

test('the upload answered 429: sent again from the kept lines, exactly one file and one batch', async (t) => {
	const { emu, proxy } = await setup(t);
	proxy.add({ method: 'POST', path: '/v1/files', times: 1, fault: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
	const [batch] = nodeOutput(await run(proxy), BUILDER);
	await assertExactlyOnce(emu, batch.json);
	assert.equal(proxy.requests.filter((r) => r.method === 'POST' && r.path === '/v1/files').length, 2, 'sent twice');
});

test('the upload answer was lost after Impala stored the file: found by name and size, not uploaded again', async (t) => {
	const { emu, proxy } = await setup(t);
	proxy.add({ method: 'POST', path: '/v1/files', times: 1, fault: { kind: 'resetAfterForward' } });
	const [batch] = nodeOutput(await run(proxy), BUILDER);
	await assertExactlyOnce(emu, batch.json);
	assert.deepEqual((batch.json.summary as { recovered?: unknown }).recovered, { upload: true, create: false });
});

for (const fault of [{ kind: 'resetAfterForward' }, { kind: 'cut200', at: 'midJson' }, { kind: 'status', status: 502, body: 'html', forward: true }] as const) {
	test(`the create answer was lost (${fault.kind}${'status' in fault ? ` ${fault.status}` : ''}) after the batch was made: found, not created twice`, async (t) => {
		const { emu, proxy } = await setup(t);
		proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault });
		const [batch] = nodeOutput(await run(proxy), BUILDER);
		await assertExactlyOnce(emu, batch.json);
		assert.deepEqual((batch.json.summary as { recovered?: unknown }).recovered, { upload: false, create: true });
	});
}

test('the proxy sends the create twice: still one batch', async (t) => {
	const { emu, proxy } = await setup(t);
	proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'duplicate' } });
	const result = await run(proxy);
	const batches = await listed<{ id: string }>(emu, '/v1/batches');
	// A duplicated POST is the network's doing: the Builder reports the batch it was answered with.
	const [batch] = nodeOutput(result, BUILDER);
	assert.ok(batches.some((b) => b.id === batch.json.id));
	assert.equal(proxy.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length, 1, 'the Builder sent one create');
});

test('a completion window Impala refuses (422): no batch, the uploaded file is deleted and the error says so', async (t) => {
	const { emu, proxy } = await setup(t);
	const result = await run(proxy, { batchOptions: { completionWindow: '24h' } });
	const error = nodeError(result, BUILDER);
	assert.match(error?.message ?? '', /^No batch was created/);
	assert.match(String(error?.description), /The uploaded file file-[0-9a-f]+ was deleted, so nothing is left behind/);
	assert.deepEqual(await listed(emu, '/v1/files'), [], 'no file left behind');
	assert.deepEqual(await listed(emu, '/v1/batches'), []);
});

test('a create whose outcome stays unknown names the file and never advises creating the batch', async (t) => {
	const { emu, proxy } = await setup(t);
	proxy.add({ method: 'POST', path: '/v1/batches', fault: { kind: 'status', status: 503, body: 'html' } });
	const result = await run(proxy);
	const error = nodeError(result, BUILDER);
	const files = await listed<{ id: string }>(emu, '/v1/files');
	assert.equal(files.length, 1, 'the file is kept');
	const text = `${error?.message} ${error?.description}`;
	assert.match(text, new RegExp(files[0].id));
	assert.doesNotMatch(text, /Create the batch from it/i);
	assert.deepEqual(await listed(emu, '/v1/batches'), []);
});

test('Continue On Fail: a credential whose base URL is not valid gives an error item, not a failed execution', async () => {
	const result = await runWorkflow(itemsWorkflow(ROWS, { mode: 'createBatch', ...CHAT_PARAMETERS }, true), {
		credentials: { impalaApi: { baseUrl: 'not a url', apiKey: '' } },
	});
	assert.equal(result.status, 'success');
	const [item] = nodeOutput(result, BUILDER);
	assert.ok(item.json.error, JSON.stringify(item.json));
});
