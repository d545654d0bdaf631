import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { z } from 'zod';
import {
	ChatBodySchema,
	CompletionsBodySchema,
	CreateBatchBodySchema,
	CustomIdSchema,
	EmbeddingsBodySchema,
	JobIdSchema,
	REQUEST_LINE_SCHEMAS,
	ResponsesBodySchema,
	SchemaNameSchema,
	fixOf,
	isCustomId,
	isSayingText,
	isSchemaName,
	optionalBodyFieldsHold,
	requiredText,
	type BatchEndpoint,
} from '../../src/schemas';
import { LINE_CASES } from './schemas-cases';

/** The first issue of a parse, as `message` and `fix`; undefined when the value is accepted. */
function issueOf(schema: z.ZodTypeAny, value: unknown): { message: string; fix?: string; path: string } | undefined {
	const result = schema.safeParse(value);
	if (result.success) return undefined;
	const issue = result.error.issues[0];
	return { message: issue.message, fix: fixOf(issue), path: issue.path.join('.') };
}

const chat = (extra: Record<string, unknown>) => ({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...extra });

test('custom_id: empty, blank, a line break, over 64 characters and not text are refused, each with its own cause', () => {
	assert.deepEqual(issueOf(CustomIdSchema, ''), { message: 'custom_id must not be empty', fix: undefined, path: '' });
	assert.deepEqual(issueOf(CustomIdSchema, '   \t'), { message: 'custom_id has only spaces or line breaks', fix: undefined, path: '' });
	assert.deepEqual(issueOf(CustomIdSchema, 'a\nb'), {
		message: 'custom_id "a\\nb" has a line break',
		fix: 'Remove the line break: a custom ID is one line of text.',
		path: '',
	});
	assert.deepEqual(issueOf(CustomIdSchema, 'a\rb')?.fix, 'Remove the line break: a custom ID is one line of text.');
	assert.deepEqual(issueOf(CustomIdSchema, 'x'.repeat(65)), {
		message: 'custom_id is 65 characters long; it can have at most 64 characters',
		fix: 'Shorten it to 64 characters or fewer.',
		path: '',
	});
	assert.equal(issueOf(CustomIdSchema, { id: 1 })?.message, 'custom_id must be text');
	assert.equal(issueOf(CustomIdSchema, 42)?.message, 'custom_id must be text');
});

test('custom_id: 64 characters pass, counted as characters (an emoji is one), spaces inside are fine', () => {
	assert.equal(issueOf(CustomIdSchema, 'x'.repeat(64)), undefined);
	assert.equal(issueOf(CustomIdSchema, '😀'.repeat(64)), undefined, '64 emoji are 128 UTF-16 units but 64 characters');
	assert.match(issueOf(CustomIdSchema, '😀'.repeat(65))?.message ?? '', /is 65 characters long/);
	assert.equal(issueOf(CustomIdSchema, 'ticket 42'), undefined);
	assert.equal(issueOf(CustomIdSchema, 'row-1'), undefined);
});

test('temperature 0-2 and top_p 0-1 on every text endpoint; the bounds themselves pass', () => {
	for (const schema of [ChatBodySchema, CompletionsBodySchema]) {
		const base = schema === ChatBodySchema ? chat({}) : { model: 'm', prompt: 'Once' };
		for (const t of [0, 0.7, 2]) assert.equal(issueOf(schema, { ...base, temperature: t }), undefined, `temperature ${t}`);
		for (const t of [-1, 3, 5, 2.01]) {
			assert.deepEqual(issueOf(schema, { ...base, temperature: t }), {
				message: `temperature is ${t}; it must be from 0 to 2`,
				fix: 'Use a number from 0 (focused) to 2 (most varied).',
				path: 'temperature',
			});
		}
		assert.deepEqual(issueOf(schema, { ...base, temperature: 'abc' }), { message: 'temperature must be a number', fix: undefined, path: 'temperature' });
		assert.equal(issueOf(schema, { ...base, top_p: 1 }), undefined);
		assert.equal(issueOf(schema, { ...base, top_p: 1.5 })?.message, 'top_p is 1.5; it must be from 0 to 1');
	}
	assert.equal(issueOf(ResponsesBodySchema, { model: 'm', input: 'Hi', temperature: 2.5 })?.message, 'temperature is 2.5; it must be from 0 to 2');
});

