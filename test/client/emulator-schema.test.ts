import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutputLineSchema } from '../../src/schemas';
import { compileAnswerSchema } from '../../src/structured';
import { valueFromSchema } from '../../src/emulator/answers/fromSchema';
import { breakValue } from '../../src/emulator/answers/breakSchema';
import { parseAnswerFault } from '../../src/emulator';
import { call, fileLines, jsonSchemaLine, requestLine, uploadText, useEmulator, type Endpoint } from '../helpers/emulator';
import type { Emulator } from '../../src/emulator';

const REVIEW = {
	type: 'object',
	properties: {
		sentiment: { type: 'string', enum: ['positive', 'neutral', 'negative'] },
		score: { type: 'integer', minimum: 1, maximum: 5 },
		summary: { type: 'string', maxLength: 60 },
	},
	required: ['sentiment', 'score', 'summary'],
	additionalProperties: false,
};

/** Varied schemas the answers must follow (checked with the package's own schema check). */
const SCHEMAS: Record<string, Record<string, unknown>> = {
	review: REVIEW,
	defsAndRefs: {
		type: 'object',
		$defs: {
			tag: { type: 'string', enum: ['a', 'b', 'c', 'd'] },
			person: { type: 'object', properties: { name: { type: 'string', minLength: 3 }, email: { type: 'string', format: 'email' } }, required: ['name'] },
		},
		properties: {
			tags: { type: 'array', items: { $ref: '#/$defs/tag' }, minItems: 2, maxItems: 3, uniqueItems: true },
			author: { $ref: '#/$defs/person' },
			reviewers: { type: 'array', items: { $ref: '#/$defs/person' }, maxItems: 1 },
		},
		required: ['tags', 'author', 'reviewers'],
	},
	numbers: {
		type: 'object',
		properties: {
			ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
			price: { type: 'number', minimum: 10, maximum: 20, multipleOf: 0.25 },
			count: { type: 'integer', minimum: -3, maximum: -1 },
			even: { type: 'integer', multipleOf: 2, minimum: 1, maximum: 9 },
			flag: { type: 'boolean' },
			nothing: { type: 'null' },
			fixed: { const: 'v1' },
		},
		required: ['ratio', 'price', 'count', 'even', 'flag', 'nothing', 'fixed'],
	},
	unions: {
		type: 'object',
		properties: {
			choice: { anyOf: [{ type: 'string', enum: ['x', 'y'] }, { type: 'integer' }] },
			one: { oneOf: [{ type: 'integer', minimum: 100, maximum: 100 }, { type: 'string' }] },
			both: { allOf: [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, { properties: { b: { type: 'string' } }, required: ['b'] }] },
			maybe: { type: ['string', 'null'], maxLength: 5 },
			when: { type: 'string', format: 'date-time' },
			id: { type: 'string', format: 'uuid' },
		},
		required: ['choice', 'one', 'both', 'maybe', 'when', 'id'],
		additionalProperties: false,
	},
	topLevelArray: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer', minimum: 1, maximum: 3 } }, required: ['n'] }, minItems: 1 },
	minProperties: { type: 'object', minProperties: 2, additionalProperties: { type: 'integer', maximum: 0 } },
};

test('valueFromSchema: answers follow each schema (compileAnswerSchema), for many custom_ids', () => {
	for (const [name, schema] of Object.entries(SCHEMAS)) {
		const check = compileAnswerSchema(schema);
		for (let i = 0; i < 40; i++) {
			const value = valueFromSchema(schema, `row-${i}\nA prompt about thing ${i}`, `A prompt about thing ${i}`, 'fallback');
			assert.equal(check(value), undefined, `${name} row-${i}: ${JSON.stringify(value)}`);
		}
	}
});

test('valueFromSchema: choices vary with the seed and are the same for the same seed', () => {
	const values = Array.from({ length: 30 }, (_, i) => valueFromSchema(REVIEW, `row-${i}\nGood blender`, 'Good blender', '') as Record<string, unknown>);
	assert.deepEqual(new Set(values.map((v) => v.sentiment)), new Set(['positive', 'neutral', 'negative']));
	assert.deepEqual(new Set(values.map((v) => v.score)), new Set([1, 2, 3, 4, 5]));
	assert.equal(values[0].summary, 'Summary: Good blender');
	const labelled = valueFromSchema(REVIEW, 'x', 'Product: Kettle\nReview: Boils fast and quietly, and the lid never sticks at all', '') as Record<string, unknown>;
	assert.equal(labelled.summary, 'Summary: Boils fast and quietly, and the lid never', 'the last line, its label left out, eight words');
	assert.deepEqual(valueFromSchema(REVIEW, 'row-0\nGood blender', 'Good blender', ''), values[0]);
	assert.deepEqual(valueFromSchema({}, 's', 'p', 'Answer to: p'), { answer: 'Answer to: p' });
});

