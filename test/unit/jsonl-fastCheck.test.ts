import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRequestLine, lineLooksValid } from '../../src/jsonl';
import { BATCH_ENDPOINTS, REQUEST_LINE_SCHEMAS, type BatchEndpoint } from '../../src/schemas';
import { LINE_CASES } from './schemas-cases';

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let x = Math.imul(s ^ (s >>> 15), 1 | s);
		x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
		return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
	};
}

const MISSING = Symbol('missing');
type Pool = readonly unknown[];

const TEXT: Pool = ['a', 'Grüße 😀', ' a ', '', ' ', ' \n\t', 0, 1.5, null, true, [], {}, ['a'], MISSING];
const CUSTOM_ID: Pool = ['row-1', 'x'.repeat(64), 'x'.repeat(65), '😀'.repeat(64), '😀'.repeat(65), 'a\nb', 'a\r', ' ', '\t', ' a', '', 7, null, ['a'], MISSING];
const INT: Pool = [1, 8, 0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '8', null, MISSING];
const CONTENT: Pool = [
	'hi',
	'',
	null,
	[{ type: 'text', text: 'a' }],
	[{ type: '' }],
	[{ text: 'no type' }],
	[],
	['text'],
	[null],
	[[{ type: 'text' }]],
	5,
	{ type: 'text' },
	MISSING,
];
const ROLE: Pool = ['system', 'developer', 'user', 'assistant', 'tool', 'robot', '', 1, null, MISSING];
const TOKENS: Pool = [[1, 2], [1.5], [], [[1, 2], [3]], [[1], []], [[]], [['a']], ['a', 1], [1, 'a'], [-3, 0]];
const EMBEDDING_INPUT: Pool = [...TEXT, ['a', 'b'], ['a', ''], [''], ...TOKENS];
const PROMPT: Pool = [...TEXT, ['a', 'b'], ['a', ''], [1], [['a']]];
const RESPONSES_INPUT: Pool = [...TEXT, [{ role: 'user', content: 'x' }], [1], [null], [[]]];
const EXTRA: Pool = [MISSING, MISSING, MISSING, 'anything', 1, null, { nested: true }];
const NUMBER: Pool = [MISSING, MISSING, 0, 0.5, 1, 2, 2.5, -0.1, Number.NaN, Number.POSITIVE_INFINITY, '1', null];
const SCHEMA_NAME: Pool = ['answer', 'a-b_C9', 'x'.repeat(64), 'x'.repeat(65), 'my schema', 'é', '', 7, MISSING];
function responseFormat(rnd: () => number): unknown {
	if (rnd() < 0.7) return MISSING;
	if (rnd() < 0.1) return pick(rnd, [null, 'json', [], { json_schema: { name: 'a' } }]);
	const format: Record<string, unknown> = { type: pick(rnd, ['json_schema', 'json_object', 'text', 3]) };
	if (rnd() < 0.7) format.json_schema = rnd() < 0.1 ? pick(rnd, [null, 'x', []]) : withName(rnd);
	return format;
}
function textFormat(rnd: () => number): unknown {
	if (rnd() < 0.7) return MISSING;
	if (rnd() < 0.1) return pick(rnd, [null, 'json', []]);
	if (rnd() < 0.1) return {};
	const format = rnd() < 0.1 ? pick(rnd, [null, 'x', []]) : { type: pick(rnd, ['json_schema', 'json_object', 4, MISSING]), ...withName(rnd) };
	if (typeof format === 'object' && format !== null && !Array.isArray(format) && (format as { type?: unknown }).type === MISSING) delete (format as { type?: unknown }).type;
	return { format };
}
function withName(rnd: () => number): Record<string, unknown> {
	const out: Record<string, unknown> = { schema: {} };
	set(out, 'name', pick(rnd, SCHEMA_NAME));
	return out;
}

function pick(rnd: () => number, pool: Pool): unknown {
	return pool[Math.floor(rnd() * pool.length)];
}

function set(target: Record<string, unknown>, key: string, value: unknown): void {
	if (value !== MISSING) target[key] = value;
}

function message(rnd: () => number): unknown {
	const shape = rnd();
	if (shape < 0.05) return pick(rnd, ['text', null, 3, ['user']]);
	const m: Record<string, unknown> = {};
	set(m, 'role', pick(rnd, ROLE));
	set(m, 'content', pick(rnd, CONTENT));
	set(m, 'name', pick(rnd, EXTRA));
	return m;
}

