import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	extractAnswer,
	isFailedLine,
	lineError,
	parseAnswerJson,
	toResultRow,
	type ResultRow,
} from '../../src/results';
import { OutputLineSchema } from '../../src/schemas';

const ok = (custom_id: string, body: unknown, extra: Record<string, unknown> = {}) =>
	OutputLineSchema.parse({ id: 'r', custom_id, response: { status_code: 200, request_id: 'q', body }, error: null, ...extra });

test('chat: content, tool calls and finish reason of the first choice', () => {
	const body = {
		object: 'chat.completion',
		choices: [
			{
				message: { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
				finish_reason: 'tool_calls',
			},
			{ message: { content: 'second choice is ignored' } },
		],
	};
	assert.deepEqual(extractAnswer('/v1/chat/completions', body), {
		answer: null,
		tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
		finish_reason: 'tool_calls',
	});
	assert.deepEqual(extractAnswer('v1/chat/completions', { choices: [{ message: { content: 'Hi' }, finish_reason: 'stop' }] }), {
		answer: 'Hi',
		finish_reason: 'stop',
	});
});

test('responses: output_text of message items only, reasoning skipped even when it comes first', () => {
	const body = {
		object: 'response',
		output: [
			{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking...' }] },
			{ type: 'message', content: [{ type: 'output_text', text: 'Hello ' }, { type: 'refusal', refusal: 'no' }, { type: 'output_text', text: 'world' }] },
			{ type: 'function_call', name: 'lookup', arguments: '{"q":1}' },
		],
	};
	assert.deepEqual(extractAnswer('/v1/responses', body), {
		answer: 'Hello world',
		tool_calls: [{ type: 'function_call', name: 'lookup', arguments: '{"q":1}' }],
	});
	assert.deepEqual(extractAnswer('/v1/responses', { output: [{ type: 'reasoning' }] }), { answer: null });
});

test('embeddings: one vector as `embedding`, several as `embeddings` ordered by index', () => {
	assert.deepEqual(extractAnswer('/v1/embeddings', { object: 'list', data: [{ index: 0, embedding: [0.1, 0.2] }] }), {
		embedding: [0.1, 0.2],
	});
	assert.deepEqual(
		extractAnswer('/v1/embeddings', { data: [{ index: 1, embedding: [2] }, { index: 0, embedding: [1] }] }),
		{ embeddings: [[1], [2]] },
	);
});

test('completions: choices[0].text', () => {
	assert.deepEqual(extractAnswer('/v1/completions', { choices: [{ text: 'done', finish_reason: 'length' }] }), {
		answer: 'done',
		finish_reason: 'length',
	});
});

test('an unknown endpoint falls back to the body object type', () => {
	assert.deepEqual(extractAnswer('/v2/other', { object: 'text_completion', choices: [{ text: 'x' }] }), { answer: 'x' });
	assert.deepEqual(extractAnswer('/v2/other', { something: 1 }), { answer: { something: 1 } });
});

test('a line failed when error is set, response is null, or status_code >= 400', () => {
	assert.equal(isFailedLine(ok('a', {})), false);
	assert.equal(isFailedLine(OutputLineSchema.parse({ custom_id: 'b', response: null, error: { code: 'x', message: 'boom' } })), true);
	assert.equal(isFailedLine(OutputLineSchema.parse({ custom_id: 'c', response: null, error: null })), true);
	const http400 = OutputLineSchema.parse({
		custom_id: 'd',
		response: { status_code: 400, body: { error: { message: 'bad model', type: 'invalid_request_error', code: 'model_mismatch', param: 'model' } } },
		error: null,
	});
	assert.equal(isFailedLine(http400), true);
	assert.deepEqual(lineError(http400), {
		code: 'model_mismatch',
		message: 'bad model',
		type: 'invalid_request_error',
		param: 'model',
		status_code: 400,
	});
	assert.deepEqual(lineError(OutputLineSchema.parse({ custom_id: 'c', response: null })), {
		code: null,
		message: 'The request has no response and no error message',
	});
	assert.equal(lineError(OutputLineSchema.parse({ custom_id: 'e', response: { status_code: 503, body: 'oops' } })).message, 'The request failed with HTTP status 503');
});

test('missing id and request_id are tolerated', () => {
	const line = OutputLineSchema.parse({ custom_id: 'x', response: { status_code: 200, body: { choices: [{ message: { content: 'y' } }] } } });
	assert.deepEqual(toResultRow(line, '/v1/chat/completions', {}), { custom_id: 'x', status: 'succeeded', answer: 'y' });
});

test('toResultRow keeps usage, and the raw line only when asked', () => {
	const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
	const line = ok('r1', { choices: [{ message: { content: '{"a":1}' } }], usage });
	const expected: ResultRow = { custom_id: 'r1', status: 'succeeded', answer: { a: 1 }, usage, raw_line: 'RAW' };
	assert.deepEqual(toResultRow(line, '/v1/chat/completions', { parseJson: true, includeRawLine: true }, 'RAW'), expected);
	assert.equal(toResultRow(line, '/v1/chat/completions', {}, 'RAW').raw_line, undefined);
});

test('parseAnswerJson accepts a ```json fence and keeps the text with an error otherwise', () => {
	assert.deepEqual(parseAnswerJson({ answer: '```json\n{"x": [1, 2]}\n```' }), { answer: { x: [1, 2] } });
	const bad = parseAnswerJson({ answer: 'not json' });
	assert.equal(bad.answer, 'not json');
	assert.match(bad.answer_json_error ?? '', /not valid JSON/);
	assert.deepEqual(parseAnswerJson({ embedding: [1] }), { embedding: [1] });
});
