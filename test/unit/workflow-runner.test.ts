import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeOutput, runWorkflow } from '../helpers/workflow';

test('the workflow runner executes stand-in nodes through n8n-core', async () => {
	const run = await runWorkflow({
		nodes: [
			{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: '2',
				name: 'Rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [200, 0],
				parameters: { jsCode: 'return [{json:{a:1}},{json:{a:2}}];' },
			},
			{ id: '3', name: 'Pass', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Rows', type: 'main', index: 0 }]] },
			Rows: { main: [[{ node: 'Pass', type: 'main', index: 0 }]] },
		},
	});
	assert.equal(run.status, 'success');
	assert.deepEqual(
		nodeOutput(run, 'Pass').map((i) => i.json),
		[{ a: 1 }, { a: 2 }],
	);
});

test('stand-ins read a CSV file from disk into binary data and rows', async () => {
	const { mkdtempSync, writeFileSync } = await import('node:fs');
	const { tmpdir } = await import('node:os');
	const path = await import('node:path');
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'runner-')), 'rows.csv');
	writeFileSync(file, 'name,text\nA,"hello, world"\nB,bye\n');
	const run = await runWorkflow({
		nodes: [
			{ id: '1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: '2', name: 'Read', type: 'n8n-nodes-base.readWriteFile', typeVersion: 1, position: [200, 0], parameters: { fileSelector: file } },
			{ id: '3', name: 'Extract', type: 'n8n-nodes-base.extractFromFile', typeVersion: 1, position: [400, 0], parameters: {} },
		],
		connections: {
			Start: { main: [[{ node: 'Read', type: 'main', index: 0 }]] },
			Read: { main: [[{ node: 'Extract', type: 'main', index: 0 }]] },
		},
	});
	assert.equal(run.status, 'success');
	const read = nodeOutput(run, 'Read');
	assert.equal(read[0].binary?.data.fileName, 'rows.csv');
	assert.deepEqual(
		nodeOutput(run, 'Extract').map((i) => i.json),
		[
			{ name: 'A', text: 'hello, world' },
			{ name: 'B', text: 'bye' },
		],
	);
});
