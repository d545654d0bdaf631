import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Emulator } from '../../src/emulator';
import { emulatorWithCredential } from './harness/emulatorCredential';
import { loadExample } from './harness/examples';
import { N8nInstance } from './harness/n8nInstance';
import { failureOf, itemsOf } from './harness/outputs';

let n8n: N8nInstance;
let emu: Emulator;
before(async () => {
	n8n = N8nInstance.create();
	// One request answered every 2 s: the cancel, a node later, lands long before the batch could finish.
	emu = await emulatorWithCredential(n8n, { pace: { stepMs: 2000, requestsPerStep: 1 } });
});
after(async () => {
	await emu?.close();
	await n8n?.dispose();
});

test('examples/cancel-batch: the batch ends cancelled and every request is listed, answered or missing', async () => {
	const workflow = loadExample('cancel-batch.workflow.json');
	await n8n.importWorkflow(workflow);
	const execution = await n8n.execute(workflow.id);
	assert.equal(execution.status, 'success', failureOf(execution));

	const [created] = itemsOf(execution, 'Impala Batch Builder');
	const [cancelled] = itemsOf(execution, 'Cancel Batch');
	assert.equal(cancelled.id, created.id);
	assert.ok(['cancelling', 'cancelled'].includes(String(cancelled.status)), `cancel answered ${String(cancelled.status)}`);
	const [final] = itemsOf(execution, 'Wait Until Cancelled');
	assert.equal(final.status, 'cancelled');

	const results = itemsOf(execution, 'Get Partial Results');
	assert.deepEqual(
		results.map((row) => row.custom_id),
		['word-1', 'word-2', 'word-3', 'word-4', 'word-5'],
	);
	const missing = results.filter((row) => row.status === 'missing');
	assert.ok(missing.length > 0, 'a batch cancelled at once leaves requests without an answer');
	for (const row of results) {
		assert.ok(['succeeded', 'missing'].includes(String(row.status)), `${String(row.custom_id)}: ${String(row.status)}`);
	}
	assert.ok(emu.requests.some((request) => request.method === 'POST' && request.path.endsWith('/cancel')));
});
