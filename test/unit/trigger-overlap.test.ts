import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beginPoll, LEASE_KEY, triggerKey } from '../../src/trigger';

const TTL = 60_000;
let counter = 0;
const freshKey = () => triggerKey('wf', `node-${++counter}`, 'Trigger');

describe('one poll of a trigger at a time', () => {
	it('a second poll in this process is refused while the first runs, and allowed after it', () => {
		const key = freshKey();
		const data: Record<string, unknown> = {};
		const first = beginPoll(key, data, TTL, 1000)!;
		assert.ok(first);
		assert.equal(beginPoll(key, { ...data, [LEASE_KEY]: undefined }, TTL, 1001), undefined, 'the in-process guard alone refuses it');
		assert.ok(beginPoll(freshKey(), {}, TTL, 1001), 'another trigger is not blocked');
		first.release();
		assert.deepEqual(data, {}, 'release leaves no lease behind');
		const second = beginPoll(key, data, TTL, 1002);
		assert.ok(second);
		second.release();
	});

	it('a lease held by another process (in the static data) is respected until it expires', () => {
		const key = freshKey();
		const data: Record<string, unknown> = { [LEASE_KEY]: { o: 'other-process', x: 5000 } };
		assert.equal(beginPoll(key, data, TTL, 4999), undefined);
		assert.deepEqual(data[LEASE_KEY], { o: 'other-process', x: 5000 }, 'a refused poll changes nothing');
		const late = beginPoll(key, data, TTL, 5000)!;
		assert.ok(late, 'a stale lease expires');
		assert.deepEqual(data[LEASE_KEY], { o: late.token, x: 5000 + TTL });
		late.release();
	});

	it('a poll that ran past its time and was taken over may not commit', () => {
		const key = freshKey();
		const data: Record<string, unknown> = {};
		const slow = beginPoll(key, data, TTL, 0)!;
		assert.equal(slow.stillOwned(TTL - 1), true);
		assert.equal(slow.stillOwned(TTL), false, 'past its expiry, even before anyone took over (another process could have)');
		const next = beginPoll(key, data, TTL, TTL + 1)!;
		assert.ok(next, 'the guard and the lease of the slow poll expired');
		assert.equal(slow.stillOwned(TTL - 1), false, 'taken over');
		slow.release();
		assert.equal(next.stillOwned(TTL + 2), true, "the slow poll's release does not free the new poll's hold");
		next.release();
		assert.deepEqual(data, {});
	});

	it('a malformed lease counts as none', () => {
		const data: Record<string, unknown> = { [LEASE_KEY]: 'garbage' };
		const ticket = beginPoll(freshKey(), data, TTL, 0)!;
		assert.ok(ticket);
		ticket.release();
	});
});
