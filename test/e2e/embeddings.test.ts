import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Emulator } from '../../src/emulator';
import { embeddingOf } from '../../src/emulator/answers/embeddings';
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

test('examples/embeddings: one vector per CSV row, in order; the failing row says why', async () => {
	const workflow = loadExample('embeddings.workflow.json');
	await n8n.importWorkflow(workflow);
	const execution = await n8n.execute(workflow.id);
	assert.equal(execution.status, 'success', failureOf(execution));

	const rows = exampleCsv('questions.csv');
	const vectors = itemsOf(execution, 'Vectors');
	assert.deepEqual(
		vectors.map((vector) => vector.id),
		rows.map((row) => row.id),
	);
	for (const [index, row] of rows.entries()) {
		const out = vectors[index];
		if (row.question.includes('[[fail]]')) {
			assert.equal(out.status, 'failed', `row ${row.id} should fail on the emulator`);
			assert.match(String(out.error), /marked to fail/, `row ${row.id}: the failure says why`);
		} else {
			assert.equal(out.status, 'succeeded', `row ${row.id}: ${String(out.error)}`);
			assert.equal(out.dimensions, 8);
			assert.deepEqual(out.embedding, embeddingOf(row.question, 8), `row ${row.id}: the vector of its own question`);
		}
	}
});
