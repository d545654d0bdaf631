import assert from 'node:assert/strict';
import { test } from 'node:test';
import { requestLine, useEmulator } from '../helpers/emulator';
import { nodeError } from '../helpers/workflow';
import { allBatches, fileText, onlyItem, runRetry, startBatch } from './retry-helpers';

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
