import assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import { test } from 'node:test';
import { useEmulator } from '../helpers/emulator';
import { runWorkflow } from '../helpers/workflow';
import { CHAT_PARAMETERS, itemsWorkflow } from './fixtures/builder/workflows';

test('cancelling the execution stops the upload: no batch is created afterwards', { timeout: 60_000 }, async (t) => {
	const emu = await useEmulator(t);
	// The server holds the upload long enough to cancel while it is in flight.
	emu.faults.inject({ kind: 'delay', method: 'POST', path: '/v1/files', ms: 300 });
	const controller = new AbortController();
	const uploading = new Promise<void>((resolve) => {
		const timer = setInterval(() => {
			if (emu.requests.some((r) => r.method === 'POST' && r.path === '/v1/files')) {
				clearInterval(timer);
				resolve();
			}
		}, 5);
	});
	const rows = [{ id: 'a', text: 'one' }];
	const running = runWorkflow(itemsWorkflow(rows, { mode: 'createBatch', ...CHAT_PARAMETERS }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
		signal: controller.signal,
	});
	await uploading;
	controller.abort();
	const run = await running;
	assert.equal(run.status, 'canceled');
	// Well past the server's delay: an upload that went on would have been answered and a batch created.
	await wait(1500);
	assert.deepEqual(
		emu.requests.filter((r) => r.path === '/v1/batches'),
		[],
	);
});
