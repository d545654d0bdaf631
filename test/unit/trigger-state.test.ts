import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	BatchTracker,
	encodeState,
	GRACE_SECONDS,
	MAX_RECENT_TERMINAL,
	MAX_WATCHED,
	readState,
	STATE_VERSION,
	type ObservedBatch,
	type TriggerState,
} from '../../src/trigger';

const TERMINAL = ['completed', 'failed', 'expired', 'cancelled'];
const SCOPE = 'all';

function batch(id: string, status: string, createdAt: number, extra: Partial<ObservedBatch> = {}): ObservedBatch {
	return { id, status, created_at: createdAt, ...extra };
}

function tracker(previous?: TriggerState, options: { statuses?: string[]; includeExisting?: boolean } = {}) {
	return new BatchTracker(previous, SCOPE, {
		statuses: options.statuses ?? TERMINAL,
		includeExisting: options.includeExisting ?? false,
	});
}

/** The state as n8n keeps it between polls: JSON. */
function persisted(state: TriggerState): TriggerState {
	const restored = readState(JSON.parse(JSON.stringify(encodeState(state))), state.scope);
	assert.ok(restored, 'the stored state reads back');
	return restored;
}

/** One poll over `batches` (the list, newest first), returning the fired `id:status` and the next state. */
function poll(previous: TriggerState | undefined, batches: ObservedBatch[], options = {}) {
	const t = tracker(previous, options);
	batches.forEach((b, position) => t.observe(b, true, position));
	const next = t.nextState();
	return { fired: t.firedEvents().map((e) => `${e.batch.id}:${e.status}`), state: persisted(next.state), dropped: next.dropped, tracker: t };
}

const ids = (state: TriggerState) => [...state.watched.keys(), ...state.recent.keys()].sort();

