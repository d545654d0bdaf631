import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { Batch } from '../../src/schemas';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';
import { useEmulator, waitForTerminal, type Emulator } from '../helpers/emulator';
import { nodeOutput } from '../helpers/workflow';
import { allBatches, chatLines, directClient, inputFiles, onlyItem, runGetResults, runRetry, startBatch } from './retry-helpers';

/** An emulator behind a chaos proxy and a finished batch with two failed requests (b, d). */
async function setup(t: TestContext): Promise<{ emu: Emulator; proxy: ChaosProxy; original: Batch }> {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const proxy = await startChaosProxy({ target: emu.url });
	t.after(() => proxy.close());
	const original = await startBatch(emu, chatLines(['a', 'b', 'c', 'd'], ['b', 'd']));
	assert.equal(original.request_counts?.failed, 2);
	return { emu, proxy, original };
}

const retriesOf = async (emu: Emulator, original: Batch) => (await allBatches(emu)).filter((batch) => batch.metadata?.retry_of === original.id);

test('the create of the retry delivered twice: one retry stands, the second is cancelled, and a second run creates nothing', async (t) => {
	const { emu, proxy, original } = await setup(t);
	proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'duplicate' } });
	const item = onlyItem(await runRetry(proxy.url, original.id, { model: 'm2' })).json;
	assert.equal(proxy.forwarded('POST', '/v1/batches'), 2, 'Impala got the create twice');

	const retries = await retriesOf(emu, original);
	assert.equal(retries.length, 2);
	const standing = retries.filter((batch) => !['cancelling', 'cancelled'].includes(batch.status));
	assert.deepEqual(standing.map((batch) => batch.id), [item.id], 'one retry stands, and it is the one in the output');
	assert.match(String((item.notes as string[])[0]), /second retry of the same batch .* it was cancelled/);

	const again = onlyItem(await runRetry(proxy.url, original.id, { model: 'm2' })).json;
	assert.equal(again.id, item.id);
	assert.equal(again.existing, true);
	assert.equal((await retriesOf(emu, original)).length, 2, 'nothing more was created');

	await waitForTerminal(directClient(emu), String(item.id));
	const merged = await runGetResults(proxy.url, original.id, { includeRetries: true });
	const rows = nodeOutput(merged, 'Impala').map((row) => row.json);
	assert.deepEqual(rows.map((row) => [row.custom_id, row.status, row.round]), [
		['a', 'succeeded', 0],
		['b', 'succeeded', 1],
		['c', 'succeeded', 0],
		['d', 'succeeded', 1],
	]);
	assert.ok(rows.every((row) => row.round === 0 || row.batch_id === item.id), 'the cancelled duplicate is not read');
});

for (const path of ['/v1/batches', '/v1/files'] as const) {
	test(`the answer to the ${path === '/v1/batches' ? 'create' : 'upload'} of the retry was lost: found on Impala, one retry batch and one retry file`, async (t) => {
		const { emu, proxy, original } = await setup(t);
		proxy.add({ method: 'POST', path, times: 1, fault: { kind: 'resetAfterForward' } });
		const item = onlyItem(await runRetry(proxy.url, original.id)).json;
		assert.equal(item.recovered, true);
		assert.equal(item.retried, 2);
		const retries = await retriesOf(emu, original);
		assert.deepEqual(retries.map((batch) => batch.id), [item.id]);
		assert.equal((await inputFiles(emu)).length, 2, 'the original input and one retry file');
		assert.equal(proxy.forwarded('POST', path), 1, 'never sent blindly again');
	});
}