test('max_tokens, max_output_tokens, max_completion_tokens and dimensions: whole numbers of 1 or more', () => {
	const cases: Array<[z.ZodTypeAny, Record<string, unknown>, string]> = [
		[ChatBodySchema, chat({}), 'max_tokens'],
		[ChatBodySchema, chat({}), 'max_completion_tokens'],
		[CompletionsBodySchema, { model: 'm', prompt: 'p' }, 'max_tokens'],
		[ResponsesBodySchema, { model: 'm', input: 'Hi' }, 'max_output_tokens'],
		[EmbeddingsBodySchema, { model: 'e', input: 'x' }, 'dimensions'],
	];
	for (const [schema, base, key] of cases) {
		assert.equal(issueOf(schema, { ...base, [key]: 1 }), undefined, `${key} 1`);
		assert.equal(issueOf(schema, { ...base, [key]: 4096 }), undefined, `${key} 4096`);
		assert.deepEqual(issueOf(schema, { ...base, [key]: 1.5 }), {
			message: `${key} is 1.5; it must be a whole number`,
			fix: 'Use a whole number of 1 or more.',
			path: key,
		});
		for (const n of [0, -5, -3]) assert.equal(issueOf(schema, { ...base, [key]: n })?.message, `${key} is ${n}; it must be at least 1`);
		assert.equal(issueOf(schema, { ...base, [key]: 'abc' })?.message, `${key} must be a number`);
	}
});

test('a JSON schema name: 1-64 letters, digits, _ and -, in chat response_format and responses text.format', () => {
	const chatWith = (name: unknown) => chat({ response_format: { type: 'json_schema', json_schema: { name, schema: {} } } });
	const responsesWith = (name: unknown) => ({ model: 'm', input: 'Hi', text: { format: { type: 'json_schema', name, schema: {} } } });
	const fix = 'Use only letters, digits, _ and - (at most 64 characters), e.g. "answer" or "ticket_summary".';
	for (const good of ['answer', 'Ticket_summary-2', 'x'.repeat(64)]) {
		assert.equal(issueOf(ChatBodySchema, chatWith(good)), undefined, good);
		assert.equal(issueOf(ResponsesBodySchema, responsesWith(good)), undefined, good);
		assert.equal(issueOf(SchemaNameSchema, good), undefined, good);
	}
	assert.deepEqual(issueOf(ChatBodySchema, chatWith('my schema')), {
		message: 'the schema name "my schema" has characters other than letters, digits, _ and -',
		fix,
		path: 'response_format.json_schema.name',
	});
	assert.deepEqual(issueOf(ResponsesBodySchema, responsesWith('answer!')), {
		message: 'the schema name "answer!" has characters other than letters, digits, _ and -',
		fix,
		path: 'text.format.name',
	});
	assert.equal(issueOf(SchemaNameSchema, 'x'.repeat(65))?.message, 'the schema name is 65 characters long; it can have at most 64 characters');
	assert.equal(issueOf(SchemaNameSchema, '')?.message, 'the schema name must not be empty');
	assert.equal(issueOf(ChatBodySchema, chat({ response_format: { type: 'json_object' } })), undefined, 'no name needed without a schema');
});