test('breakValue: the broken answer breaks the schema, in varied ways', () => {
	const reasons = new Set<string>();
	for (const [name, schema] of Object.entries(SCHEMAS)) {
		const check = compileAnswerSchema(schema);
		for (let i = 0; i < 20; i++) {
			const seed = `row-${i}\nprompt ${i}`;
			const broken = breakValue(schema, valueFromSchema(schema, seed, `prompt ${i}`, ''), seed);
			assert.notEqual(broken, undefined, name);
			const reason = check(broken);
			assert.ok(reason, `${name} row-${i} should break the schema: ${JSON.stringify(broken)}`);
			if (name === 'review') reasons.add(reason.replace(/:.*$/, ''));
		}
	}
	assert.deepEqual([...reasons].sort(), ['note', 'score', 'sentiment', 'summary']);
	assert.equal(breakValue({}, { answer: 'x' }, 's'), undefined, 'a schema that allows anything cannot be broken');
});

async function runBatch(emu: Emulator, endpoint: Endpoint, lines: string[], metadata?: Record<string, string>) {
	const file = await uploadText(emu, lines);
	const created = await call(emu, 'POST', '/v1/batches', { input_file_id: file.body.id, endpoint, completion_window: 'unlimited', metadata });
	assert.equal(created.status, 200, JSON.stringify(created.body));
	const done = await emu.advance(created.body.id, 3);
	assert.equal(done.status, 'completed');
	const output = (await fileLines(emu, done.output_file_id)).map((l) => OutputLineSchema.parse(l));
	const errors = await fileLines(emu, done.error_file_id);
	return { done, output, errors, byId: new Map(output.map((l) => [l.custom_id, l.response!.body as any])) };
}

const chatSchemaLine = (id: string, text: string, schema: Record<string, unknown>) => jsonSchemaLine(id, text, schema);
const responsesSchemaLine = (id: string, text: string, schema: Record<string, unknown>) => jsonSchemaLine(id, text, schema, '/v1/responses');
const chatContent = (body: any): string => body.choices[0].message.content;
const responsesText = (body: any): string => body.output.find((o: { type: string }) => o.type === 'message').content[0].text;

test('chat and responses: json_schema requests get JSON that follows the schema; json_object keeps {"answer"}', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const check = compileAnswerSchema(SCHEMAS.defsAndRefs);
	const chat = await runBatch(emu, '/v1/chat/completions', [
		...Array.from({ length: 6 }, (_, i) => chatSchemaLine(`c-${i}`, `Review number ${i}`, SCHEMAS.defsAndRefs)),
		requestLine('obj', 'Capital?', '/v1/chat/completions', 'm', { response_format: { type: 'json_object' } }),
	]);
	for (let i = 0; i < 6; i++) assert.equal(check(JSON.parse(chatContent(chat.byId.get(`c-${i}`)))), undefined);
	assert.deepEqual(JSON.parse(chatContent(chat.byId.get('obj'))), { answer: 'Answer to: Capital?' });

	const reviewCheck = compileAnswerSchema(REVIEW);
	const responses = await runBatch(emu, '/v1/responses', Array.from({ length: 6 }, (_, i) => responsesSchemaLine(`r-${i}`, `Review ${i}`, REVIEW)));
	for (let i = 0; i < 6; i++) assert.equal(reviewCheck(JSON.parse(responsesText(responses.byId.get(`r-${i}`)))), undefined);
});

