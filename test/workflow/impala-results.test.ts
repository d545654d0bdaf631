import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Emulator } from '../../src/emulator';
import { ImpalaApiError, ImpalaClient } from '../../src/client';
import { fetchBatchResults, ResultFileError, ResultFileGoneError, resultsUnreadable, type ResultRow } from '../../src/results';
import type { Batch } from '../../src/schemas';
import { createBatchFrom, requestLine, useEmulator, fileLines, waitForTerminal, type Endpoint } from '../helpers/emulator';
import { nodeError, nodeOutput } from '../helpers/workflow';
import { byId, runOperation, runUploadCreateResults, writeJsonl } from './fixtures/impala/helpers';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `row-${i}`);

test('chat: upload, create with wait, get results in input order although the output file is shuffled', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const input = writeJsonl(ids(12).map((id, i) => requestLine(id, `question ${i}`)));
	const run = await runUploadCreateResults(emu, input, '/v1/chat/completions');
	assert.equal(run.status, 'success');

	const [created] = nodeOutput(run, 'Create Batch');
	assert.equal(created.json.status, 'completed');
	assert.deepEqual(created.json.metadata, { source: 'n8n test' });
	const outputOrder = (await fileLines(emu, created.json.output_file_id as string)).map((line) => line.custom_id);
	assert.notDeepEqual(outputOrder, ids(12), 'the emulator shuffles the output file');

	const items = nodeOutput(run, 'Get Results');
	assert.deepEqual(items.map((item) => item.json.custom_id), ids(12));
	items.forEach((item, i) => {
		assert.equal(item.json.status, 'succeeded');
		assert.equal(item.json.answer, `Answer to: question ${i}`);
		assert.equal(item.json.batch_id, created.json.id);
		assert.ok((item.json.usage as { total_tokens: number }).total_tokens > 0);
		assert.deepEqual(item.pairedItem, { item: 0 });
	});
});

const ENDPOINT_CASES: Array<{ endpoint: Endpoint; check: (json: Record<string, unknown>, i: number) => void }> = [
	{
		endpoint: '/v1/responses',
		check: (json, i) => assert.equal(json.answer, `Answer to: question ${i}`),
	},
	{
		endpoint: '/v1/embeddings',
		check: (json) => {
			assert.equal(json.answer, undefined);
			assert.ok(Array.isArray(json.embedding) && json.embedding.length === 8 && json.embedding.every((v) => typeof v === 'number'));
		},
	},
	{
		endpoint: '/v1/completions',
		check: (json, i) => assert.equal(json.answer, `Completion of: question ${i}`),
	},
];

for (const { endpoint, check } of ENDPOINT_CASES) {
	test(`${endpoint}: results are extracted for that endpoint`, async (t) => {
		const emu = await useEmulator(t, { pace: { stepMs: 5 } });
		const input = writeJsonl(ids(6).map((id, i) => requestLine(id, `question ${i}`, endpoint)));
		const run = await runUploadCreateResults(emu, input, endpoint);
		const items = nodeOutput(run, 'Get Results');
		assert.deepEqual(items.map((item) => item.json.custom_id), ids(6));
		items.forEach((item, i) => {
			assert.equal(item.json.status, 'succeeded');
			check(item.json, i);
		});
	});
}

test('embeddings with several inputs per line give one vector per input', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const line = JSON.stringify({ custom_id: 'multi', method: 'POST', url: '/v1/embeddings', body: { model: 'm', input: ['a', 'b', 'c'], dimensions: 4 } });
	const run = await runUploadCreateResults(emu, writeJsonl([line]), '/v1/embeddings');
	const [item] = nodeOutput(run, 'Get Results');
	const vectors = item.json.embeddings as number[][];
	assert.equal(vectors.length, 3);
	assert.ok(vectors.every((v) => v.length === 4));
	assert.notDeepEqual(vectors[0], vectors[1]);
});