test('text that says nothing (empty, or only spaces and line breaks) is refused in every text field', () => {
	const blank = ' \n\t ';
	const cases: Array<[z.ZodTypeAny, Record<string, unknown>, string, string]> = [
		[ChatBodySchema, { model: 'm', messages: [{ role: 'user', content: blank }] }, 'messages.0.content', 'Message content has only spaces or line breaks'],
		[ChatBodySchema, { model: blank, messages: [{ role: 'user', content: 'Hi' }] }, 'model', 'model has only spaces or line breaks'],
		[CompletionsBodySchema, { model: 'm', prompt: blank }, 'prompt', 'prompt has only spaces or line breaks'],
		[CompletionsBodySchema, { model: 'm', prompt: ['ok', blank] }, 'prompt.1', 'Each prompt has only spaces or line breaks'],
		[ResponsesBodySchema, { model: 'm', input: blank }, 'input', 'input has only spaces or line breaks'],
		[ResponsesBodySchema, { model: 'm', input: 'Hi', instructions: blank }, 'instructions', 'instructions has only spaces or line breaks'],
		[EmbeddingsBodySchema, { model: 'e', input: blank }, 'input', 'input has only spaces or line breaks'],
		[EmbeddingsBodySchema, { model: 'e', input: ['a', blank] }, 'input.1', 'Each input has only spaces or line breaks'],
	];
	for (const [schema, body, path, message] of cases) {
		const result = schema.safeParse(body);
		assert.ok(!result.success, `${path} refused`);
		const messages = result.error.issues.flatMap((i) => (i.code === 'invalid_union' ? i.unionErrors.flatMap((e) => e.issues) : [i]));
		const found = messages.find((i) => i.path.join('.') === path);
		assert.equal(found?.message, message, path);
	}
	assert.equal(issueOf(CompletionsBodySchema, { model: 'm', prompt: ' Once upon a time ' }), undefined, 'spaces around text are fine');
});

test('a model or text given as a number or an object is refused, not turned into text', () => {
	assert.equal(issueOf(ChatBodySchema, { model: { name: 'm' }, messages: [{ role: 'user', content: 'Hi' }] })?.message, 'model must be text');
	assert.equal(issueOf(CompletionsBodySchema, { model: 'm', prompt: 42 }) !== undefined, true);
});

test('job_id: no "/", whitespace or line breaks, at most 64 characters; the create body uses the same rule', () => {
	for (const good of ['job-abc12345', 'job_1.2:3', 'j'.repeat(64)]) {
		assert.equal(issueOf(JobIdSchema, good), undefined, good);
	}
	assert.equal(issueOf(JobIdSchema, 'jobs/job-1')?.message, 'job_id "jobs/job-1" has a "/" in it, like a web address');
	assert.equal(issueOf(JobIdSchema, 'job 1')?.message, 'job_id "job 1" has a space in it');
	assert.equal(issueOf(JobIdSchema, 'job-1\n')?.message, 'job_id "job-1\\n" has a line break');
	assert.equal(issueOf(JobIdSchema, 'j'.repeat(300))?.message, 'job_id is 300 characters long; it can have at most 64 characters');
	assert.equal(issueOf(JobIdSchema, '')?.message, 'job_id must not be empty');
	const body = { input_file_id: 'file-1', endpoint: '/v1/chat/completions', job_id: 'a/b' };
	assert.equal(issueOf(CreateBatchBodySchema, body)?.path, 'job_id');
	assert.equal(issueOf(CreateBatchBodySchema, { ...body, job_id: 'job-1' }), undefined);
});

test('whole request lines: the rules apply inside REQUEST_LINE_SCHEMAS (custom_id and body)', () => {
	const line = (customId: unknown, body: Record<string, unknown>) => ({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body });
	const schema = REQUEST_LINE_SCHEMAS['/v1/chat/completions'];
	assert.equal(issueOf(schema, line('a', chat({ temperature: 1 }))), undefined);
	assert.equal(issueOf(schema, line('a\nb', chat({})))?.path, 'custom_id');
	assert.equal(issueOf(schema, line('a', chat({ temperature: 3 })))?.path, 'body.temperature');
	assert.equal(issueOf(REQUEST_LINE_SCHEMAS['/v1/embeddings'], { custom_id: 'a', method: 'POST', url: '/v1/embeddings', body: { model: 'e', input: 'x', dimensions: -3 } })?.path, 'body.dimensions');
});

