import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countEmbeddingInputs, embeddingInputsOf } from '../../src/schemas';

test('embeddingInputsOf: one input per text or token array; the count is its length', () => {
	const cases: Array<[string, unknown, unknown[]]> = [
		['a string', 'hello', ['hello']],
		['an empty array', [], []],
		['absent', undefined, []],
		['a token-id array is one input', [1, 2, 3], [[1, 2, 3]]],
		['an array of token arrays', [[1, 2], [3]], [[1, 2], [3]]],
		['an array of strings', ['a', 'b', 'c'], ['a', 'b', 'c']],
	];
	for (const [name, input, expected] of cases) {
		assert.deepEqual(embeddingInputsOf(input), expected, name);
		assert.equal(countEmbeddingInputs({ input }), expected.length, name);
	}
});