describe('BatchTracker (pure trigger state)', () => {
	it('the first poll records what exists without firing, unless asked to include it', () => {
		const existing = [batch('b3', 'in_progress', 1000), batch('b2', 'completed', 990), batch('b1', 'failed', 1000 - GRACE_SECONDS - 1)];
		const quiet = poll(undefined, existing);
		assert.deepEqual(quiet.fired, []);
		assert.deepEqual(ids(quiet.state), ['b2', 'b3'], 'b1 is below the floor: pruned');
		assert.equal(quiet.state.floor, 1000 - GRACE_SECONDS);

		const loud = poll(undefined, existing, { includeExisting: true });
		assert.deepEqual(loud.fired, ['b1:failed', 'b2:completed']);
	});

	it('fires a new batch and each status change once; repeats and history never fire', () => {
		let { state } = poll(undefined, [batch('old-running', 'in_progress', 100), batch('old-done', 'completed', 50)]);
		const second = poll(state, [
			batch('new-done', 'completed', 2000),
			batch('new-running', 'validating', 1990),
			batch('old-running', 'in_progress', 100),
			batch('old-done', 'completed', 50),
		]);
		assert.deepEqual(second.fired, ['new-done:completed']);
		state = second.state;

		const third = poll(state, [
			batch('new-done', 'completed', 2000),
			batch('new-running', 'cancelled', 1990, { cancelled_at: 2100 }),
			batch('old-running', 'completed', 100, { completed_at: 2050 }),
		]);
		assert.deepEqual(third.fired, ['old-running:completed', 'new-running:cancelled'], 'ordered by when the status was reached');

		const fourth = poll(third.state, [batch('new-done', 'completed', 2000), batch('new-running', 'cancelled', 1990)]);
		assert.deepEqual(fourth.fired, []);
	});

	it('fires chosen non-terminal statuses once each, skipping unchosen ones', () => {
		const statuses = ['in_progress', 'completed'];
		let state = poll(undefined, [], { statuses }).state;
		const steps = ['validating', 'in_progress', 'in_progress', 'finalizing', 'completed', 'completed'];
		const fired: string[] = [];
		for (const status of steps) {
			const result = poll(state, [batch('b', status, 10)], { statuses });
			fired.push(...result.fired);
			state = result.state;
		}
		assert.deepEqual(fired, ['b:in_progress', 'b:completed']);
	});

	it('fires every chosen status a batch passed between two polls, from its timestamps, oldest first', () => {
		const statuses = ['validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'cancelled'];
		const { state } = poll(undefined, [batch('known', 'validating', 100)], { statuses });
		const next = poll(
			state,
			[
				// Created and finished between the polls: every status it went through fires.
				batch('new', 'completed', 200, { in_progress_at: 210, finalizing_at: 260, completed_at: 270 }),
				// Seen validating last time; since then it started, and was cancelled.
				batch('known', 'cancelled', 100, { in_progress_at: 205, cancelling_at: 250, cancelled_at: 250 }),
			],
			{ statuses },
		);
		assert.deepEqual(next.fired, [
			'new:validating',
			'known:in_progress',
			'new:in_progress',
			'known:cancelling',
			'known:cancelled',
			'new:finalizing',
			'new:completed',
		]);
		assert.deepEqual(poll(next.state, [batch('new', 'completed', 200, { in_progress_at: 210, finalizing_at: 260, completed_at: 270 })], { statuses }).fired, []);
	});

	it('passed statuses: only chosen ones, only after the last one seen, only those with a timestamp', () => {
		const statuses = ['validating', 'in_progress', 'finalizing', 'completed'];
		const { state } = poll(undefined, [batch('b', 'in_progress', 100, { in_progress_at: 110 })], { statuses });
		const times = { in_progress_at: 110, finalizing_at: 150, completed_at: 160 };
		assert.deepEqual(poll(state, [batch('b', 'completed', 100, times)], { statuses }).fired, ['b:finalizing', 'b:completed']);
		assert.deepEqual(poll(state, [batch('b', 'completed', 100, times)], { statuses: ['completed'] }).fired, ['b:completed']);
		// An older deployment that leaves finalizing_at null: that status cannot be known to have happened.
		assert.deepEqual(poll(state, [batch('b', 'completed', 100, { ...times, finalizing_at: null })], { statuses }).fired, ['b:completed']);
		// Ties in time keep the lifecycle order.
		const sameSecond = poll(state, [batch('b', 'completed', 100, { in_progress_at: 110, finalizing_at: 110, completed_at: 110 })], { statuses });
		assert.deepEqual(sameSecond.fired, ['b:finalizing', 'b:completed']);
	});

	it('a status Impala adds later is watched, stored and fired like the others', () => {
		const statuses = ['queued_for_gpu', 'completed'];
		const first = poll(undefined, [batch('b', 'validating', 100)], { statuses });
		const second = poll(first.state, [batch('b', 'queued_for_gpu', 100)], { statuses });
		assert.deepEqual(second.fired, ['b:queued_for_gpu']);
		assert.equal(second.state.watched.get('b')?.status, 'queued_for_gpu', 'kept through JSON');
		assert.deepEqual(poll(second.state, [batch('b', 'queued_for_gpu', 100)], { statuses }).fired, []);
	});

	it('"Include Batches That Already Match" emits each batch once, in its current status, not its history', () => {
		const statuses = ['in_progress', 'completed'];
		const first = poll(undefined, [batch('b', 'completed', 100, { in_progress_at: 110, completed_at: 120 })], { statuses, includeExisting: true });
		assert.deepEqual(first.fired, ['b:completed']);
	});

	it('a batch seen twice in one poll (listed, then fetched) fires once', () => {
		const { state } = poll(undefined, []);
		const t = tracker(state);
		t.observe(batch('b', 'completed', 5), true, 0);
		t.observe(batch('b', 'completed', 5));
		assert.equal(t.firedEvents().length, 1);
	});

	it('a batch created in the same second as the newest one seen, but listed late, is still new', () => {
		const { state } = poll(undefined, [batch('first', 'completed', 500)]);
		const next = poll(state, [batch('late', 'completed', 500), batch('first', 'completed', 500)]);
		assert.deepEqual(next.fired, ['late:completed']);
	});

	it('batches outside the scope still move the floor, so they mark history as covered', () => {
		const t = tracker();
		t.observe(batch('other-job', 'completed', 5000), false, 0);
		const { state } = t.nextState();
		assert.equal(state.floor, 5000 - GRACE_SECONDS);
		assert.equal(state.watched.size + state.recent.size, 0);
		const next = poll(state, [batch('mine-but-old', 'completed', 100)]);
		assert.deepEqual(next.fired, [], 'an untracked batch below the floor is history');
	});

	it('the new batches end at the first batch older than the floor (never on the first poll)', () => {
		assert.equal(tracker().isPastNew(batch('a', 'completed', 1)), false);
		const { state } = poll(undefined, [batch('a', 'completed', 10_000)]);
		const t = tracker(state);
		assert.equal(t.isPastNew(batch('x', 'completed', 10_000 - GRACE_SECONDS)), false, 'at the floor: may be new');
		assert.equal(t.isPastNew(batch('y', 'completed', 10_000 - GRACE_SECONDS - 1)), true);
	});

	it('knows how deep each watched batch sits: its list position, plus the batches created since', () => {
		const { state } = poll(undefined, [batch('d0', 'completed', 1000), batch('w1', 'in_progress', 990), batch('d2', 'completed', 980), batch('w3', 'validating', 970)]);
		let t = tracker(state);
		assert.equal(t.expectedDepth('w1'), 1);
		assert.equal(t.expectedDepth('w3'), 3);
		// Three new batches on top: the watched ones are three deeper (counted even when they are not in scope).
		t.observe(batch('n1', 'validating', 1100), true, 0);
		t.observe(batch('n2', 'validating', 1090), false, 1);
		t.observe(batch('n3', 'validating', 1080), true, 2);
		assert.equal(t.expectedDepth('w3'), 6);
		const next = persisted(t.nextState().state);
		t = tracker(next);
		assert.equal(t.expectedDepth('w3'), 6);
		assert.equal(t.expectedDepth('n1'), 0);
		assert.equal(t.expectedDepth('n3'), 2);
	});

	it('forgets a watched batch the API no longer knows', () => {
		const { state } = poll(undefined, [batch('gone', 'in_progress', 10)]);
		const t = tracker(state);
		assert.deepEqual(t.unseenWatched(), ['gone']);
		t.forget('gone');
		assert.equal(t.nextState().state.watched.size, 0);
	});

	it('keeps the check order: batches not checked in a poll come first next time, then the checked ones oldest first', () => {
		const { state } = poll(undefined, [batch('c', 'in_progress', 30), batch('b', 'in_progress', 20), batch('a', 'in_progress', 10)]);
		assert.deepEqual([...state.watched.keys()], ['a', 'b', 'c'], 'oldest first');
		const t = tracker(state);
		t.observe(batch('a', 'in_progress', 10)); // fetched directly
		const next = persisted(t.nextState().state);
		assert.deepEqual([...next.watched.keys()], ['b', 'c', 'a'], 'round-robin');
		assert.deepEqual(tracker(next).unseenWatched(), ['b', 'c', 'a']);
	});

	describe('pruning and bounds', () => {
		it('drops finished batches below the floor, keeps unfinished ones however old', () => {
			const { state } = poll(undefined, [
				batch('recent-done', 'completed', 10_000),
				batch('old-done', 'completed', 10_000 - GRACE_SECONDS - 1),
				batch('old-running', 'in_progress', 1),
			]);
			assert.deepEqual(ids(state), ['old-running', 'recent-done']);
		});

		it('the floor never moves back', () => {
			const { state } = poll(undefined, [batch('a', 'completed', 10_000)]);
			const t = tracker(state);
			t.observe(batch('b', 'completed', 10), true, 1); // history
			assert.equal(t.nextState().state.floor, state.floor);
		});

		it(`keeps at most ${MAX_RECENT_TERMINAL} recent finished batches, raising the floor past the rest`, () => {
			const many = Array.from({ length: MAX_RECENT_TERMINAL + 200 }, (_, i) => batch(`b${i}`, 'completed', 100_000 - i));
			const { state } = poll(undefined, many);
			assert.equal(state.recent.size, MAX_RECENT_TERMINAL);
			assert.ok([...state.recent.values()].every((createdAt) => createdAt >= state.floor));
			// The dropped ones are below the floor, so they do not come back as new.
			const again = poll(state, many);
			assert.deepEqual(again.fired, []);
		});

		it(`watches ${MAX_WATCHED.toLocaleString('en-US')} unfinished batches; beyond that it names the oldest it gives up`, () => {
			const many = Array.from({ length: MAX_WATCHED + 3 }, (_, i) => batch(`w${i}`, 'in_progress', 100_000 - i));
			const { state, dropped } = poll(undefined, many);
			assert.equal(state.watched.size, MAX_WATCHED);
			assert.deepEqual(dropped.sort(), [`w${MAX_WATCHED}`, `w${MAX_WATCHED + 1}`, `w${MAX_WATCHED + 2}`].sort());
			assert.ok(state.watched.has('w0') && state.watched.has(`w${MAX_WATCHED - 1}`));
		});

		it(`stays compact: ${MAX_WATCHED.toLocaleString('en-US')} watched batches with 30-character IDs, plus ${MAX_RECENT_TERMINAL} finished, as JSON`, (t) => {
			const id = (prefix: string, i: number) => `batch-${prefix}${i.toString(16).padStart(23, '0')}`;
			const watched = Array.from({ length: MAX_WATCHED }, (_, i) => batch(id('a', i), i % 2 ? 'in_progress' : 'validating', 1_700_000_000 - i * 60));
			const done = Array.from({ length: MAX_RECENT_TERMINAL }, (_, i) => batch(id('b', i), 'completed', 1_800_000_000));
			const { state, dropped } = poll(undefined, [...done, ...watched]);
			assert.deepEqual(dropped, []);
			assert.equal(state.watched.size, MAX_WATCHED);
			const bytes = JSON.stringify(encodeState(state)).length;
			t.diagnostic(`state JSON: ${bytes} bytes (${Math.round(bytes / 1024)} kB), ${(bytes / (MAX_WATCHED + MAX_RECENT_TERMINAL)).toFixed(1)} bytes per batch`);
			// An ID of 30 characters plus a space is 31 bytes: the rest of an entry is a few bytes.
			assert.ok(bytes < (MAX_WATCHED + MAX_RECENT_TERMINAL) * 38, `${bytes} bytes`);
		});
	});

	it('an idle poll gives the same state byte for byte (so n8n has nothing to save)', () => {
		const batches = [batch('c', 'completed', 2000), batch('b', 'in_progress', 1990), batch('a', 'validating', 10)];
		const first = poll(undefined, batches).state;
		const second = poll(first, batches).state;
		assert.equal(JSON.stringify(encodeState(second)), JSON.stringify(encodeState(first)));
	});

	describe('readState', () => {
		it('survives a JSON round trip (a restart), only for the same scope and version', () => {
			const { state } = poll(undefined, [batch('a', 'in_progress', 10), batch('b', 'completed', 9)]);
			const stored = JSON.parse(JSON.stringify(encodeState(state))) as Record<string, unknown>;
			assert.equal(stored.v, STATE_VERSION);
			assert.deepEqual(readState(stored, SCOPE), state);
			assert.equal(readState(stored, 'jobId:other'), undefined);
			assert.equal(readState({ ...stored, v: 99 }, SCOPE), undefined);
			assert.equal(readState(undefined, SCOPE), undefined);
			assert.equal(readState({ v: STATE_VERSION, scope: SCOPE }, SCOPE), undefined);
		});

		it('drops malformed entries rather than failing', () => {
			const stored = { v: STATE_VERSION, scope: SCOPE, floor: 0, top: 10, n: 2, w: 'a i1 b x? c =odd d v', r: 'e 9 f' };
			const state = readState(stored, SCOPE)!;
			assert.deepEqual([...state.watched.keys()], ['a']);
			assert.deepEqual([...state.recent], [['e', 9]]);
		});

		it('carries over a version-1 state (one object per batch), so an upgrade loses no event', () => {
			const v1 = { v: 1, scope: SCOPE, floor: 700, tracked: { run: { s: 'in_progress', c: 100 }, done: { s: 'completed', c: 900 } } };
			const state = readState(v1, SCOPE)!;
			assert.deepEqual([...state.watched], [['run', { status: 'in_progress', key: -1 }]], 'at least 1 deep (done is newer)');
			const next = poll(state, [batch('new', 'completed', 1100), batch('done', 'completed', 900), batch('run', 'completed', 100)]);
			assert.deepEqual(next.fired.sort(), ['new:completed', 'run:completed']);
		});

		it('works on n8n static data, which is a Proxy, and never changes it', () => {
			const { state } = poll(undefined, [batch('a', 'in_progress', 10)]);
			const stored = new Proxy(JSON.parse(JSON.stringify(encodeState(state))) as object, {});
			const snapshot = JSON.stringify(stored);
			const t = tracker(readState(stored, SCOPE));
			t.observe(batch('a', 'completed', 10));
			assert.deepEqual(t.firedEvents().map((e) => e.batch.id), ['a']);
			t.nextState();
			assert.equal(JSON.stringify(stored), snapshot);
		});
	});
});
