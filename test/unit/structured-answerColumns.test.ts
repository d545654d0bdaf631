import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerAtTopLevel, takenAnswerFields } from '../../nodes/shared/answerColumns';

test('the fields of a JSON answer become columns after custom_id and status, with the prefix', () => {
	const item = { custom_id: 'a', status: 'succeeded', answer: { sentiment: 'positive', score: 4 }, usage: { total_tokens: 3 }, batch_id: 'b' };
	const spread = answerAtTopLevel(item, 'answer_');
	assert.deepEqual(spread, { custom_id: 'a', status: 'succeeded', answer_sentiment: 'positive', answer_score: 4, usage: { total_tokens: 3 }, batch_id: 'b' });
	assert.deepEqual(Object.keys(spread).slice(0, 4), ['custom_id', 'status', 'answer_sentiment', 'answer_score']);
});

test('an answer field whose name is taken stays under answer; nothing is lost', () => {
	const item = { custom_id: 'a', status: 'succeeded', answer: { status: 'open', usage: 1, score: 2 }, usage: { total_tokens: 3 } };
	assert.deepEqual(answerAtTopLevel(item, ''), { custom_id: 'a', status: 'succeeded', score: 2, answer: { status: 'open', usage: 1 }, usage: { total_tokens: 3 } });
});

test('text answers, arrays and rows that did not succeed keep their answer under answer', () => {
	for (const item of [
		{ custom_id: 'a', status: 'succeeded', answer: 'plain text' },
		{ custom_id: 'a', status: 'succeeded', answer: [1, 2] },
		{ custom_id: 'a', status: 'invalid', answer: '{"score": 9}', error: { code: 'invalid_answer', message: 'x' } },
	]) {
		assert.deepEqual(answerAtTopLevel(item, ''), item);
	}
});

test('takenAnswerFields names the schema fields that would take the place of the result fields', () => {
	const schema = { type: 'object', properties: { status: {}, error: {}, score: {} } };
	assert.deepEqual(takenAnswerFields(schema, ''), ['status', 'error']);
	assert.deepEqual(takenAnswerFields(schema, 'answer_'), []);
	assert.deepEqual(takenAnswerFields({ type: 'object', properties: { json_error: {} } }, 'answer_'), ['json_error']);
});
