import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestLine, useEmulator, waitForTerminal } from '../helpers/emulator';
import { nodeError, nodeOutput } from '../helpers/workflow';
import { allBatches, directClient, fileText, onlyItem, runGetResults, runRetry, startBatch } from './retry-helpers';

/** JSON answers ({"answer": "Answer to: <text>"}); the schema below takes only those to texts starting "good". */
const JSON_OBJECT = { response_format: { type: 'json_object' } };
const LINES = [
	requestLine('good-1', 'good one', '/v1/chat/completions', 'm', JSON_OBJECT),
	requestLine('bad-1', 'bad one', '/v1/chat/completions', 'm', JSON_OBJECT),
	requestLine('failed-1', 'this one [[fail]]', '/v1/chat/completions', 'm', JSON_OBJECT),
	requestLine('good-2', 'good two', '/v1/chat/completions', 'm', JSON_OBJECT),
];
const SCHEMA = {
	type: 'object',
	properties: { answer: { type: 'string', pattern: '^Answer to: good' } },
	required: ['answer'],
};

test('Include Invalid Answers: answers that break the schema are sent again with the failed ones; without it only the failed', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const withInvalid = await startBatch(emu, LINES);
	const item = onlyItem(await runRetry(emu.url, withInvalid.id, { includeInvalid: true, answerSchema: JSON.stringify(SCHEMA) })).json;
	assert.equal(item.retried, 2);
	assert.equal(item.retried_invalid, 1);
	assert.equal(item.retried_failed, 1);
	const sent = (await fileText(emu, String(item.input_file_id))).trimEnd().split('\n');
	assert.deepEqual(sent, [LINES[1], LINES[2]], 'the lines of bad-1 and failed-1, as they were');

	const failedOnly = await startBatch(emu, LINES);
	const plain = onlyItem(await runRetry(emu.url, failedOnly.id, { answerSchema: JSON.stringify(SCHEMA) })).json;
	assert.equal(plain.retried, 1);
	assert.deepEqual((await fileText(emu, String(plain.input_file_id))).trimEnd().split('\n'), [LINES[2]]);
});

test('Include Invalid Answers without a schema to check against, or with a schema that is not one, is refused before anything is made', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const batch = await startBatch(emu, LINES);
	const noSchema = nodeError(await runRetry(emu.url, batch.id, { includeInvalid: true }), 'Impala');
	assert.match(noSchema?.message ?? '', /its requests did not ask for a JSON schema and none was given/);
	assert.match(String(noSchema?.description), /Answer Schema/);

	const broken = nodeError(await runRetry(emu.url, batch.id, { includeInvalid: true, answerSchema: '{"type": "strnig"}' }), 'Impala');
	assert.match(broken?.message ?? '', /^Answer Schema: The schema is not a valid JSON Schema/);
	assert.equal((await allBatches(emu)).length, 1);
});

test('Include Invalid Answers with the schema the requests asked for: broken and non-JSON answers are retried, and the merged table has them valid', async (t) => {
	const schema = {
		type: 'object',
		properties: { sentiment: { type: 'string', enum: ['positive', 'negative'] }, score: { type: 'integer', minimum: 1, maximum: 5 } },
		required: ['sentiment', 'score'],
		additionalProperties: false,
	};
	const format = { response_format: { type: 'json_schema', json_schema: { name: 'review', schema, strict: true } } };
	const emu = await useEmulator(t, {
		pace: { stepMs: 5 },
		answerFaults: [
			{ answer: 'breakSchema', customId: 'r2' },
			{ answer: 'notJson', customId: 'r4' },
			{ answer: 'fail', customId: 'r5' },
		],
	});
	const lines = ['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => requestLine(id, `review ${id}`, '/v1/chat/completions', 'm', format));
	const original = await startBatch(emu, lines);
	const item = onlyItem(await runRetry(emu.url, original.id, { includeInvalid: true })).json;
	assert.equal(item.retried, 3);
	assert.deepEqual([item.retried_invalid, item.retried_failed], [2, 1]);
	assert.deepEqual((await fileText(emu, String(item.input_file_id))).trimEnd().split('\n'), [lines[1], lines[3], lines[4]]);

	await waitForTerminal(directClient(emu), String(item.id));
	const merged = nodeOutput(await runGetResults(emu.url, original.id, { includeRetries: true }), 'Impala').map((row) => row.json);
	assert.deepEqual(
		merged.map((row) => [row.custom_id, row.status, row.round]),
		[['r1', 'succeeded', 0], ['r2', 'succeeded', 1], ['r3', 'succeeded', 0], ['r4', 'succeeded', 1], ['r5', 'succeeded', 1]],
	);
	assert.ok(merged.every((row) => ['positive', 'negative'].includes((row.answer as { sentiment: string }).sentiment)), 'answers parsed and checked');

	// With Include Summary: one summary per round, from that round's own rows (invalid answers counted).
	const withSummary = await runGetResults(emu.url, original.id, { includeRetries: true, includeSummary: true });
	assert.equal(nodeOutput(withSummary, 'Impala', 0).length, 5);
	const summaries = nodeOutput(withSummary, 'Impala', 1).map((row) => row.json);
	assert.deepEqual(summaries.map((s) => [s.batch_id, s.round, s.requests]), [[original.id, 0, 5], [item.id, 1, 3]]);
	assert.deepEqual(
		summaries.map((s) => [s.succeeded, s.failed, s.invalid, s.missing]),
		[[2, 1, 2, 0], [3, 0, 0, 0]],
	);
	const batches = await Promise.all([original.id, String(item.id)].map((id) => directClient(emu).batches.get(id)));
	assert.deepEqual(summaries.map((s) => s.total_tokens), batches.map((b) => b.usage?.total_tokens), 'token sums of the rows = the batch usage');
});