test('the shared line cases: REQUEST_LINE_SCHEMAS gives every verdict listed (both sides of each rule)', () => {
	const wrong = LINE_CASES.filter((c) => REQUEST_LINE_SCHEMAS[c.endpoint].safeParse(c.line).success !== c.valid).map((c) => c.name);
	assert.deepEqual(wrong, []);
	assert.ok(LINE_CASES.length > 150, `${LINE_CASES.length} cases`);
});

const VALUES: unknown[] = [
	'a', ' a ', 'row-1', 'ticket 7', '', ' ', '\t\n', 'a\nb', 'a\rb', 'x'.repeat(64), 'x'.repeat(65), '😀'.repeat(64), '😀'.repeat(65),
	'answer', 'my schema', 'answer!', 'Ticket_summary-2', 0, 7, -1, 1.5, Number.NaN, null, undefined, true, {}, [], ['a'], { type: 'x' },
];

test('the plain predicates say exactly what their schemas say', () => {
	const text = requiredText('text');
	for (const value of VALUES) {
		const what = JSON.stringify(value) ?? String(value);
		assert.equal(isCustomId(value), CustomIdSchema.safeParse(value).success, `custom_id ${what}`);
		assert.equal(isSchemaName(value), SchemaNameSchema.safeParse(value).success, `schema name ${what}`);
		assert.equal(isSayingText(value), text.safeParse(value).success, `text ${what}`);
	}
});

test('optionalBodyFieldsHold says exactly what the body schemas say about the optional settings', () => {
	const bases: Record<BatchEndpoint, Record<string, unknown>> = {
		'/v1/chat/completions': chat({}),
		'/v1/responses': { model: 'm', input: 'Hi' },
		'/v1/embeddings': { model: 'e', input: 'x' },
		'/v1/completions': { model: 'm', prompt: 'p' },
	};
	const schemas = { '/v1/chat/completions': ChatBodySchema, '/v1/responses': ResponsesBodySchema, '/v1/embeddings': EmbeddingsBodySchema, '/v1/completions': CompletionsBodySchema };
	const numbers = [0, 0.5, 1, 2, 2.5, 3, -1, 1.5, 100, 'x', null, undefined];
	const names = ['answer', 'my schema', '', 7, undefined];
	const fields: Array<[string, unknown[]]> = [
		['temperature', numbers],
		['top_p', numbers],
		['max_tokens', numbers],
		['max_completion_tokens', numbers],
		['max_output_tokens', numbers],
		['dimensions', numbers],
		['encoding_format', ['float', 'base64', 'hex', null, undefined]],
		['response_format', [{ type: 'json_object' }, { type: 7 }, 'json', null, ...names.map((name) => ({ type: 'json_schema', json_schema: { name, schema: {} } })), { type: 'json_schema', json_schema: 'x' }]],
		['text', [{}, { format: { type: 'text' } }, { format: 'x' }, 'x', null, ...names.map((name) => ({ format: { type: 'json_schema', name } }))]],
		['other', ['anything', null]],
	];
	let checked = 0;
	for (const endpoint of Object.keys(bases) as BatchEndpoint[]) {
		for (const [key, values] of fields) {
			for (const value of values) {
				const body = { ...bases[endpoint], [key]: value };
				assert.equal(optionalBodyFieldsHold(endpoint, body), schemas[endpoint].safeParse(body).success, `${endpoint} ${key} ${JSON.stringify(value)}`);
				checked++;
			}
		}
	}
	assert.ok(checked > 300);
	for (const c of LINE_CASES) {
		const body = c.line.body as Record<string, unknown>;
		if (REQUEST_LINE_SCHEMAS[c.endpoint].safeParse({ ...c.line, custom_id: 'a', body: { ...body, model: 'm' } }).success) {
			assert.equal(optionalBodyFieldsHold(c.endpoint, body), true, c.name);
		}
	}
});