function body(rnd: () => number, endpoint: BatchEndpoint): unknown {
	if (rnd() < 0.03) return pick(rnd, [null, 'body', [], 3]);
	const b: Record<string, unknown> = {};
	set(b, 'model', rnd() < 0.85 ? 'm' : pick(rnd, TEXT));
	switch (endpoint) {
		case '/v1/chat/completions': {
			const n = Math.floor(rnd() * 4);
			set(b, 'messages', rnd() < 0.05 ? pick(rnd, ['hi', null, {}]) : Array.from({ length: n }, () => (rnd() < 0.6 ? { role: 'user', content: 'q' } : message(rnd))));
			break;
		}
		case '/v1/responses':
			set(b, 'input', rnd() < 0.5 ? 'q' : pick(rnd, RESPONSES_INPUT));
			set(b, 'instructions', rnd() < 0.5 ? MISSING : pick(rnd, TEXT));
			break;
		case '/v1/embeddings':
			set(b, 'input', rnd() < 0.4 ? 'q' : pick(rnd, EMBEDDING_INPUT));
			set(b, 'dimensions', rnd() < 0.5 ? MISSING : pick(rnd, INT));
			set(b, 'encoding_format', rnd() < 0.5 ? MISSING : pick(rnd, ['float', 'base64', 'hex', '', null, MISSING]));
			break;
		case '/v1/completions':
			set(b, 'prompt', rnd() < 0.5 ? 'q' : pick(rnd, PROMPT));
			break;
	}
	set(b, 'temperature', rnd() < 0.7 ? MISSING : pick(rnd, NUMBER));
	set(b, 'top_p', rnd() < 0.8 ? MISSING : pick(rnd, NUMBER));
	for (const key of ['max_tokens', 'max_completion_tokens', 'max_output_tokens']) set(b, key, rnd() < 0.85 ? MISSING : pick(rnd, INT));
	if (endpoint === '/v1/chat/completions') set(b, 'response_format', responseFormat(rnd));
	if (endpoint === '/v1/responses') set(b, 'text', textFormat(rnd));
	set(b, 'user', pick(rnd, EXTRA));
	return b;
}

function line(rnd: () => number, endpoint: BatchEndpoint): unknown {
	if (rnd() < 0.02) return pick(rnd, [null, 'line', [], 42]);
	const l: Record<string, unknown> = {};
	set(l, 'custom_id', rnd() < 0.8 ? 'row-1' : pick(rnd, CUSTOM_ID));
	set(l, 'method', rnd() < 0.9 ? 'POST' : pick(rnd, ['GET', 'post', '', MISSING]));
	set(l, 'url', rnd() < 0.9 ? endpoint : pick(rnd, [...BATCH_ENDPOINTS, 'v1/responses', '', MISSING]));
	set(l, 'body', body(rnd, endpoint));
	if (rnd() < 0.03) l.extra = pick(rnd, ['x', undefined, null]);
	return l;
}

test('the fast line check agrees with the zod schemas on 12,000 generated lines, valid and invalid', () => {
	const rnd = random(20261203);
	const counts = { valid: 0, invalid: 0 };
	for (let i = 0; i < 12_000; i++) {
		const endpoint = BATCH_ENDPOINTS[i % BATCH_ENDPOINTS.length];
		const candidate = line(rnd, endpoint);
		const zod = REQUEST_LINE_SCHEMAS[endpoint].safeParse(candidate).success;
		const fast = lineLooksValid(endpoint, candidate);
		if (fast !== zod) assert.fail(`line ${i} (${endpoint}): fast check ${fast}, zod ${zod}: ${JSON.stringify(candidate)}`);
		counts[zod ? 'valid' : 'invalid']++;
	}
	assert.ok(counts.valid > 1_500 && counts.invalid > 1_500, JSON.stringify(counts));
});

test("the fast line check agrees with the schemas on every one of the schemas' own cases", () => {
	assert.ok(LINE_CASES.length > 50);
	for (const { name, endpoint, line: candidate, valid } of LINE_CASES) {
		assert.equal(REQUEST_LINE_SCHEMAS[endpoint].safeParse(candidate).success, valid, `${name}: the schema`);
		assert.equal(lineLooksValid(endpoint, candidate), valid, `${name}: the fast check`);
	}
});

test('a line the fast check refuses is explained by the schemas, naming the node field', () => {
	const result = buildRequestLine({ customId: 'a', input: { endpoint: '/v1/chat/completions', model: 'm', userMessage: '' } });
	assert.ok(!result.ok);
	assert.deepEqual(result.issues, [{ field: 'User Message', message: 'Message content must not be empty.' }]);
	const embedding = buildRequestLine({ customId: 'a', input: { endpoint: '/v1/embeddings', model: 'm', input: 'x', dimensions: 1.5 } });
	assert.ok(!embedding.ok);
	assert.equal(embedding.issues[0].field, 'Dimensions');
});
