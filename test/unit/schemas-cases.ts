import type { BatchEndpoint } from '../../src/schemas';

/**
 * Request lines on both sides of every rule of REQUEST_LINE_SCHEMAS, as one list: the schema unit test
 * checks the schemas' verdicts, and any other check of lines (such as a hand-written fast check) can
 * prove it agrees on the same cases.
 */
export interface LineCase {
	name: string;
	endpoint: BatchEndpoint;
	line: Record<string, unknown>;
	valid: boolean;
}

const CHAT = '/v1/chat/completions';
const RESPONSES = '/v1/responses';
const EMBEDDINGS = '/v1/embeddings';
const COMPLETIONS = '/v1/completions';

const BASE_BODIES: Record<BatchEndpoint, Record<string, unknown>> = {
	[CHAT]: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
	[RESPONSES]: { model: 'm', input: 'Hi' },
	[EMBEDDINGS]: { model: 'e', input: 'Hi' },
	[COMPLETIONS]: { model: 'm', prompt: 'Once' },
};

function line(endpoint: BatchEndpoint, body: Record<string, unknown> = {}, customId: unknown = 'row-1'): Record<string, unknown> {
	return { custom_id: customId, method: 'POST', url: endpoint, body: { ...BASE_BODIES[endpoint], ...body } };
}

const cases: LineCase[] = [];
const add = (name: string, endpoint: BatchEndpoint, l: Record<string, unknown>, valid: boolean) => cases.push({ name, endpoint, line: l, valid });

for (const endpoint of [CHAT, RESPONSES, EMBEDDINGS, COMPLETIONS] as const) {
	add(`${endpoint}: the base line`, endpoint, line(endpoint), true);
	// custom_id
	for (const [id, valid] of [
		['x'.repeat(64), true],
		['x'.repeat(65), false],
		['😀'.repeat(64), true],
		['😀'.repeat(65), false],
		['ticket 7', true],
		[' a ', true],
		['', false],
		[' ', false],
		['\t\n', false],
		['a\nb', false],
		['a\rb', false],
		['a\u2028b', true],
		[7, false],
		[null, false],
		[{ id: 1 }, false],
	] as const) {
		add(`${endpoint}: custom_id ${JSON.stringify(id)}`, endpoint, line(endpoint, {}, id), valid);
	}
	// model
	for (const [model, valid] of [['m', true], ['', false], ['  ', false], [{ name: 'm' }, false], [7, false]] as const) {
		add(`${endpoint}: model ${JSON.stringify(model)}`, endpoint, line(endpoint, { model }), valid);
	}
}

for (const endpoint of [CHAT, RESPONSES, COMPLETIONS] as const) {
	for (const [t, valid] of [[0, true], [0.7, true], [2, true], [-1, false], [2.01, false], [3, false], [5, false], ['0.7', false], [null, false]] as const) {
		add(`${endpoint}: temperature ${JSON.stringify(t)}`, endpoint, line(endpoint, { temperature: t }), valid);
	}
	for (const [p, valid] of [[0, true], [1, true], [0.9, true], [-0.1, false], [1.5, false], ['1', false]] as const) {
		add(`${endpoint}: top_p ${JSON.stringify(p)}`, endpoint, line(endpoint, { top_p: p }), valid);
	}
}

const TOKEN_KEYS: Array<[BatchEndpoint, string]> = [
	[CHAT, 'max_tokens'],
	[CHAT, 'max_completion_tokens'],
	[RESPONSES, 'max_output_tokens'],
	[COMPLETIONS, 'max_tokens'],
	[EMBEDDINGS, 'dimensions'],
];
for (const [endpoint, key] of TOKEN_KEYS) {
	for (const [n, valid] of [[1, true], [4096, true], [0, false], [-5, false], [1.5, false], ['100', false], [null, false]] as const) {
		add(`${endpoint}: ${key} ${JSON.stringify(n)}`, endpoint, line(endpoint, { [key]: n }), valid);
	}
}

const NAMES: Array<[unknown, boolean]> = [
	['answer', true],
	['Ticket_summary-2', true],
	['x'.repeat(64), true],
	['x'.repeat(65), false],
	['my schema', false],
	['answer!', false],
	['', false],
	[7, false],
];
for (const [name, valid] of NAMES) {
	add(`chat: json_schema name ${JSON.stringify(name)}`, CHAT, line(CHAT, { response_format: { type: 'json_schema', json_schema: { name, schema: {} } } }), valid);
	add(`responses: text.format name ${JSON.stringify(name)}`, RESPONSES, line(RESPONSES, { text: { format: { type: 'json_schema', name, schema: {} } } }), valid);
}
add('chat: response_format json_object', CHAT, line(CHAT, { response_format: { type: 'json_object' } }), true);
add('responses: text.format json_object', RESPONSES, line(RESPONSES, { text: { format: { type: 'json_object' } } }), true);

const BLANK = ' \n\t ';
add('chat: user content blank', CHAT, line(CHAT, { messages: [{ role: 'user', content: BLANK }] }), false);
add('chat: user content with spaces around', CHAT, line(CHAT, { messages: [{ role: 'user', content: ' Hi ' }] }), true);
add('chat: system content blank', CHAT, line(CHAT, { messages: [{ role: 'system', content: ' ' }, { role: 'user', content: 'Hi' }] }), false);
add('chat: content a number', CHAT, line(CHAT, { messages: [{ role: 'user', content: 42 }] }), false);
add('responses: input blank', RESPONSES, line(RESPONSES, { input: BLANK }), false);
add('responses: instructions blank', RESPONSES, line(RESPONSES, { instructions: '  ' }), false);
add('responses: instructions text', RESPONSES, line(RESPONSES, { instructions: 'Be brief.' }), true);
add('embeddings: input blank', EMBEDDINGS, line(EMBEDDINGS, { input: BLANK }), false);
add('embeddings: one blank input of a list', EMBEDDINGS, line(EMBEDDINGS, { input: ['a', ' '] }), false);
add('embeddings: a list of texts', EMBEDDINGS, line(EMBEDDINGS, { input: ['a', 'b'] }), true);
add('completions: prompt blank', COMPLETIONS, line(COMPLETIONS, { prompt: BLANK }), false);
add('completions: one blank prompt of a list', COMPLETIONS, line(COMPLETIONS, { prompt: ['a', '\n'] }), false);
add('completions: prompt a number', COMPLETIONS, line(COMPLETIONS, { prompt: 42 }), false);

export const LINE_CASES: readonly LineCase[] = cases;
