import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RetryError, retryLinks, retryMetadata, retryRefusal } from '../../src/retry';
import type { Batch } from '../../src/schemas';

const batch = (id: string, metadata: Record<string, string> | null = null, status = 'completed'): Batch => ({
	id,
	endpoint: '/v1/chat/completions',
	input_file_id: 'file-1',
	status,
	created_at: 1,
	metadata,
});

test('an original batch is its own root at round 0; a retry names its parent, root and round', () => {
	assert.deepEqual(retryLinks(batch('b0')), { root: 'b0', round: 0 });
	assert.deepEqual(retryLinks(batch('b2', { retry_of: 'b1', retry_root: 'b0', retry_round: '2' })), { retryOf: 'b1', root: 'b0', round: 2 });
	// Links that cannot be read make it an original rather than a guess.
	assert.deepEqual(retryLinks(batch('bx', { retry_of: 'b1', retry_round: 'two' })), { root: 'bx', round: 0 });
	assert.deepEqual(retryLinks(batch('by', { retry_of: 'b1', retry_round: '1' })), { retryOf: 'b1', root: 'b1', round: 1 });
});

test("the retry's metadata: the original's pairs, its links replaced by the new ones", () => {
	assert.deepEqual(retryMetadata(batch('b0', { sheet: 'reviews' })), { sheet: 'reviews', retry_of: 'b0', retry_root: 'b0', retry_round: '1' });
	assert.deepEqual(retryMetadata(batch('b1', { sheet: 'reviews', retry_of: 'b0', retry_root: 'b0', retry_round: '1' })), {
		sheet: 'reviews',
		retry_of: 'b1',
		retry_root: 'b0',
		retry_round: '2',
	});
});

test('metadata with no room for the three links is refused, saying how many pairs fit', () => {
	const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
	assert.equal(Object.keys(retryMetadata(batch('b0', pairs(13)))).length, 16);
	assert.throws(() => retryMetadata(batch('b0', pairs(14))), (error: unknown) => {
		assert.ok(error instanceof RetryError);
		assert.match(error.message, /already has 14 metadata pairs/);
		assert.match(error.description, /at most 13 metadata pairs/);
		return true;
	});
	// A retry of a retry carries the same number of pairs as its parent: its links are replaced, not added.
	assert.equal(Object.keys(retryMetadata(batch('b1', { ...pairs(13), retry_of: 'b0', retry_root: 'b0', retry_round: '1' }))).length, 16);
});

test('only a finished batch can be retried; a rejected one says there is nothing to retry', () => {
	for (const status of ['completed', 'expired', 'cancelled']) assert.equal(retryRefusal(batch('b', null, status)), undefined);
	for (const status of ['validating', 'in_progress', 'finalizing', 'cancelling']) {
		assert.match(retryRefusal(batch('b', null, status))?.message ?? '', new RegExp(`still "${status}"`));
	}
	assert.match(retryRefusal(batch('b', null, 'failed'))?.message ?? '', /nothing to retry/);
});
