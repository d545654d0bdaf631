import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputLineSchema } from '../../src/schemas';
import { call, fileLines, requestLine, uploadText, useEmulator, type Endpoint } from '../helpers/emulator';
import type { Emulator } from '../../src/emulator';

async function runBatch(emu: Emulator, endpoint: Endpoint, lines: string[]) {
	const file = await uploadText(emu, lines);
	const created = await call(emu, 'POST', '/v1/batches', { input_file_id: file.body.id, endpoint, completion_window: 'unlimited' });
	assert.equal(created.status, 200, JSON.stringify(created.body));
	const done = await emu.advance(created.body.id, 3);
	assert.equal(done.status, 'completed');
	const answers = (await fileLines(emu, done.output_file_id)).map((l) => OutputLineSchema.parse(l));
	const byId = new Map(answers.map((a) => [a.custom_id, a]));
	return { done, byId, answers };
}

function body(line: { response?: { body?: unknown } | null } | undefined): any {
	assert.ok(line?.response, 'the line has a response');
	return line.response.body;
}

test('chat: "Answer to: <last user text>", JSON when asked, tool calls on [[tool]], usage on every answer', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const parts = JSON.stringify({
		custom_id: 'parts',
		method: 'POST',
		url: '/v1/chat/completions',
		body: { model: 'm', messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: [{ type: 'text', text: 'look at' }, { type: 'image_url', image_url: { url: 's3://b/k' } }] }] },
	});
	const { byId } = await runBatch(emu, '/v1/chat/completions', [
		requestLine('plain', 'What is 2+2?'),
		requestLine('json', 'Capital of France?', '/v1/chat/completions', 'm', { response_format: { type: 'json_object' } }),
		requestLine('schema', 'Colour?', '/v1/chat/completions', 'm', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }),
		requestLine('tool', 'weather [[tool]]', '/v1/chat/completions', 'm', { tools: [{ type: 'function', function: { name: 'get_weather', parameters: {} } }] }),
		parts,
	]);
	const plain = body(byId.get('plain'));
	assert.equal(byId.get('plain')!.response!.status_code, 200);
	assert.equal(byId.get('plain')!.error, null);
	assert.match(byId.get('plain')!.id!, /^batch_req_/);
	assert.ok(byId.get('plain')!.response!.request_id);
	assert.equal(plain.object, 'chat.completion');
	assert.equal(plain.model, 'm');
	assert.equal(plain.choices[0].message.content, 'Answer to: What is 2+2?');
	assert.equal(plain.choices[0].finish_reason, 'stop');
	assert.equal(plain.usage.total_tokens, plain.usage.prompt_tokens + plain.usage.completion_tokens);
	assert.ok(plain.usage.completion_tokens > 0);

	assert.deepEqual(JSON.parse(body(byId.get('json')).choices[0].message.content), { answer: 'Answer to: Capital of France?' });
	assert.deepEqual(JSON.parse(body(byId.get('schema')).choices[0].message.content), { answer: 'Answer to: Colour?' });

	const tool = body(byId.get('tool')).choices[0];
	assert.equal(tool.finish_reason, 'tool_calls');
	assert.equal(tool.message.content, null);
	assert.equal(tool.message.tool_calls[0].function.name, 'get_weather');
	assert.deepEqual(JSON.parse(tool.message.tool_calls[0].function.arguments), { text: 'weather [[tool]]' });

	assert.equal(body(byId.get('parts')).choices[0].message.content, 'Answer to: look at');
});

test('responses: a reasoning item first, then a message with output_text', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const items = JSON.stringify({
		custom_id: 'items',
		method: 'POST',
		url: '/v1/responses',
		body: { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Summarise this' }] }] },
	});
	const { byId } = await runBatch(emu, '/v1/responses', [requestLine('text', 'Hello there', '/v1/responses'), items]);
	const response = body(byId.get('text'));
	assert.equal(response.object, 'response');
	assert.deepEqual(response.output.map((o: { type: string }) => o.type), ['reasoning', 'message']);
	assert.deepEqual(response.output[1].content[0].type, 'output_text');
	assert.equal(response.output[1].content[0].text, 'Answer to: Hello there');
	assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
	assert.equal(body(byId.get('items')).output[1].content[0].text, 'Answer to: Summarise this');
});

test('embeddings: dimensions ?? 8 floats derived from the text, base64 on request, one vector per input', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const { byId } = await runBatch(emu, '/v1/embeddings', [
		requestLine('a', 'same text', '/v1/embeddings'),
		requestLine('b', 'same text', '/v1/embeddings'),
		requestLine('c', 'other text', '/v1/embeddings'),
		requestLine('dims', 'same text', '/v1/embeddings', 'm', { dimensions: 20 }),
		requestLine('many', 'x', '/v1/embeddings', 'm', { input: ['one', 'two', 'three'] }),
		requestLine('b64', 'same text', '/v1/embeddings', 'm', { encoding_format: 'base64' }),
	]);
	const vector = (id: string, i = 0) => body(byId.get(id)).data[i].embedding as number[];
	assert.equal(vector('a').length, 8);
	assert.ok(vector('a').every((v) => typeof v === 'number' && v >= -1 && v <= 1));
	assert.deepEqual(vector('a'), vector('b'));
	assert.notDeepEqual(vector('a'), vector('c'));
	assert.equal(vector('dims').length, 20);
	assert.deepEqual(vector('dims').slice(0, 8), vector('a'));
	const many = body(byId.get('many'));
	assert.deepEqual(many.data.map((d: { index: number }) => d.index), [0, 1, 2]);
	assert.equal(many.object, 'list');
	assert.ok(many.usage.prompt_tokens > 0);
	const decoded = new Float32Array(new Uint8Array(Buffer.from(body(byId.get('b64')).data[0].embedding, 'base64')).buffer);
	assert.deepEqual([...decoded].map((v) => Math.round(v * 1e5) / 1e5), vector('a').map((v) => Math.round(v * 1e5) / 1e5));
});

test('completions: "Completion of: <prompt>"', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const { byId } = await runBatch(emu, '/v1/completions', [requestLine('p', 'Once upon a time', '/v1/completions')]);
	const completion = body(byId.get('p'));
	assert.equal(completion.object, 'text_completion');
	assert.equal(completion.choices[0].text, 'Completion of: Once upon a time');
	assert.ok(completion.usage.total_tokens > 0);
});

test('answers are deterministic: the same request gives the same body in another batch', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const first = await runBatch(emu, '/v1/embeddings', [requestLine('x', 'stable', '/v1/embeddings')]);
	const second = await runBatch(emu, '/v1/embeddings', [requestLine('x', 'stable', '/v1/embeddings')]);
	assert.deepEqual(body(first.byId.get('x')).data, body(second.byId.get('x')).data);
});
