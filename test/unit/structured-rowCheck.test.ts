import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResultRow } from '../../src/results';
import { AnswerSchemaError, answerRowCheck } from '../../src/structured';

const SCHEMA = {
	type: 'object',
	properties: { sentiment: { enum: ['positive', 'negative'] }, score: { type: 'integer', minimum: 1, maximum: 5 } },
	required: ['sentiment', 'score'],
};
const row = (answer: unknown, status: ResultRow['status'] = 'succeeded'): ResultRow => ({ custom_id: 'r', status, answer });

test('a valid answer (also in a ```json fence) becomes the parsed object', () => {
	const check = answerRowCheck(SCHEMA);
	assert.deepEqual(check(row('{"sentiment":"positive","score":4}')), row({ sentiment: 'positive', score: 4 }));
	assert.deepEqual(check(row('```json\n{"sentiment":"negative","score":1}\n```')).answer, { sentiment: 'negative', score: 1 });
});

test('an answer that breaks the schema or is not JSON is invalid, with the reason, and keeps its text', () => {
	const check = answerRowCheck(SCHEMA);
	const broken = check(row('{"sentiment":"positive","score":9}'));
	assert.deepEqual(broken, {
		custom_id: 'r',
		status: 'invalid',
		answer: '{"sentiment":"positive","score":9}',
		error: { code: 'invalid_answer', message: 'The answer breaks the schema: score: must be <= 5' },
	});
	const text = check(row('I think it is positive'));
	assert.equal(text.status, 'invalid');
	assert.match(text.error!.message, /^The answer is not JSON: /);
	assert.equal(text.answer, 'I think it is positive');
	assert.equal(check(row(null)).error!.message, 'The answer is not JSON: the model gave no answer text');
});

test('failed and missing rows pass unchanged; a schema that is not valid is refused at once', () => {
	const check = answerRowCheck(SCHEMA);
	const failed: ResultRow = { custom_id: 'f', status: 'failed', error: { code: 'x', message: 'no' } };
	assert.deepEqual(check({ ...failed }), failed);
	assert.throws(() => answerRowCheck({ type: 'strnig' }), AnswerSchemaError);
});
