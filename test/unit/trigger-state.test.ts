import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	BatchTracker,
	GRACE_SECONDS,
	MAX_RECENT_TERMINAL,
	MAX_WATCHED,
	readState,
	STATE_VERSION,
	type ObservedBatch,
	type TriggerState,
} from '../../nodes/ImpalaBatchTrigger/state';

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

/** One poll over `batches` (newest first), returning the fired `id:status` and the next state. */
function poll(previous: TriggerState | undefined, batches: ObservedBatch[], options = {}) {
	const t = tracker(previous, options);
	for (const b of batches) t.observe(b);
	return { fired: t.firedEvents().map((e) => `${e.batch.id}:${e.status}`), state: t.nextState().state, tracker: t };
}

describe('BatchTracker (pure trigger state)', () => {
	it('the first poll records what exists without firing, unless asked to include it', () => {
		const existing = [batch('b3', 'in_progress', 1000), batch('b2', 'completed', 990), batch('b1', 'failed', 1000 - GRACE_SECONDS - 1)];
		const quiet = poll(undefined, existing);
		assert.deepEqual(quiet.fired, []);
		assert.deepEqual(Object.keys(quiet.state.tracked).sort(), ['b2', 'b3'], 'b1 is below the floor: pruned');
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

	it('"Include Batches That Already Match" emits each batch once, in its current status, not its history', () => {
		const statuses = ['in_progress', 'completed'];
		const first = poll(undefined, [batch('b', 'completed', 100, { in_progress_at: 110, completed_at: 120 })], { statuses, includeExisting: true });
		assert.deepEqual(first.fired, ['b:completed']);
	});

	it('a batch seen twice in one poll (listed, then fetched) fires once', () => {
		const { state } = poll(undefined, []);
		const t = tracker(state);
		t.observe(batch('b', 'completed', 5));
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
		t.observe(batch('other-job', 'completed', 5000), false);
		const { state } = t.nextState();
		assert.equal(state.floor, 5000 - GRACE_SECONDS);
		assert.deepEqual(state.tracked, {});
		const next = poll(state, [batch('mine-but-old', 'completed', 100)]);
		assert.deepEqual(next.fired, [], 'an untracked batch below the floor is history');
	});

	describe('stopping rule', () => {
		const floorAt = (floor: number, tracked: TriggerState['tracked'] = {}): TriggerState => ({
			v: STATE_VERSION,
			scope: SCOPE,
			floor,
			tracked,
		});

		it('keeps listing while batches are at or above the floor', () => {
			const t = tracker(floorAt(1000));
			const b = batch('x', 'completed', 1000);
			t.observe(b);
			assert.equal(t.canStopAfter(b), false);
			const older = batch('y', 'completed', 999);
			t.observe(older);
			assert.equal(t.canStopAfter(older), true);
		});

		it('keeps listing until every watched batch was seen or must have been passed', () => {
			const t = tracker(floorAt(1000, { w1: { s: 'in_progress', c: 400 }, w2: { s: 'validating', c: 200 } }));
			const a = batch('a', 'completed', 500);
			t.observe(a);
			assert.equal(t.canStopAfter(a), false, 'w1 and w2 are older: they may come later');
			const w1 = batch('w1', 'in_progress', 400);
			t.observe(w1);
			assert.equal(t.canStopAfter(w1), false, 'w2 may still come');
			const b = batch('b', 'completed', 199);
			t.observe(b);
			assert.equal(t.canStopAfter(b), true, 'w2 (200) would have been listed before 199');
			assert.deepEqual(t.unseenWatched(), ['w2'], 'so it is fetched directly');
		});

		it('never stops early on the first poll', () => {
			const t = tracker();
			const b = batch('a', 'completed', 1);
			t.observe(b);
			assert.equal(t.canStopAfter(b), false);
		});
	});

	it('forgets a watched batch the API no longer knows', () => {
		const { state } = poll(undefined, [batch('gone', 'in_progress', 10)]);
		const t = tracker(state);
		assert.deepEqual(t.unseenWatched(), ['gone']);
		t.forget('gone');
		assert.deepEqual(t.nextState().state.tracked, {});
	});

	describe('pruning and bounds', () => {
		it('drops terminal batches below the floor, keeps unfinished ones however old', () => {
			const { state } = poll(undefined, [
				batch('recent-done', 'completed', 10_000),
				batch('old-done', 'completed', 10_000 - GRACE_SECONDS - 1),
				batch('old-running', 'in_progress', 1),
			]);
			assert.deepEqual(Object.keys(state.tracked).sort(), ['old-running', 'recent-done']);
		});

		it('the floor never moves back', () => {
			const { state } = poll(undefined, [batch('a', 'completed', 10_000)]);
			const t = tracker(state);
			t.observe(batch('b', 'completed', 10)); // history
			assert.equal(t.nextState().state.floor, state.floor);
		});

		it(`keeps at most ${MAX_RECENT_TERMINAL} recent terminal batches, raising the floor past the rest`, () => {
			const many = Array.from({ length: MAX_RECENT_TERMINAL + 200 }, (_, i) => batch(`b${i}`, 'completed', 100_000 - i));
			const { state } = poll(undefined, many);
			const ids = Object.keys(state.tracked);
			assert.equal(ids.length, MAX_RECENT_TERMINAL);
			assert.ok(ids.every((id) => state.tracked[id].c >= state.floor));
			// The dropped ones are below the floor, so they do not come back as new.
			const again = poll(state, many);
			assert.deepEqual(again.fired, []);
		});

		it(`watches at most ${MAX_WATCHED} unfinished batches and reports the oldest it gives up`, () => {
			const many = Array.from({ length: MAX_WATCHED + 3 }, (_, i) => batch(`w${i}`, 'in_progress', 100_000 - i));
			const t = tracker();
			for (const b of many) t.observe(b);
			const { state, dropped } = t.nextState();
			assert.equal(Object.keys(state.tracked).length, MAX_WATCHED);
			assert.deepEqual(dropped, [`w${MAX_WATCHED}`, `w${MAX_WATCHED + 1}`, `w${MAX_WATCHED + 2}`]);
		});

		it('stays small: a full state is under 64 kB of JSON', () => {
			const watched = Array.from({ length: MAX_WATCHED }, (_, i) => batch(`batch-${'x'.repeat(24)}${i}`, 'in_progress', 1_700_000_000 - i));
			const done = Array.from({ length: MAX_RECENT_TERMINAL }, (_, i) => batch(`batch-${'y'.repeat(24)}${i}`, 'completed', 1_800_000_000));
			const { state } = poll(undefined, [...done, ...watched]);
			assert.ok(JSON.stringify(state).length < 64_000, `${JSON.stringify(state).length} bytes`);
		});
	});

	it('an idle poll gives the same state byte for byte (so n8n has nothing to save)', () => {
		const batches = [batch('c', 'completed', 2000), batch('b', 'in_progress', 1990), batch('a', 'validating', 10)];
		const first = poll(undefined, batches).state;
		const stored = JSON.parse(JSON.stringify(first)) as TriggerState;
		const second = poll(stored, batches).state;
		assert.equal(JSON.stringify(second), JSON.stringify(stored));
	});

	describe('readState', () => {
		it('survives a JSON round trip (a restart) and only for the same scope and version', () => {
			const { state } = poll(undefined, [batch('a', 'in_progress', 10)]);
			const restored = JSON.parse(JSON.stringify(state)) as unknown;
			assert.deepEqual(readState(restored, SCOPE), state);
			assert.equal(readState(restored, 'jobId:other'), undefined);
			assert.equal(readState({ ...state, v: 99 }, SCOPE), undefined);
			assert.equal(readState(undefined, SCOPE), undefined);
			assert.equal(readState({ v: STATE_VERSION, scope: SCOPE }, SCOPE), undefined);
		});

		it('works on n8n static data, which is a Proxy, and never changes it', () => {
			const { state } = poll(undefined, [batch('a', 'in_progress', 10)]);
			const stored = new Proxy(JSON.parse(JSON.stringify(state)) as TriggerState, {});
			const snapshot = JSON.stringify(stored);
			const t = tracker(readState(stored, SCOPE));
			t.observe(batch('a', 'completed', 10));
			assert.deepEqual(t.firedEvents().map((e) => e.batch.id), ['a']);
			t.nextState();
			assert.equal(JSON.stringify(stored), snapshot);
		});
	});
});
