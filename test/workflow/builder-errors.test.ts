import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { call, fileLines, useEmulator } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, CHAT_PARAMETERS, fileWorkflow, itemsWorkflow } from './fixtures/builder/workflows';

function csvFile(text: string): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'builder-')), 'rows.csv');
	writeFileSync(file, text);
	return file;
}

const uploads = (emu: { requests: Array<{ method: string }> }) => emu.requests.filter((r) => r.method !== 'GET');

test('duplicate custom IDs in a file are reported with all their spreadsheet rows; nothing is uploaded', async (t) => {
	const emu = await useEmulator(t);
	const file = csvFile('id,text\nA,one\nB,two\nA,three\n\nA,four\nB,five\nC,six\n');
	const run = await runWorkflow(
		fileWorkflow(file, { mode: 'createBatch', endpoint: '/v1/chat/completions', model: 'm', userMessage: '{{text}}', customIdSource: 'field', customId: '{{id}}' }),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'Found 2 problems in the input; nothing was uploaded');
	assert.equal(
		error?.description,
		[
			'Rows 2, 4 and 6, Custom ID: all use the custom ID "A"; each request needs its own. Make the values unique, or set Custom ID to "Generate" (row-1, row-2, ...).',
			'Rows 3 and 7, Custom ID: all use the custom ID "B"; each request needs its own. Make the values unique, or set Custom ID to "Generate" (row-1, row-2, ...).',
		].join('\n'),
	);
	assert.deepEqual(uploads(emu), []);
});

test('an item with an invalid field: one error naming the item, the field and the fix, pointing at that item', async (t) => {
	const emu = await useEmulator(t);
	const rows = [{ id: 'a', text: 'fine' }, { id: 'b', text: '' }, { id: 'c', text: 'fine too' }];
	const run = await runWorkflow(itemsWorkflow(rows, { mode: 'createBatch', ...CHAT_PARAMETERS }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'Found 1 problem in the input; nothing was uploaded');
	assert.equal(
		error?.description,
		'Item 2, User Message: Message content must not be empty. Check what the User Message field gives for this item.',
	);
	assert.equal((error as { context?: { itemIndex?: number } }).context?.itemIndex, 1);
	assert.deepEqual(uploads(emu), []);
});

test('several bad rows of a file, each with its field and fix, in one error', async (t) => {
	const emu = await useEmulator(t);
	const file = csvFile(`id;text;extra\nok;hello;{}\n;hi;{}\n${'x'.repeat(70)};hey;{}\nlast;;{"temperature": 1}\nbad;yo;{oops\n`);
	const run = await runWorkflow(
		fileWorkflow(file, {
			mode: 'createBatch',
			endpoint: '/v1/chat/completions',
			model: 'm',
			userMessage: 'Say {{text}}',
			customIdSource: 'field',
			customId: '{{id}}',
			options: { additionalBodyFields: '={{extra}}' },
		}),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'Found 3 problems in the input; nothing was uploaded');
	const lines = String(error?.description).split('\n');
	assert.equal(lines[0], 'Row 3, Custom ID: custom_id must not be empty. Fill in the column "id" on this row, or change the Custom ID template.');
	assert.equal(lines[1], 'Row 4, Custom ID: custom_id is 70 characters long; it can have at most 64 characters. Shorten it to 64 characters or fewer.');
	assert.match(lines[2], /^Row 6, Additional Body Fields: is not valid JSON \(.*\)\. Fix the JSON/);
	assert.deepEqual(uploads(emu), [], 'row 5 ("Say " with an empty cell) is valid text; the three bad rows stop everything');
});

test('a template naming an unknown column lists the columns the file has', async () => {
	const file = csvFile('id,question\n1,hi\n');
	const run = await runWorkflow(
		fileWorkflow(file, { mode: 'buildJsonl', endpoint: '/v1/completions', model: 'm', prompt: '{{questoin}} and {{ $json.x }}' }),
	);
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'The fields name columns that "rows.csv" does not have; nothing was uploaded');
	assert.match(String(error?.description), /^"rows\.csv", Prompt: uses the columns "questoin", "\$json\.x", which the file does not have\. Columns in the file: "id", "question"\./);
	assert.match(String(error?.description), /n8n expressions such as \{\{ \$json\.x \}\} cannot see the rows inside a file/);
});