test('chat: JSON answers parsed on request, tool calls, request bodies and raw lines', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }];
	const input = writeJsonl([
		requestLine('json', 'give json', '/v1/chat/completions', 'm', { response_format: { type: 'json_object' } }),
		requestLine('tool', 'call it [[tool]]', '/v1/chat/completions', 'm', { tools }),
		requestLine('text', 'plain text'),
	]);
	const run = await runUploadCreateResults(emu, input, '/v1/chat/completions', {
		parseJson: true,
		includeRequestBody: true,
		includeRawLine: true,
	});
	const [json, tool, text] = nodeOutput(run, 'Get Results').map((item) => item.json);
	assert.deepEqual(json.answer, { answer: 'Answer to: give json' });
	assert.equal(tool.answer, null);
	assert.equal(tool.finish_reason, 'tool_calls');
	assert.equal((tool.tool_calls as Array<{ function: { name: string } }>)[0].function.name, 'lookup');
	assert.equal(text.answer, 'Answer to: plain text');
	assert.match(String(text.answer_json_error), /not valid JSON/);
	assert.deepEqual((json.request as { response_format: unknown }).response_format, { type: 'json_object' });
	assert.equal(JSON.parse(String(text.raw_line)).custom_id, 'text');
});

test('a completed batch with failed lines: failures from the error file, in input order, on a second output when asked', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const input = writeJsonl([
		requestLine('a', 'fine'),
		requestLine('b', 'this one [[fail]]'),
		requestLine('c', 'fine too'),
		requestLine('d', 'wrong model', '/v1/chat/completions', 'impala-fail'),
		requestLine('e', 'last'),
	]);
	const run = await runUploadCreateResults(emu, input, '/v1/chat/completions');
	const [created] = nodeOutput(run, 'Create Batch');
	assert.equal(created.json.status, 'completed');
	assert.ok(created.json.error_file_id, 'the batch has an error file');
	const items = nodeOutput(run, 'Get Results').map((item) => item.json);
	assert.deepEqual(
		items.map((json) => [json.custom_id, json.status]),
		[['a', 'succeeded'], ['b', 'failed'], ['c', 'succeeded'], ['d', 'failed'], ['e', 'succeeded']],
	);
	for (const failed of [items[1], items[3]]) {
		const error = failed.error as { message: string; code: string | null };
		assert.ok(error.message.length > 0, 'a failure carries the error message');
		assert.equal(failed.answer, undefined);
	}

	const split = await runUploadCreateResults(emu, input, '/v1/chat/completions', { separateOutputs: true });
	assert.deepEqual(nodeOutput(split, 'Get Results', 0).map((item) => item.json.custom_id), ['a', 'c', 'e']);
	assert.deepEqual(nodeOutput(split, 'Get Results', 1).map((item) => item.json.custom_id), ['b', 'd']);

	const onlyFailures = await runUploadCreateResults(emu, input, '/v1/chat/completions', { onlyFailures: true });
	assert.deepEqual(nodeOutput(onlyFailures, 'Get Results').map((item) => item.json.custom_id), ['b', 'd']);
});

/** A finished batch of `lines` (chat), as the API returns it. */
async function finishedBatch(emu: Emulator, lines: string[]): Promise<Batch> {
	const { body: created } = await createBatchFrom(emu, lines);
	return (await waitForTerminal(emu, created.id as string)) as Batch;
}

async function collect(rows: AsyncIterable<ResultRow>): Promise<ResultRow[]> {
	const all: ResultRow[] = [];
	for await (const row of rows) all.push(row);
	return all;
}

for (const role of ['output', 'error'] as const) {
	test(`Get Results on a batch whose ${role} file is gone (expired or deleted) says so, naming the batch`, async (t) => {
		const emu = await useEmulator(t, { pace: { stepMs: 5 } });
		const batch = await finishedBatch(emu, [requestLine('a', 'fine'), requestLine('b', 'this one [[fail]]')]);
		const fileId = batch[`${role}_file_id`] as string;
		assert.ok(fileId, `the batch has an ${role} file`);
		const client = new ImpalaClient({ baseUrl: emu.url });
		await client.files.delete(fileId); // DELETE /v1/files/{id}, as when it expires

		await assert.rejects(collect(fetchBatchResults(client, batch)), (error: unknown) => {
			assert.ok(error instanceof ResultFileGoneError);
			assert.match(error.message, new RegExp(`The ${role} file ${fileId} of batch ${batch.id} is no longer available \\(.*expire`));
			assert.doesNotMatch(`${error.message} ${error.hint}`, /check the file ID/);
			assert.deepEqual(resultsUnreadable(error, batch.id), { message: error.summary, hint: error.hint }, 'a lasting problem');
			return true;
		});

		const run = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(batch.id) } });
		const error = nodeError(run, 'Impala');
		assert.match(error?.message ?? '', new RegExp(`${role} file ${fileId} of batch ${batch.id} is no longer available`));
		assert.match(String(error?.description), new RegExp(`create a new batch`));
		assert.doesNotMatch(`${error?.message} ${String(error?.description)}`, /check the file ID/);
	});
}

