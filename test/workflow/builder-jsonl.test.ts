import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RequestLineSchema } from '../../src/schemas';
import { nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, CHAT_PARAMETERS, fixture, itemsWorkflow } from './fixtures/builder/workflows';

const QUESTIONS = [
	{ id: 'q1', text: 'What is 2+2?' },
	{ id: 'q2', text: 'Grüße aus Köln ✓' },
	{ id: 'q3', text: 'Quote "this"' },
];

test('Build JSONL Only: no credential, no network; the binary file validates line by line and equals the hand-written JSONL', async () => {
	const run = await runWorkflow(itemsWorkflow(QUESTIONS, { mode: 'buildJsonl', ...CHAT_PARAMETERS }));
	assert.equal(run.status, 'success');
	const [item] = nodeOutput(run, BUILDER);
	const binary = item.binary?.data;
	assert.ok(binary, 'the file is in binary field "data"');
	assert.equal(binary.fileName, 'batch-input.jsonl');
	assert.equal(binary.fileExtension, 'jsonl');
	assert.equal(binary.mimeType, 'text/plain', 'a type n8n can preview as text');
	const text = Buffer.from(binary.data, 'base64').toString('utf8');

	const lines = text.split('\n');
	assert.equal(lines.pop(), '', 'the file ends with a newline');
	assert.equal(lines.length, 3);
	for (const line of lines) {
		const parsed = RequestLineSchema.safeParse(JSON.parse(line));
		assert.ok(parsed.success, `${line}: ${JSON.stringify(!parsed.success && parsed.error.issues)}`);
	}
	assert.equal(text, readFileSync(fixture('chat-from-items.jsonl'), 'utf8'));
	assert.equal(item.json.bytes, Buffer.byteLength(text));
	assert.deepEqual(item.json.preview, lines.map((l) => JSON.parse(l)));
	assert.deepEqual(item.pairedItem, [{ item: 0 }, { item: 1 }, { item: 2 }]);
});

test('Build JSONL Only with split: one file per part, named by part, together holding every row once', async () => {
	// 50,001 one-word items: one over the 50,000 requests of one batch.
	const run = await runWorkflow(
		itemsWorkflow({ jsCode: `return Array.from({ length: 50001 }, (_, i) => ({ json: { text: 'w' + i } }));` }, {
			mode: 'buildJsonl',
			endpoint: '/v1/completions',
			model: 'm',
			prompt: '={{ $json.text }}',
			customIdSource: 'generate',
			split: true,
			fileOptions: { fileName: 'words.jsonl', outputBinaryField: 'file' },
		}),
	);
	assert.equal(run.status, 'success');
	const items = nodeOutput(run, BUILDER);
	assert.deepEqual(items.map((i) => i.binary?.file.fileName), ['words.part-1-of-2.jsonl', 'words.part-2-of-2.jsonl']);
	assert.deepEqual(items.map((i) => i.json.rows), [50_000, 1]);
	const ids = items.flatMap((i) =>
		Buffer.from(i.binary!.file.data, 'base64').toString('utf8').trimEnd().split('\n').map((l) => JSON.parse(l).custom_id),
	);
	assert.equal(ids.length, 50_001);
	assert.equal(ids[0], 'row-1');
	assert.equal(ids[50_000], 'row-50001');
	assert.equal(items[1].json.firstRow, 'Item 50001');
});
