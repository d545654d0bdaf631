import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestLineSchema } from '../../src/schemas';
import { buildRequestLine, formatNumberList, type EndpointInput } from '../../src/jsonl';

function line(input: EndpointInput, extra?: Record<string, unknown>) {
	const result = buildRequestLine({ customId: 'r1', input, additionalBody: extra });
	assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
	return result.line;
}

test('chat: system, extra and user messages in order; options only when set; exact bytes', () => {
	const built = line({
		endpoint: '/v1/chat/completions',
		model: 'm',
		systemMessage: 'Be brief',
		extraMessages: [{ role: 'assistant', content: 'ok' }],
		userMessage: 'Grüße ✓',
		temperature: 0,
		maxTokens: 50,
		responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
	});
	const expected =
		'{"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[' +
		'{"role":"system","content":"Be brief"},{"role":"assistant","content":"ok"},{"role":"user","content":"Grüße ✓"}],' +
		'"temperature":0,"max_tokens":50,"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}}}}\n';
	assert.equal(built.text, expected);
	assert.equal(built.bytes, Buffer.byteLength(expected));
	assert.notEqual(built.bytes, expected.length); // multi-byte characters are counted as bytes
	assert.equal(built.embeddingInputs, 0);
	assert.ok(RequestLineSchema.safeParse(JSON.parse(built.text)).success);
});

test('responses: instructions, input, max_output_tokens and text.format', () => {
	const built = line({
		endpoint: '/v1/responses',
		model: 'm',
		instructions: 'Answer in French',
		input: 'Hello',
		maxTokens: 10,
		responseFormat: { type: 'json_object' },
	});
	assert.deepEqual(JSON.parse(built.text).body, {
		model: 'm',
		instructions: 'Answer in French',
		input: 'Hello',
		max_output_tokens: 10,
		text: { format: { type: 'json_object' } },
	});
});

test('embeddings count one input per entry; completions use prompt', () => {
	const e = line({ endpoint: '/v1/embeddings', model: 'e', input: ['a', 'b', 'c'], dimensions: 4, encodingFormat: 'float' });
	assert.equal(e.embeddingInputs, 3);
	assert.deepEqual(JSON.parse(e.text).body, { model: 'e', input: ['a', 'b', 'c'], dimensions: 4, encoding_format: 'float' });
	const c = line({ endpoint: '/v1/completions', model: 'c', prompt: 'Once', maxTokens: 5 }, { stop: ['\n'] });
	assert.deepEqual(JSON.parse(c.text).body, { model: 'c', prompt: 'Once', max_tokens: 5, stop: ['\n'] });
});

test('invalid fields are named after the node field that produced them', () => {
	const result = buildRequestLine({
		customId: 'x'.repeat(65),
		input: { endpoint: '/v1/chat/completions', model: '', systemMessage: 'S', extraMessages: [{ role: 'robot', content: 'x' }], userMessage: '' },
		additionalBody: { model: 'other' },
	});
	assert.ok(!result.ok);
	const byField = Object.fromEntries(result.issues.map((i) => [i.field, i.message]));
	assert.match(byField['Additional Body Fields'], /sets "model", which the node already sets from Model/);
	assert.match(byField['Custom ID'], /at most 64 characters/);
	assert.match(byField['Model'], /model must not be empty/);
	assert.match(byField['Extra Messages (message 1)'], /system.*user/);
	assert.match(byField['User Message'], /Message content must not be empty/);
});

test('embedding inputs must not be empty, one by one', () => {
	const result = buildRequestLine({ customId: 'a', input: { endpoint: '/v1/embeddings', model: 'e', input: ['x', ''] } });
	assert.ok(!result.ok);
	assert.deepEqual(result.issues, [{ field: 'Input', message: 'Each input must not be empty.' }]);
});

test('number lists are short and complete', () => {
	assert.equal(formatNumberList([5]), '5');
	assert.equal(formatNumberList([7, 3]), '3 and 7');
	assert.equal(formatNumberList([2, 3, 4, 5, 9, 11, 12]), '2-5, 9, 11 and 12');
	// Past 10 runs the rest is counted: the list of a file appended to itself stays short.
	assert.equal(formatNumberList(Array.from({ length: 100_000 }, (_, i) => 2 * i + 2)), '2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 99,990 more');
	assert.equal(formatNumberList([1, 2, 3, 5, 7, 9, 11, 13, 15, 17, 19]), '1-3, 5, 7, 9, 11, 13, 15, 17 and 19');
});
