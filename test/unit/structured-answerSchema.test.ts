import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnswerSchemaError, compileAnswerSchema } from '../../src/structured';
import { compiledSchemaCount } from '../../src/structured/answerSchema';

test('a schema that is not a JSON Schema is refused with the place and the reason', () => {
	assert.throws(() => compileAnswerSchema({ type: 'object', properties: { score: { type: 'integr' } } }), (error: unknown) => {
		assert.ok(error instanceof AnswerSchemaError);
		assert.match(error.message, /properties\.score\.type/);
		return true;
	});
});

test('answers are checked with plain reasons, and the compiled schemas kept stay bounded', () => {
	for (let i = 0; i < 250; i++) {
		const check = compileAnswerSchema({ type: 'object', properties: { n: { type: 'integer', maximum: i } }, required: ['n'] });
		assert.equal(check({ n: i }), undefined);
		assert.equal(check({ n: i + 1 }), `n: must be <= ${i}`);
	}
	assert.ok(compiledSchemaCount() <= 100, `${compiledSchemaCount()} compiled schemas kept`);
	assert.equal(compileAnswerSchema({ type: 'object', required: ['n'] })({}), 'n: is missing');
});
