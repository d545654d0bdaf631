import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { requestAnswerSchema, ResultFileGoneError } from '../../src/results';
import { requestLine, uploadText, useEmulator, type Emulator } from '../helpers/emulator';

const SCHEMA = { type: 'object', properties: { score: { type: 'integer' } }, required: ['score'], additionalProperties: false };
const chatSchema = { response_format: { type: 'json_schema', json_schema: { name: 'review', schema: SCHEMA, strict: true } } };
const responsesSchema = { text: { format: { type: 'json_schema', name: 'review', schema: SCHEMA, strict: true } } };

/** Uploads the lines and returns what requestAnswerSchema needs of a batch. */
async function inputOf(emu: Emulator, lines: string[]) {
	const file = await uploadText(emu, lines);
	assert.equal(file.status, 200);
	return { id: 'batch-test', input_file_id: file.body.id as string };
}

test('the schema of the first request: chat response_format, responses text.format; none for text or json_object', async (t) => {
	const emu = await useEmulator(t);
	const client = new ImpalaClient({ baseUrl: emu.url });
	const cases: Array<[string[], unknown]> = [
		[[requestLine('a', 'x', '/v1/chat/completions', 'm', chatSchema), requestLine('b', 'y')], SCHEMA],
		[[requestLine('a', 'x', '/v1/responses', 'm', responsesSchema)], SCHEMA],
		[[requestLine('a', 'x'), requestLine('b', 'y', '/v1/chat/completions', 'm', chatSchema)], undefined],
		[[requestLine('a', 'x', '/v1/chat/completions', 'm', { response_format: { type: 'json_object' } })], undefined],
		[[requestLine('a', 'x', '/v1/embeddings')], undefined],
	];
	for (const [lines, expected] of cases) {
		assert.deepEqual(await requestAnswerSchema(client, await inputOf(emu, lines)), expected, lines[0]);
	}
});

test('only the first line is read: a download that breaks after it still gives the schema', async (t) => {
	const emu = await useEmulator(t);
	const client = new ImpalaClient({ baseUrl: emu.url, maxRetries: 0 });
	const first = requestLine('row-0', 'first', '/v1/chat/completions', 'm', chatSchema);
	const lines = [first, ...Array.from({ length: 2000 }, (_, i) => requestLine(`row-${i + 1}`, `question ${i + 1} `.repeat(20)))];
	const batch = await inputOf(emu, lines);
	// The connection is cut well after the first line: reading the whole file would fail.
	const fault = emu.faults.inject({ kind: 'resetResponse', method: 'GET', path: `/v1/files/${batch.input_file_id}/content`, afterBytes: first.length + 2000 });
	assert.deepEqual(await requestAnswerSchema(client, batch), SCHEMA);
	assert.equal(fault.hits, 1, 'one download, stopped after the first line');
	const reads = emu.requests.filter((entry) => entry.path.endsWith('/content'));
	assert.equal(reads.length, 1);
});

test('a download cut inside the first line is read once more, then fails', async (t) => {
	const emu = await useEmulator(t);
	const client = new ImpalaClient({ baseUrl: emu.url, maxRetries: 0 });
	const batch = await inputOf(emu, [requestLine('a', 'x', '/v1/chat/completions', 'm', chatSchema)]);
	const path = `/v1/files/${batch.input_file_id}/content`;
	emu.faults.inject({ kind: 'resetResponse', method: 'GET', path, afterBytes: 20, times: 1 });
	assert.deepEqual(await requestAnswerSchema(client, batch), SCHEMA, 'the second read is whole');

	emu.faults.inject({ kind: 'resetResponse', method: 'GET', path, afterBytes: 20, times: 2 });
	await assert.rejects(requestAnswerSchema(client, batch));
});

test('an input file that is gone says so, naming the batch', async (t) => {
	const emu = await useEmulator(t);
	const client = new ImpalaClient({ baseUrl: emu.url });
	const batch = await inputOf(emu, [requestLine('a', 'x', '/v1/chat/completions', 'm', chatSchema)]);
	await client.files.delete(batch.input_file_id);
	await assert.rejects(requestAnswerSchema(client, batch), (error) => {
		assert.ok(error instanceof ResultFileGoneError);
		assert.match(error.message, /input file .* of batch batch-test is no longer available/);
		return true;
	});
});
