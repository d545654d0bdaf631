import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_FAULTS } from '../../scripts/demo/faults';
import type { Emulator } from '../../src/emulator';
import { compileAnswerSchema } from '../../src/structured';
import { exampleCsv } from './harness/csv';
import { emulatorWithCredential } from './harness/emulatorCredential';
import { loadExample } from './harness/examples';
import { N8nInstance } from './harness/n8nInstance';
import { failureOf, itemsOf } from './harness/outputs';

let n8n: N8nInstance;
let emu: Emulator;
before(async () => {
	n8n = N8nInstance.create();
	// The demo's faults: two requests fail, three answers are invalid, in the first batch only.
	emu = await emulatorWithCredential(n8n, { answerFaults: DEMO_FAULTS });
});
after(async () => {
	await emu?.close();
	await n8n?.dispose();
});

test('examples/product-reviews: typed columns, the failed and invalid rows retried, one table with every review, the cost', async () => {
	const workflow = loadExample('product-reviews.workflow.json');
	await n8n.importWorkflow(workflow);
	const execution = await n8n.execute(workflow.id);
	assert.equal(execution.status, 'success', failureOf(execution));

	const ids = exampleCsv('product-reviews.csv').map((row) => row.id);
	const builder = (workflow.nodes as Array<{ type: string; parameters: Record<string, unknown> }>).find((node) => node.type.endsWith('impalaBatchBuilder'))!;
	const check = compileAnswerSchema(JSON.parse(String(builder.parameters.jsonSchema)));
	const retriedIds = ['rev-04', 'rev-07', 'rev-12', 'rev-15', 'rev-18'];

	const first = itemsOf(execution, 'First Results');
	assert.deepEqual(first.map((row) => row.custom_id), ids);
	assert.deepEqual(
		first.filter((row) => row.status !== 'succeeded').map((row) => `${String(row.custom_id)} ${String(row.status)}`),
		['rev-04 failed', 'rev-07 invalid', 'rev-12 invalid', 'rev-15 failed', 'rev-18 invalid'],
	);
	for (const row of first.filter((r) => r.status === 'succeeded')) {
		assert.equal(check({ sentiment: row.sentiment, score: row.score, summary: row.summary }), undefined, String(row.custom_id));
	}

	const [retry] = itemsOf(execution, 'Retry Failed Requests');
	assert.equal(retry.retried, retriedIds.length);
	const [waited] = itemsOf(execution, 'Wait for Retry');
	assert.equal(waited.id, retry.id);
	assert.equal(waited.status, 'completed');

	const table = itemsOf(execution, 'Reviews Table');
	assert.deepEqual(table.map((row) => row.id), ids);
	for (const row of table) {
		assert.equal(row.status, 'succeeded', `${String(row.id)}: ${String(row.error)}`);
		assert.equal(row.round, retriedIds.includes(String(row.id)) ? 1 : 0, String(row.id));
		assert.equal(check({ sentiment: row.sentiment, score: row.score, summary: row.summary }), undefined, String(row.id));
	}

	const cost = itemsOf(execution, 'Cost Summary');
	const total = cost.find((line) => line.line === 'total');
	assert.ok(total, JSON.stringify(cost));
	assert.equal(total.batches, 2);
	assert.equal(total.requests, ids.length + retriedIds.length);
	assert.ok(Number(total.total_tokens) > 0 && Number(total.processing_cost) > 0, JSON.stringify(total));
	assert.ok(emu.requests.every((request) => request.hasAuthorization), 'every call carries the API key');
});