test('Continue On Fail: the bad file gives an error item paired with it, the good file still becomes a batch', async (t) => {
	const emu = await useEmulator(t);
	const good = csvFile('id,text\n1,hello\n');
	const bad = csvFile('id,text\n1,\n');
	const workflow = fileWorkflow(good, { mode: 'createBatch', endpoint: '/v1/chat/completions', model: 'm', userMessage: '{{text}}' }, true);
	// Two files: the Read node reads one path per item.
	workflow.nodes.splice(1, 0, {
		id: 'Paths',
		name: 'Paths',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [100, 0],
		parameters: { jsCode: `return [{ json: { path: ${JSON.stringify(bad)} } }, { json: { path: ${JSON.stringify(good)} } }];` },
	});
	workflow.nodes.find((n) => n.name === 'Read')!.parameters.fileSelector = '={{ $json.path }}';
	workflow.connections.Start = { main: [[{ node: 'Paths', type: 'main', index: 0 }]] };
	workflow.connections.Paths = { main: [[{ node: 'Read', type: 'main', index: 0 }]] };

	const run = await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } });
	assert.equal(run.status, 'success');
	const [failed, created] = nodeOutput(run, BUILDER);
	assert.equal(failed.json.error, 'Found 1 problem in the input; nothing was uploaded');
	assert.match(String(failed.json.description), /^Row 2, User Message: Message content must not be empty\. Fill in the column "text"/);
	assert.deepEqual(failed.pairedItem, { item: 0 });
	assert.equal(created.json.object, 'batch');
	assert.deepEqual(created.pairedItem, [{ item: 1 }]);
});

test('an expression that fails on some items is reported for each of them, with n8n items numbered from 1', async () => {
	const rows = [{ id: 'a', text: 'x' }, { id: 'b' }, { id: 'c' }];
	const run = await runWorkflow(
		itemsWorkflow(rows, { mode: 'buildJsonl', ...CHAT_PARAMETERS, userMessage: "={{ $json.text ?? $('Nowhere').item.json.text }}" }, true),
	);
	const [failed, ...rest] = nodeOutput(run, BUILDER);
	assert.equal(rest.length, 0);
	assert.equal(failed.json.error, 'Found 2 problems in the input; nothing was uploaded');
	const lines = String(failed.json.description).split('\n');
	assert.match(lines[0], /^Item 2, User Message: could not be evaluated \(.+\)\. Check the expression for this item\.$/);
	assert.match(lines[1], /^Item 3, User Message: could not be evaluated/);
	assert.deepEqual(failed.pairedItem, [{ item: 0 }, { item: 1 }, { item: 2 }]);
});

test('each item is read once: an expression that changes on every read uploads exactly what was checked', async (t) => {
	const emu = await useEmulator(t);
	const rows = [{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }];
	const run = await runWorkflow(
		itemsWorkflow(rows, { mode: 'createBatch', ...CHAT_PARAMETERS, userMessage: '={{ $json.text + Math.random() }}' }),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	const [batch] = nodeOutput(run, BUILDER);
	const lines = await fileLines(emu, String(batch.json.input_file_id));
	assert.deepEqual(
		lines.map((l) => (l as { body: { messages: Array<{ content: string }> } }).body.messages[1].content.replace(/[0-9.]+$/, '')),
		['x', 'y'],
	);
	assert.equal(emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length, 1, 'one batch');
});

test('batch options are checked before the upload: metadata that leaves no room for the split keys', async (t) => {
	const emu = await useEmulator(t);
	const pairs = Array.from({ length: 15 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
	pairs.push({ key: 'k0', value: 'again' });
	const run = await runWorkflow(
		itemsWorkflow([{ id: 'a', text: 'x' }], { mode: 'createBatch', ...CHAT_PARAMETERS, split: true, batchOptions: { metadata: { pairs } } }),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'The batch options are not valid; nothing was uploaded');
	assert.equal(
		error?.description,
		[
			'Batch Options, Metadata: has the key "k0" more than once. Give each key once.',
			'Batch Options, Metadata: Metadata can have at most 16 key/value pairs. Impala accepts at most 16 metadata pairs (2 fewer when splitting: the node adds batch_group_id and batch_part), keys of 1 to 64 characters and values of at most 512 characters. Shorten or remove pairs.',
		].join('\n'),
	);
	assert.deepEqual(uploads(emu), []);
});

test('create refused after the upload: no batch, and the uploaded file is deleted so nothing is left behind', async (t) => {
	const emu = await useEmulator(t, { requireJobId: true });
	const rows = [{ id: 'a', text: 'one' }, { id: 'b', text: 'two' }];
	const run = await runWorkflow(itemsWorkflow(rows, { mode: 'createBatch', ...CHAT_PARAMETERS }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	const uploaded = emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/files');
	assert.equal(uploaded.length, 1, 'the file was uploaded');
	const { body: files } = await call<{ data: Array<{ id: string }> }>(emu, 'GET', '/v1/files');
	assert.deepEqual(files.data, [], 'and deleted');
	const error = nodeError(run, BUILDER);
	assert.doesNotMatch(error?.message ?? '', /^Part /);
	assert.match(error?.message ?? '', /^No batch was created: .*job_id is required/);
	assert.match(String(error?.description), /The uploaded file file-[0-9a-f]+ was deleted, so nothing is left behind/);
});
