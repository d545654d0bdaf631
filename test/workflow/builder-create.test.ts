import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { call, fileLines, useEmulator, waitForTerminal } from '../helpers/emulator';
import { nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, CHAT_PARAMETERS, fileWorkflow, fixture, itemsWorkflow } from './fixtures/builder/workflows';

const QUESTIONS = [
	{ id: 'q1', text: 'What is 2+2?' },
	{ id: 'q2', text: 'Grüße aus Köln ✓' },
	{ id: 'q3', text: 'Quote "this"' },
];


async function inputFileText(emu: { url: string }, fileId: string): Promise<string> {
	const response = await call<string>(emu as never, 'GET', `/v1/files/${fileId}/content`);
	assert.equal(response.status, 200);
	return response.body;
}

test('n8n items -> chat completions batch: the uploaded lines equal the hand-written JSONL and the batch completes', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(
		itemsWorkflow(QUESTIONS, {
			mode: 'createBatch',
			...CHAT_PARAMETERS,
			batchOptions: { metadata: { pairs: [{ key: 'project', value: 'demo' }] } },
		}),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	assert.equal(run.status, 'success');
	const [item, ...rest] = nodeOutput(run, BUILDER);
	assert.equal(rest.length, 0, 'one batch, one item');
	const batch = item.json as Record<string, any>;
	assert.equal(batch.endpoint, '/v1/chat/completions');
	assert.equal(batch.completion_window, 'unlimited');
	assert.deepEqual(batch.metadata, { project: 'demo' });
	assert.equal(batch.job_id ?? null, null);
	const createBody = emu.requests.find((r) => r.method === 'POST' && r.path === '/v1/batches')?.jsonBody;
	assert.ok(createBody && typeof createBody === 'object', 'the create request was logged with its body');
	assert.equal('job_id' in createBody, false, 'no job ID is sent when the field is empty');
	assert.deepEqual(batch.summary, {
		endpoint: '/v1/chat/completions',
		rows: 3,
		bytes: Buffer.byteLength(readFileSync(fixture('chat-from-items.jsonl'))),
		part: '1/1',
		firstRow: 'Item 1',
		lastRow: 'Item 3',
		fileName: 'batch-input.jsonl',
		// 67 characters / 4 + 3 requests x (2 messages x 3 + 3) = 43.75 -> 44 (bschema: the token estimate).
		estimate: { input_tokens: 44, total_input_tokens: 44, method: batch.summary.estimate?.method },
		inputFileId: batch.input_file_id,
	});
	assert.deepEqual(item.pairedItem, [{ item: 0 }, { item: 1 }, { item: 2 }]);

	assert.equal(await inputFileText(emu, batch.input_file_id), readFileSync(fixture('chat-from-items.jsonl'), 'utf8'));
	const done = await waitForTerminal(emu, batch.id);
	assert.equal(done.status, 'completed');
	assert.deepEqual(done.request_counts, { total: 3, completed: 3, failed: 0 });
	const answers = await fileLines(emu, done.output_file_id);
	assert.deepEqual(
		answers.map((l) => [l.custom_id, l.response.body.choices[0].message.content]).sort(),
		[
			['q1', 'Answer to: What is 2+2?'],
			['q2', 'Answer to: Grüße aus Köln ✓'],
			['q3', 'Answer to: Quote "this"'],
		],
	);
	const upload = emu.requests.find((r) => r.method === 'POST' && r.path === '/v1/files');
	assert.ok(upload, 'the file was uploaded');
});

test('a CSV with a BOM, semicolons, CRLF and a quoted newline -> responses batch equal to the hand-written JSONL', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(
		fileWorkflow(fixture('questions.csv'), {
			mode: 'createBatch',
			endpoint: '/v1/responses',
			model: 'impala-test',
			instructions: 'Answer in {{language}}.',
			// n8n turns a field into an expression when "{{" is typed: the template still works
			responsesInput: '={{question}}',
			customIdSource: 'field',
			customId: '{{ id }}',
			jobId: 'job-test1234',
		}),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error));
	const [item] = nodeOutput(run, BUILDER);
	const batch = item.json as Record<string, any>;
	assert.equal(batch.job_id, 'job-test1234');
	assert.equal(batch.summary.firstRow, 'Row 2');
	assert.equal(batch.summary.lastRow, 'Row 5', 'the blank line is row 3 and still counted');
	assert.deepEqual(item.pairedItem, [{ item: 0 }]);
	assert.equal(await inputFileText(emu, batch.input_file_id), readFileSync(fixture('responses-from-csv.jsonl'), 'utf8'));

	const done = await waitForTerminal(emu, batch.id);
	assert.equal(done.status, 'completed');
	const answers = await fileLines(emu, done.output_file_id);
	const q2 = answers.find((l) => l.custom_id === 'q2');
	const message = q2.response.body.output.find((o: { type: string }) => o.type === 'message');
	assert.equal(message.content[0].text, 'Answer to: Name a colour; any colour');
});

test('Upload File Only uploads the file with purpose batch and creates no batch', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(itemsWorkflow(QUESTIONS, { mode: 'uploadFile', ...CHAT_PARAMETERS }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	assert.equal(run.status, 'success');
	const [item] = nodeOutput(run, BUILDER);
	assert.equal(item.json.purpose, 'batch');
	// Each upload gets a unique name, so an answer lost on the way can be reconciled by looking for it.
	assert.match(String(item.json.filename), /^batch-input\.[0-9a-f]+\.jsonl$/);
	assert.equal(await inputFileText(emu, item.json.id as string), readFileSync(fixture('chat-from-items.jsonl'), 'utf8'));
	assert.equal(emu.requests.filter((r) => r.path.startsWith('/v1/batches')).length, 0);
});
