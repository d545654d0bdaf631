import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Emulator } from '../../src/emulator';
import { exampleCsv } from './harness/csv';
import { emulatorWithCredential } from './harness/emulatorCredential';
import { loadExample } from './harness/examples';
import { N8nInstance } from './harness/n8nInstance';
import { failureOf, itemsOf } from './harness/outputs';

let n8n: N8nInstance;
let emu: Emulator;
before(async () => {
	n8n = N8nInstance.create();
	emu = await emulatorWithCredential(n8n);
});
after(async () => {
	await emu?.close();
	await n8n?.dispose();
});

test('examples/spreadsheet-to-batch: every CSV row comes back in order, answered or with its error', async () => {
	const workflow = loadExample('spreadsheet-to-batch.workflow.json');
	await n8n.importWorkflow(workflow);
	const execution = await n8n.execute(workflow.id);
	assert.equal(execution.status, 'success', failureOf(execution));

	const rows = exampleCsv('spreadsheet-rows.csv');
	const table = itemsOf(execution, 'Results Table');
	assert.deepEqual(
		table.map((row) => row.id),
		rows.map((row) => row.id),
	);
	for (const [index, row] of rows.entries()) {
		const out = table[index];
		// The text is the example's template filled with this row's columns.
		const text = String(out.text);
		assert.ok(text.includes(row.review) && text.includes(row.product), `row ${row.id}: request text "${text}"`);
		if (row.review.includes('[[fail]]')) {
			assert.equal(out.status, 'failed', `row ${row.id} should fail on the emulator`);
			assert.match(String(out.error), /marked to fail/, `row ${row.id}: the failure says why`);
		} else {
			assert.equal(out.status, 'succeeded', `row ${row.id}: ${String(out.error)}`);
			assert.equal(out.answer, `Answer to: ${text}`);
		}
	}
	assert.ok(emu.requests.length > 0);
	assert.ok(emu.requests.every((request) => request.hasAuthorization), 'every call carries the API key');
});
