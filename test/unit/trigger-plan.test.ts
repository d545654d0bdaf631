import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callBound, planCatchUp } from '../../src/trigger';

const unseen = (...depths: number[]) => depths.map((depth, i) => ({ id: `w${i}`, depth }));

describe('planCatchUp: the cheaper way to the watched batches the new-batch listing did not reach', () => {
	it('nothing to do when every watched batch showed up', () => {
		assert.deepEqual(planCatchUp({ unseen: [], listed: 100, listEnded: false, pageSize: 100 }), { kind: 'none' });
	});

	it('one deep batch: one fetch beats 50 pages', () => {
		assert.deepEqual(planCatchUp({ unseen: unseen(5000), listed: 100, listEnded: false, pageSize: 100 }), { kind: 'fetch', ids: ['w0'] });
	});

	it('on the page already fetched: finish the page, no call', () => {
		assert.deepEqual(planCatchUp({ unseen: unseen(40, 99), listed: 3, listEnded: false, pageSize: 100 }), { kind: 'list', through: 99, pages: 0 });
	});

	it('many batches over a few pages: list down to the deepest', () => {
		const plan = planCatchUp({ unseen: unseen(...Array.from({ length: 600 }, (_, i) => i + 1)), listed: 1, listEnded: false, pageSize: 100 });
		assert.deepEqual(plan, { kind: 'list', through: 699, pages: 6 });
		assert.equal(callBound(1, 100, plan), 7);
	});

	it('as many pages as batches: fetch (exact answers), within the budget, in check order', () => {
		assert.deepEqual(planCatchUp({ unseen: unseen(150, 250), listed: 50, listEnded: false, pageSize: 100 }), { kind: 'fetch', ids: ['w0', 'w1'] });
		const many = unseen(...Array.from({ length: 40 }, (_, i) => 100 * (i + 1) + 5));
		assert.deepEqual(planCatchUp({ unseen: many, listed: 1, listEnded: false, pageSize: 100, fetchBudget: 5 }), {
			kind: 'fetch',
			ids: ['w0', 'w1', 'w2', 'w3', 'w4'],
		});
	});

	it('the list ended, or a depth is unknown: fetch', () => {
		assert.deepEqual(planCatchUp({ unseen: unseen(3), listed: 10, listEnded: true, pageSize: 100 }), { kind: 'fetch', ids: ['w0'] });
		assert.deepEqual(planCatchUp({ unseen: unseen(Infinity), listed: 10, listEnded: false, pageSize: 100 }), { kind: 'fetch', ids: ['w0'] });
	});
});
