import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { N8nInstance } from './harness/n8nInstance';
import { failureOf, itemsOf } from './harness/outputs';

// Proves the harness itself: the real n8n CLI imports and executes a workflow of n8n-nodes-base
// nodes that reads the example CSV the way the examples do.
let n8n: N8nInstance;
before(() => {
	n8n = N8nInstance.create();
});
after(async () => await n8n?.dispose());

test('real n8n imports and executes a workflow of n8n-nodes-base nodes from the CLI', async () => {
	const workflow = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/base-nodes.workflow.json'), 'utf8'));
	await n8n.importWorkflow(workflow);
	const execution = await n8n.execute(workflow.id);
	assert.equal(execution.status, 'success', failureOf(execution));
	const csvRows = readFileSync(path.join(__dirname, '../../examples/data/questions.csv'), 'utf8').trim().split('\n').slice(1);
	assert.deepEqual(itemsOf(execution, 'Count'), [
		{ rows: csvRows.length, first: csvRows[0].split(',')[0], last: csvRows[csvRows.length - 1].split(',')[0] },
	]);
});