test('answerFaults: every Nth breaks the schema, a custom_id pattern gives text that is not JSON or fails; retries answer normally', async (t) => {
	const emu = await useEmulator(t, {
		pace: 'manual',
		answerFaults: [
			{ answer: 'fail', customId: /^row-(2|7)$/ },
			{ answer: 'notJson', customId: 'row-5' },
			{ answer: 'breakSchema', every: 3 },
		],
	});
	const check = compileAnswerSchema(REVIEW);
	const lines = Array.from({ length: 9 }, (_, i) => chatSchemaLine(`row-${i + 1}`, `Review ${i + 1}`, REVIEW));
	const first = await runBatch(emu, '/v1/chat/completions', lines);
	assert.deepEqual(first.errors.map((e) => e.custom_id).sort(), ['row-2', 'row-7']);
	assert.equal(first.errors[0].response.body.error.code, 'request_failed');
	const status = (id: string) => {
		const text = chatContent(first.byId.get(id));
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			return 'notJson';
		}
		return check(value) === undefined ? 'valid' : 'invalid';
	};
	assert.deepEqual(
		['row-1', 'row-3', 'row-4', 'row-5', 'row-6', 'row-8', 'row-9'].map(status),
		['valid', 'invalid', 'valid', 'notJson', 'invalid', 'valid', 'invalid'],
	);
	assert.equal(first.done.request_counts!.failed, 2);

	// A retry batch (metadata retry_of) is answered normally by rules without inRetries.
	const retry = await runBatch(emu, '/v1/chat/completions', lines, { retry_of: first.done.id, retry_round: '1' });
	assert.equal(retry.errors.length, 0);
	for (const body of retry.byId.values()) assert.equal(check(JSON.parse(chatContent(body))), undefined);

	emu.answerFaults.clear();
	emu.answerFaults.add({ answer: 'breakSchema', customId: 'row-1*', inRetries: true });
	const again = await runBatch(emu, '/v1/chat/completions', lines.slice(0, 2), { retry_of: retry.done.id });
	assert.ok(check(JSON.parse(chatContent(again.byId.get('row-1')))));
	assert.equal(check(JSON.parse(chatContent(again.byId.get('row-2')))), undefined);
});

test('text markers: [[invalid]] breaks the schema, [[notjson]] is not JSON, on both endpoints', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const check = compileAnswerSchema(REVIEW);
	const chat = await runBatch(emu, '/v1/chat/completions', [chatSchemaLine('a', 'bad [[invalid]]', REVIEW), chatSchemaLine('b', 'prose [[notjson]]', REVIEW)]);
	assert.ok(check(JSON.parse(chatContent(chat.byId.get('a')))));
	assert.throws(() => JSON.parse(chatContent(chat.byId.get('b'))));
	const responses = await runBatch(emu, '/v1/responses', [responsesSchemaLine('a', 'bad [[invalid]]', REVIEW), responsesSchemaLine('b', 'prose [[notjson]]', REVIEW)]);
	assert.ok(check(JSON.parse(responsesText(responses.byId.get('a')))));
	assert.throws(() => JSON.parse(responsesText(responses.byId.get('b'))));
});

test('usage on every output line of every endpoint; batch usage = sum of the lines, processing_cost = tokens x price', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual', answerFaults: [{ answer: 'fail', every: 4 }] });
	const endpoints: Endpoint[] = ['/v1/chat/completions', '/v1/responses', '/v1/embeddings', '/v1/completions'];
	for (const endpoint of endpoints) {
		const lines = Array.from({ length: 6 }, (_, i) => requestLine(`u-${i}`, `Some text number ${i} `.repeat(i + 1), endpoint));
		const { done, output, errors } = await runBatch(emu, endpoint, lines);
		assert.equal(errors.length, 1, endpoint);
		assert.equal(output.length, 5, endpoint);
		let prompt = 0;
		let completion = 0;
		let total = 0;
		for (const line of output) {
			const usage = (line.response!.body as { usage?: Record<string, number> }).usage;
			assert.ok(usage, `${endpoint} ${line.custom_id} has usage`);
			const p = usage.prompt_tokens ?? usage.input_tokens;
			const c = usage.completion_tokens ?? usage.output_tokens ?? 0;
			assert.ok(p > 0, endpoint);
			assert.equal(usage.total_tokens, p + c, endpoint);
			prompt += p;
			completion += c;
			total += usage.total_tokens;
		}
		assert.deepEqual(done.usage, { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total }, endpoint);
		assert.ok(done.price_1m_tokens! > 0);
		assert.ok(Math.abs(done.processing_cost! - (total * done.price_1m_tokens!) / 1e6) < 1e-9, endpoint);
	}
});

test('parseAnswerFault: the CLI form', () => {
	assert.deepEqual(parseAnswerFault('breakSchema:every=5'), { answer: 'breakSchema', every: 5, inRetries: false });
	assert.deepEqual(parseAnswerFault('notJson:id=review-7:retries'), { answer: 'notJson', customId: 'review-7', inRetries: true });
	const regexp = parseAnswerFault('fail:id=/^review-1[0-2]$/');
	assert.ok(regexp.customId instanceof RegExp && regexp.customId.test('review-11') && !regexp.customId.test('review-13'));
	assert.throws(() => parseAnswerFault('explode'), /--answer-fault must look like/);
	assert.throws(() => parseAnswerFault('fail:every=0'), /--answer-fault must look like/);
	assert.throws(() => parseAnswerFault('fail:when=now'), /unknown part/);
});
