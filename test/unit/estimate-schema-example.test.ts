import assert from 'node:assert/strict';
import { test } from 'node:test';
import { responseSchema, strictModeProblems } from '../../src/jsonl';
import { compileAnswerSchema } from '../../src/structured';
import { schemaFromExample, schemaFromExampleText } from '../../src/structured/fromExample';

test('schemaFromExample: objects -> properties, all required, no other fields; lists -> items of the first entry; values -> their kind', () => {
	const schema = schemaFromExample({
		sentiment: 'positive',
		score: 4,
		ratio: 0.5,
		verified: true,
		note: null,
		tags: ['fast', 42],
		author: { name: 'Ada', orders: [{ id: 'o1', total: 12.5 }] },
	});
	assert.deepEqual(schema, {
		type: 'object',
		properties: {
			sentiment: { type: 'string' },
			score: { type: 'number' },
			ratio: { type: 'number' },
			verified: { type: 'boolean' },
			note: { type: 'null' },
			tags: { type: 'array', items: { type: 'string' } },
			author: {
				type: 'object',
				properties: {
					name: { type: 'string' },
					orders: {
						type: 'array',
						items: {
							type: 'object',
							properties: { id: { type: 'string' }, total: { type: 'number' } },
							required: ['id', 'total'],
							additionalProperties: false,
						},
					},
				},
				required: ['name', 'orders'],
				additionalProperties: false,
			},
		},
		required: ['sentiment', 'score', 'ratio', 'verified', 'note', 'tags', 'author'],
		additionalProperties: false,
	});
	// What it makes is a valid JSON Schema, meets strict mode, and accepts the example it came from.
	const check = compileAnswerSchema(schema);
	assert.deepEqual(strictModeProblems(schema), []);
	assert.equal(check({ sentiment: 'x', score: 1, ratio: 2, verified: false, note: null, tags: [], author: { name: 'B', orders: [] } }), undefined);
	assert.equal(check({ sentiment: 'x', score: '1', ratio: 2, verified: false, note: null, tags: [], author: { name: 'B', orders: [] } }), 'score: must be number');
	assert.match(check({ sentiment: 'x', score: 1, ratio: 2, verified: false, note: null, tags: [], author: { name: 'B', orders: [] }, extra: 1 }) ?? '', /extra: is not in the schema/);
});

test('schemaFromExample: primitives at the top, and what it refuses in plain words', () => {
	assert.deepEqual(schemaFromExample('text'), { type: 'string' });
	assert.deepEqual(schemaFromExample([1]), { type: 'array', items: { type: 'number' } });
	assert.deepEqual(schemaFromExampleText('{"a": {}}'), { type: 'object', properties: { a: { type: 'object', properties: {}, required: [], additionalProperties: false } }, required: ['a'], additionalProperties: false });
	assert.throws(() => schemaFromExample({ tags: [] }), { name: 'AnswerSchemaError', message: /The list at tags is empty.*Put one example entry/ });
	assert.throws(() => schemaFromExample({ a: { b: [[]] } }), { message: /The list at a\.b\[0\] is empty/ });
	assert.throws(() => schemaFromExampleText('{"a": '), { name: 'AnswerSchemaError', message: /not valid JSON/ });
});

test('strictModeProblems: says what to change, at each place, for every object', () => {
	assert.deepEqual(strictModeProblems({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false }), []);
	const problems = strictModeProblems({
		type: 'object',
		properties: {
			a: { type: 'string' },
			b: { type: 'object', properties: { c: { type: 'number' } }, required: ['c'] },
			list: { type: 'array', items: { type: 'object', properties: { d: { type: 'string' } }, additionalProperties: false } },
			either: { anyOf: [{ type: 'object', properties: {}, additionalProperties: true }, { type: 'string' }] },
			ref: { $ref: '#/$defs/thing' },
		},
		required: ['b', 'list', 'either', 'ref'],
		additionalProperties: false,
		$defs: { thing: { type: 'object', properties: { e: { type: 'string' } }, required: ['e'] } },
	});
	assert.deepEqual(problems, [
		'the top level: list "a" in "required" (to make a field optional, allow null: "type": ["string", "null"])',
		'properties.b: add "additionalProperties": false',
		'properties.list.items: list "d" in "required" (to make a field optional, allow null: "type": ["string", "null"])',
		'properties.either.anyOf[0]: add "additionalProperties": false',
		'$defs.thing: add "additionalProperties": false',
	]);
	assert.match(strictModeProblems({ type: 'array', items: { type: 'string' } })[0], /the top level must be an object/);
});

test('responseSchema: a bad JSON Schema, a bad example and a strict-mode problem each name their field and say what to do', () => {
	const bad = responseSchema('{"type": "object", "properties": {"score": {"type": "integr"}}}', 'manual', false);
	assert.equal(bad.ok, false);
	assert.ok(!bad.ok);
	assert.equal(bad.field, 'JSON Schema');
	assert.match(bad.message, /not a valid JSON Schema: properties\.score\.type/);

	const notJson = responseSchema('{"type": ', 'manual', false);
	assert.ok(!notJson.ok && notJson.field === 'JSON Schema' && /not valid JSON/.test(notJson.message));

	const emptyList = responseSchema('{"tags": []}', 'fromJson', true);
	assert.ok(!emptyList.ok && emptyList.field === 'JSON Example' && /list at tags is empty/.test(emptyList.message));

	const loose = '{"type": "object", "properties": {"a": {"type": "string"}}}';
	assert.equal(responseSchema(loose, 'manual', false).ok, true, 'without Strict the schema is fine');
	const strict = responseSchema(loose, 'manual', true);
	assert.ok(!strict.ok);
	assert.equal(strict.field, 'JSON Schema');
	assert.match(strict.message, /^does not meet what Strict needs: the top level: add "additionalProperties": false; the top level: list "a" in "required"/);
	assert.match(strict.fix, /or turn Strict off/);

	const generated = responseSchema('{"sentiment": "positive", "score": 4}', 'fromJson', true);
	assert.ok(generated.ok);
	assert.deepEqual(generated.schema.required, ['sentiment', 'score']);
	// The same value is checked once: the same schema object comes back (cached per value).
	const again = responseSchema('{"sentiment": "positive", "score": 4}', 'fromJson', true);
	assert.ok(again.ok && again.schema === generated.schema);
});
