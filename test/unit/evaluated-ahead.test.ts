import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RowFieldError } from '../../src/jsonl';
import { EvaluatedAhead } from '../../nodes/ImpalaBatchBuilder/rows/evaluatedAhead';

test('values come from runs of evaluations, one per item, in order, never past the last item', () => {
	const calls: Array<[string, number]> = [];
	const ahead = new EvaluatedAhead(7, (param, index) => (calls.push([param, index]), `${param}${index}`), undefined, 3);
	for (let i = 0; i < 7; i++) {
		assert.equal(ahead.value('a', i, ''), `a${i}`);
		assert.equal(ahead.value('b', i, ''), `b${i}`);
	}
	const order = calls.map(([param, index]) => `${param}${index}`).join(' ');
	assert.equal(order, 'a0 a1 a2 b0 b1 b2 a3 a4 a5 b3 b4 b5 a6 b6');
});

test("a row problem is kept for its item and thrown only when that item's value is asked for", () => {
	const problem = new RowFieldError('User Message', 'could not be evaluated (no).');
	const ahead = new EvaluatedAhead(4, (_param, index) => {
		if (index === 1) throw problem;
		return index;
	});
	assert.equal(ahead.value('p', 0, ''), 0);
	assert.throws(() => ahead.value('p', 1, ''), (error) => error === problem);
	assert.equal(ahead.value('p', 2, ''), 2);
	assert.equal(ahead.value('p', 3, ''), 3);
});

test('any other error is not kept: it is thrown at once', () => {
	const ahead = new EvaluatedAhead(4, (_param, index) => {
		if (index === 2) throw new TypeError('a bug');
		return index;
	});
	assert.throws(() => ahead.value('p', 0, ''), TypeError);
});

test('asking again for an item outside the current run evaluates a new run from that item', () => {
	const calls: number[] = [];
	const ahead = new EvaluatedAhead(10, (_param, index) => (calls.push(index), index), undefined, 4);
	assert.equal(ahead.value('p', 5, ''), 5);
	assert.equal(ahead.value('p', 2, ''), 2);
	assert.deepEqual(calls, [5, 6, 7, 8, 2, 3, 4, 5]);
});

test('a run ends early when the slice is used up, after at least the item asked for', () => {
	const calls: number[] = [];
	let due = false;
	const ahead = new EvaluatedAhead(10, (_param, index) => (calls.push(index), index), () => due || calls.length === 3, 5);
	assert.equal(ahead.value('p', 0, ''), 0);
	assert.deepEqual(calls, [0, 1, 2], 'paused after the third evaluation');
	due = true;
	assert.equal(ahead.value('p', 3, ''), 3);
	assert.equal(ahead.value('p', 4, ''), 4);
	assert.deepEqual(calls, [0, 1, 2, 3, 4], 'one item per run while the slice is used up');
});

test("each evaluation gets the fallback the field's read asked for", () => {
	const fallbacks: unknown[] = [];
	const ahead = new EvaluatedAhead(4, (_param, index, fallback) => (fallbacks.push(fallback), index), undefined, 2);
	assert.equal(ahead.value('p', 0, null), 0);
	assert.equal(ahead.value('p', 2, 7), 2);
	assert.deepEqual(fallbacks, [null, null, 7, 7]);
});