test('reading results: a malformed file is a lasting problem, a server error is one worth trying again', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const client = new ImpalaClient({ baseUrl: emu.url, maxRetries: 0 });
	const batch = await finishedBatch(emu, [requestLine('a', 'fine')]);
	const broken = await client.files.upload({ file: Buffer.from('{"custom_id": "a"}\nnot json\n'), filename: 'output.jsonl' });
	await assert.rejects(collect(fetchBatchResults(client, { ...batch, output_file_id: broken.id })), (error: unknown) => {
		assert.ok(error instanceof ResultFileError);
		assert.match(String(resultsUnreadable(error, batch.id)?.message), new RegExp(`batch ${batch.id}.*Line 2 of the output file ${broken.id} is not valid JSON`));
		return true;
	});

	const fault = emu.faults.inject({ kind: 'serverError', status: 503, path: `/v1/files/${batch.output_file_id}/content` });
	await assert.rejects(collect(fetchBatchResults(client, batch)), (error: unknown) => {
		assert.ok(error instanceof ImpalaApiError && error.status === 503);
		assert.equal(resultsUnreadable(error, batch.id), undefined);
		return true;
	});
	fault.remove();
});

test('error_file_id "" counts as no error file: nothing is read for it, every row is right', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const batch = await finishedBatch(emu, ids(4).map((id, i) => requestLine(id, `question ${i}`)));
	assert.equal(batch.status, 'completed');
	const rows = await collect(fetchBatchResults(client, { ...batch, error_file_id: '' }));
	assert.deepEqual(
		rows.map((row) => [row.custom_id, row.status, row.answer]),
		ids(4).map((id, i) => [id, 'succeeded', `Answer to: question ${i}`]),
	);
	const contentReads = emu.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/content')).map((r) => r.path);
	assert.deepEqual(contentReads.sort(), [`/v1/files/${batch.output_file_id}/content`, `/v1/files/${batch.input_file_id}/content`].sort());
	assert.ok(!emu.requests.some((r) => r.path.startsWith('/v1/files//')), 'no request for an empty file ID');
});

test('a byte-order mark: dropped at the start of the input file by the emulator and the results reader alike', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const lines = ids(3).map((id, i) => requestLine(id, `question ${i}`));

	const atStart = await finishedBatch(emu, [`\ufeff${lines[0]}`, ...lines.slice(1)]);
	assert.equal(atStart.status, 'completed');
	const rows = await collect(fetchBatchResults(client, atStart));
	assert.deepEqual(
		rows.map((row) => [row.custom_id, row.status, row.answer]),
		ids(3).map((id, i) => [id, 'succeeded', `Answer to: question ${i}`]),
	);

	// On a later line the mark is content: the emulator rejects that line, and so does the results reader.
	const laterLines = [lines[0], `\ufeff${lines[1]}`, lines[2]];
	const onLineTwo = await finishedBatch(emu, laterLines);
	assert.equal(onLineTwo.status, 'failed');
	assert.deepEqual(
		onLineTwo.errors?.data?.map((e) => [e.code, e.line]),
		[['invalid_json_line', 2]],
	);
	const input = await client.files.upload({ file: Buffer.from(laterLines.join('\n')), filename: 'input.jsonl' });
	await assert.rejects(
		collect(fetchBatchResults(client, { ...atStart, input_file_id: input.id })),
		new RegExp(`Line 2 of the input file ${input.id} is not valid JSON`),
	);
});

test('an input file that is gone: rows in output order, told once, and its content never asked for', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const batch = await finishedBatch(emu, ids(5).map((id, i) => requestLine(id, `question ${i}`)));
	await client.files.delete(batch.input_file_id);
	const outputOrder = (await fileLines(emu, batch.output_file_id)).map((line) => line.custom_id as string);
	emu.requests.length = 0;

	const told: string[] = [];
	const rows = await collect(fetchBatchResults(client, batch, { onInputUnavailable: (id) => told.push(id) }));
	assert.deepEqual(told, [batch.input_file_id]);
	assert.deepEqual(rows.map((row) => [row.custom_id, row.not_in_input]), outputOrder.map((id) => [id, undefined]));
	assert.ok(rows.every((row) => row.status === 'succeeded'));
	assert.deepEqual(
		emu.requests.filter((r) => r.path.startsWith(`/v1/files/${batch.input_file_id}`)).map((r) => `${r.method} ${r.path}`),
		[`GET /v1/files/${batch.input_file_id}`],
		'the metadata request of the size check finds out the file is gone',
	);
});
