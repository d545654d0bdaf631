import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMetadataPairs } from '../../nodes/ImpalaBatchTrigger/settings';
import { matchesScope, MAX_SCOPE_BATCH_IDS, parseBatchIds, scopeFingerprint } from '../../src/trigger';

describe('trigger scope', () => {
	it('reads batch IDs separated by commas, spaces or new lines, or given as an array', () => {
		assert.deepEqual(parseBatchIds('batch-a, batch-b\nbatch-c  batch-a,,'), ['batch-a', 'batch-b', 'batch-c']);
		assert.deepEqual(parseBatchIds(['batch-x', ' batch-y ']), ['batch-x', 'batch-y']);
		assert.throws(() => parseBatchIds(' , '), /at least one batch ID in "Batch IDs"/);
		const tooMany = Array.from({ length: MAX_SCOPE_BATCH_IDS + 1 }, (_, i) => `b${i}`).join(',');
		assert.throws(() => parseBatchIds(tooMany), /at most 100/);
	});

	it('reads metadata pairs and names a pair without a key', () => {
		assert.deepEqual(parseMetadataPairs([{ key: ' team ', value: 'search' }, { key: 'env' }]), { team: 'search', env: '' });
		assert.throws(() => parseMetadataPairs([{ key: 'a', value: '1' }, { key: ' ', value: '2' }]), /pair 2 has no key/);
		assert.throws(() => parseMetadataPairs([]), /at least one key\/value pair/);
		assert.throws(() => parseMetadataPairs([{ key: 'team', value: 'a' }, { key: ' team', value: 'b' }]), /"team" is used twice \(pair 2\)/);
	});

	it('matches by job ID, by every metadata pair, and by ID', () => {
		const batch = { id: 'batch-1', job_id: 'job-a', metadata: { team: 'search', env: 'prod' } };
		assert.equal(matchesScope(batch, { kind: 'all' }), true);
		assert.equal(matchesScope(batch, { kind: 'jobId', jobId: 'job-a' }), true);
		assert.equal(matchesScope(batch, { kind: 'jobId', jobId: 'job-b' }), false);
		assert.equal(matchesScope(batch, { kind: 'metadata', metadata: { team: 'search' } }), true);
		assert.equal(matchesScope(batch, { kind: 'metadata', metadata: { team: 'search', env: 'dev' } }), false);
		assert.equal(matchesScope({ ...batch, metadata: null }, { kind: 'metadata', metadata: { team: 'search' } }), false);
		assert.equal(matchesScope(batch, { kind: 'batchIds', ids: ['batch-2', 'batch-1'] }), true);
		assert.equal(matchesScope(batch, { kind: 'batchIds', ids: ['batch-2'] }), false);
	});

	it('gives the same fingerprint for the same scope written in another order, another for another scope', () => {
		assert.equal(
			scopeFingerprint({ kind: 'metadata', metadata: { a: '1', b: '2' } }),
			scopeFingerprint({ kind: 'metadata', metadata: { b: '2', a: '1' } }),
		);
		assert.equal(scopeFingerprint({ kind: 'batchIds', ids: ['x', 'y'] }), scopeFingerprint({ kind: 'batchIds', ids: ['y', 'x'] }));
		assert.notEqual(scopeFingerprint({ kind: 'jobId', jobId: 'a' }), scopeFingerprint({ kind: 'jobId', jobId: 'b' }));
		assert.notEqual(scopeFingerprint({ kind: 'all' }), scopeFingerprint({ kind: 'jobId', jobId: 'all' }));
	});
});
