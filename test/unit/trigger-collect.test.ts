import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTerminalStatus, type Batch } from '../../src/schemas';
import {
	BatchTracker,
	collectBatches,
	encodeState,
	FETCH_BUDGET,
	matchesScope,
	readState,
	scopeFingerprint,
	type BatchScope,
	type BatchSource,
	type CollectOptions,
} from '../../src/trigger';

/** An in-memory batch list standing in for the API: newest first, counting what a poll reads. */
class MemoryServer implements BatchSource {
	readonly batches: Batch[] = [];
	listed = 0;
	fetched = 0;
	/** Calls a client would make: one per page of `pageSize` read, one per batch fetched. */
	pages = 0;
	get calls(): number {
		return this.pages + this.fetched;
	}
	constructor(readonly pageSize = 100) {}
	/** When set, listing throws after this many batches (a dropped connection mid-poll). */
	failAfter?: number;
	now = 1_000_000;
	/** Every status each batch went through, in order: what the events are checked against. */
	readonly paths = new Map<string, string[]>();

	create(jobId: string | null): Batch {
		const b = {
			id: `batch-${this.batches.length + 1}`,
			endpoint: '/v1/chat/completions',
			input_file_id: 'file-x',
			job_id: jobId,
			status: 'validating',
			created_at: this.now,
		} as Batch;
		this.batches.push(b);
		this.paths.set(b.id, ['validating']);
		return b;
	}

	move(b: Batch, status: string): void {
		b.status = status;
		if (status !== 'validating') (b as Record<string, unknown>)[`${status}_at`] = this.now;
		this.paths.get(b.id)?.push(status);
	}

	async *list(): AsyncIterable<Batch> {
		const newestFirst = [...this.batches].reverse(); // created in order, so reverse is newest first
		let served = 0;
		for (const b of newestFirst) {
			if (this.failAfter !== undefined && served >= this.failAfter) throw new Error('connection reset');
			if (served % this.pageSize === 0) this.pages++;
			served++;
			this.listed++;
			yield structuredClone(b);
		}
	}

	async get(id: string): Promise<Batch | undefined> {
		this.fetched++;
		const found = this.batches.find((b) => b.id === id);
		return found && structuredClone(found);
	}
}

/** One poll as the node runs it: the stored state (JSON) is replaced only when the whole poll succeeded. */
async function poll(server: MemoryServer, stored: { state?: unknown }, scope: BatchScope, statuses: string[], options?: CollectOptions) {
	const key = scopeFingerprint(scope);
	const tracker = new BatchTracker<Batch>(readState(stored.state, key), key, { statuses, includeExisting: false });
	await collectBatches(server, scope, tracker, options);
	const fired = tracker.firedEvents();
	stored.state = JSON.parse(JSON.stringify(encodeState(tracker.nextState().state)));
	return fired.map((e) => ({ ...e, id: e.batch.id }));
}

const watchedIds = (stored: { state?: unknown }) => (readState(stored.state, 'all')?.watched.keys() ?? []);

/** A small deterministic PRNG so a failing run can be replayed. */
function prng(seed: number) {
	return () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
		return seed / 2 ** 31;
	};
}

const NEXT: Record<string, string[]> = {
	validating: ['in_progress', 'in_progress', 'failed', 'cancelling'],
	in_progress: ['finalizing', 'finalizing', 'cancelling', 'expired'],
	finalizing: ['completed'],
	cancelling: ['cancelled'],
};

describe('collectBatches + BatchTracker over many polls (in-memory list)', () => {
	const configs: Array<{ name: string; scope: BatchScope; statuses: string[] }> = [
		{ name: 'all batches, end statuses', scope: { kind: 'all' }, statuses: ['completed', 'failed', 'expired', 'cancelled'] },
		{ name: 'one job, mixed statuses', scope: { kind: 'jobId', jobId: 'job-a' }, statuses: ['in_progress', 'completed', 'cancelling'] },
		{
			name: 'all batches, every status',
			scope: { kind: 'all' },
			statuses: ['validating', 'in_progress', 'finalizing', 'cancelling', 'completed', 'failed', 'expired', 'cancelled'],
		},
	];
	for (const config of configs) {
		for (const seed of [1, 2, 3]) {
			it(`${config.name} (seed ${seed}): every status reached fires exactly once, in order, passed ones included`, async () => {
				const random = prng(seed);
				const server = new MemoryServer();
				for (let i = 0; i < 30; i++) server.create(random() < 0.5 ? 'job-a' : 'job-b');
				let saved: { state?: unknown } = {};
				// How far along its path each batch was at the last successful poll: the events are checked against the rest.
				let lastSeen = new Map<string, number>();
				const snapshot = () =>
					new Map(server.batches.filter((b) => matchesScope(b, config.scope)).map((b) => [b.id, server.paths.get(b.id)!.length]));

				assert.deepEqual(await poll(server, saved, config.scope, config.statuses), []);
				lastSeen = snapshot();
				const all: string[] = [];
				let failures = 0;
				let restarts = 0;
				let passed = 0;

				for (let tick = 0; tick < 120; tick++) {
					server.now += Math.floor(random() * 120);
					for (let n = Math.floor(random() * 3); n > 0; n--) server.create(random() < 0.5 ? 'job-a' : 'job-b');
					for (const b of server.batches) {
						// Sometimes several steps at once: the poll sees only where the batch ended up.
						while (!isTerminalStatus(b.status) && random() < 0.3) {
							const options = NEXT[b.status];
							server.move(b, options[Math.floor(random() * options.length)]);
						}
					}

					// Sometimes a poll breaks mid-list (if it lists that far): then nothing is committed.
					const breaking = random() < 0.15;
					if (breaking) server.failAfter = Math.floor(random() * 5);
					else if (random() < 0.15) {
						saved = JSON.parse(JSON.stringify(saved)) as { state?: unknown }; // a restart: only JSON survives
						restarts++;
					}
					const before = JSON.stringify(saved);
					let fired: Awaited<ReturnType<typeof poll>>;
					try {
						fired = await poll(server, saved, config.scope, config.statuses);
					} catch (error) {
						assert.ok(breaking, `tick ${tick}: ${String(error)}`);
						assert.equal(JSON.stringify(saved), before);
						failures++;
						continue;
					} finally {
						server.failAfter = undefined;
					}
					const now = snapshot();
					const expected = [...now]
						.flatMap(([id, length]) => server.paths.get(id)!.slice(lastSeen.get(id) ?? 0, length).map((status) => `${id}:${status}`))
						.filter((event) => config.statuses.includes(event.split(':')[1]))
						.sort();
					const got = fired.map((e) => `${e.id}:${e.status}`);
					assert.deepEqual([...got].sort(), expected, `tick ${tick}`);
					const times = fired.map((e) => e.at);
					assert.deepEqual(times, [...times].sort((a, b) => a - b), `tick ${tick}: in order`);
					for (const e of fired) {
						assert.equal(e.at, e.status === 'validating' ? e.batch.created_at : (e.batch as Record<string, unknown>)[`${e.status}_at`]);
						if (e.status !== e.batch.status) passed++;
						// Within a batch, events follow its path.
						const own = fired.filter((x) => x.id === e.id).map((x) => x.status);
						const path = server.paths.get(e.id)!;
						assert.deepEqual(own, path.filter((status) => own.includes(status)), `tick ${tick}: ${e.id} in path order`);
					}
					all.push(...got);
					lastSeen = now;
				}
				assert.equal(new Set(all).size, all.length, 'no batch-and-status pair fired twice');
				assert.ok(all.length > 20, `enough events to mean something (${all.length})`);
				assert.ok(failures > 0 && restarts > 0, 'the run included failed polls and restarts');
				if (config.statuses.some((status) => !isTerminalStatus(status))) {
					assert.ok(passed > 0, 'some chosen statuses were passed between polls and still fired');
				}
				const stored = readState(saved.state, scopeFingerprint(config.scope))!;
				assert.ok(stored.watched.size + stored.recent.size < server.batches.length, 'old finished batches were pruned');
			});
		}
	}

	it('stops listing once past the floor and every watched batch', async () => {
		const server = new MemoryServer();
		const scope: BatchScope = { kind: 'all' };
		const statuses = ['completed'];
		for (let i = 0; i < 200; i++) {
			server.now += 10;
			server.move(server.create(null), 'completed');
		}
		const stored: { state?: unknown } = {};
		await poll(server, stored, scope, statuses);
		assert.equal(server.listed, 200, 'the first poll reads what exists');

		server.now += 100_000;
		const fresh = server.create(null);
		server.listed = 0;
		assert.deepEqual(await poll(server, stored, scope, statuses), []);
		server.move(fresh, 'completed');
		server.listed = 0;
		assert.deepEqual((await poll(server, stored, scope, statuses)).map((b) => b.id), [fresh.id]);
		assert.equal(server.listed, 2, 'the new batch, then one older than the floor');
		assert.equal(server.fetched, 0);
	});

	it('fetches an old running batch directly when that is cheaper than listing down to it, and drops one the API forgot', async () => {
		const server = new MemoryServer(10); // the old batch sits 50 deep: 5 more pages, or 1 fetch
		const scope: BatchScope = { kind: 'all' };
		const statuses = ['completed'];
		const oldRunning = server.create(null);
		for (let i = 0; i < 50; i++) {
			server.now += 1000; // an hour apart or so: the floor's grace window holds one
			server.move(server.create(null), 'completed');
		}
		const stored: { state?: unknown } = {};
		await poll(server, stored, scope, statuses);
		server.now += 100_000;
		server.listed = 0;
		server.move(oldRunning, 'in_progress');
		server.move(oldRunning, 'finalizing');
		server.move(oldRunning, 'completed');
		server.pages = 0;
		assert.deepEqual((await poll(server, stored, scope, statuses)).map((b) => b.id), [oldRunning.id]);
		assert.equal(server.calls, 2, 'one page for the new batches, then the watched batch directly');
		assert.equal(server.fetched, 1);

		// A watched batch missing from the list is fetched directly; one the API forgot is dropped.
		const watched = server.create(null);
		await poll(server, stored, scope, statuses);
		server.batches.splice(server.batches.indexOf(watched), 1);
		server.fetched = 0;
		await poll(server, stored, scope, statuses);
		assert.equal(server.fetched, 1);
		assert.ok(![...watchedIds(stored)].includes(watched.id));
	});

	it('batch IDs are fetched directly, only while unfinished', async () => {
		const server = new MemoryServer();
		const a = server.create(null);
		const b = server.create(null);
		server.create(null);
		const scope: BatchScope = { kind: 'batchIds', ids: [a.id, b.id] };
		const stored: { state?: unknown } = {};
		server.move(b, 'failed');
		assert.deepEqual(await poll(server, stored, scope, ['completed', 'failed']), []);
		assert.equal(server.listed, 0);
		server.fetched = 0;
		server.move(a, 'in_progress');
		await poll(server, stored, scope, ['completed', 'failed']);
		assert.equal(server.fetched, 1, 'the failed one is not fetched again');
		server.move(a, 'finalizing');
		server.move(a, 'completed');
		assert.deepEqual((await poll(server, stored, scope, ['completed', 'failed'])).map((x) => x.id), [a.id]);
		await assert.rejects(
			poll(server, {}, { kind: 'batchIds', ids: ['batch-nope'] }, ['completed']),
			/batch-nope.*Batch IDs/,
		);
	});

	describe('at scale: calls per poll follow the changes, not the depth', () => {
		const statuses = ['completed', 'failed', 'expired', 'cancelled'];
		const all: BatchScope = { kind: 'all' };

		it('5,000 batches, a watched batch 5,000 deep, 3 changes a poll: at most 3 calls, every end fires once', async () => {
			const server = new MemoryServer();
			const stored: { state?: unknown } = {};
			await poll(server, stored, all, statuses); // activation: nothing yet
			server.now += 60;
			const deep = server.create(null);
			for (let i = 0; i < 5000; i++) {
				server.now += 30;
				server.move(server.create(null), i % 50 === 0 ? 'failed' : 'completed');
			}
			const caughtUp = await poll(server, stored, all, statuses);
			assert.equal(caughtUp.length, 5000, 'the 5,000 new batches fire once each');
			assert.deepEqual([...watchedIds(stored)], [deep.id]);

			const fired: string[] = caughtUp.map((e) => `${e.id}:${e.status}`);
			const perPoll: number[] = [];
			let nearTop: Batch | undefined;
			for (let round = 0; round < 4; round++) {
				server.now += 60;
				// Three changes: a batch created, one finishing near the top, and (last round) the deep one finishing.
				const created = server.create(null);
				if (nearTop) server.move(nearTop, 'completed');
				if (round === 3) server.move(deep, 'completed');
				nearTop = created;
				server.pages = server.fetched = 0;
				fired.push(...(await poll(server, stored, all, statuses)).map((e) => `${e.id}:${e.status}`));
				perPoll.push(server.calls);
			}
			assert.ok(perPoll.every((calls) => calls <= 3), `calls per poll: ${perPoll.join(', ')}`);
			assert.ok(fired.includes(`${deep.id}:completed`), 'the deep batch fired');
			assert.equal(new Set(fired).size, fired.length, 'nothing fired twice');
			assert.equal(fired.length, 5000 + 3 + 1);
		});

		it('600 batches running before activation plus one new: every completion fires once (the old limit of 500 lost 101)', async () => {
			const server = new MemoryServer();
			const before: Batch[] = [];
			for (let i = 0; i < 600; i++) {
				server.now += 30;
				before.push(server.create(null));
			}
			const stored: { state?: unknown } = {};
			await poll(server, stored, all, statuses);
			server.now += 60;
			const fresh = server.create(null);
			assert.deepEqual(await poll(server, stored, all, statuses), []);
			const fired: string[] = [];
			for (const [i, b] of [...before, fresh].entries()) {
				server.move(b, 'in_progress');
				server.move(b, 'finalizing');
				server.move(b, 'completed');
				if (i % 150 === 0) fired.push(...(await poll(server, stored, all, statuses)).map((e) => e.id));
			}
			server.pages = server.fetched = 0;
			fired.push(...(await poll(server, stored, all, statuses)).map((e) => e.id));
			assert.ok(server.calls <= 7, `listing down to the oldest (7 pages) beats 450 fetches: ${server.calls} calls`);
			assert.equal(fired.length, 601);
			assert.deepEqual(new Set(fired), new Set([...before, fresh].map((b) => b.id)));
			assert.deepEqual([...watchedIds(stored)], []);
		});

		it('many watched batches spread deep: fetched round-robin within the budget, each end fires once', async () => {
			const server = new MemoryServer(10);
			const stored: { state?: unknown } = {};
			await poll(server, stored, all, statuses);
			const watched: Batch[] = [];
			for (let i = 0; i < 60; i++) {
				server.now += 30;
				watched.push(server.create(null));
				for (let j = 0; j < 20; j++) {
					server.now += 30;
					server.move(server.create(null), 'completed');
				}
			}
			await poll(server, stored, all, statuses);
			for (const b of watched) server.move(b, 'expired');
			const rounds: string[][] = [];
			const calls: number[] = [];
			for (let round = 0; round < 4; round++) {
				server.pages = server.fetched = 0;
				rounds.push((await poll(server, stored, all, statuses)).map((e) => e.id).sort());
				calls.push(server.fetched);
			}
			assert.deepEqual(calls, [FETCH_BUDGET, FETCH_BUDGET, 60 - 2 * FETCH_BUDGET, 0], 'round-robin, within the budget');
			const ids = watched.map((b) => b.id);
			assert.deepEqual(rounds[0], ids.slice(0, FETCH_BUDGET).sort(), 'oldest first');
			assert.deepEqual(rounds.flat().sort(), [...ids].sort(), 'each end once');
		});

		it('a poll that breaks while catching up commits nothing, and the next one catches up', async () => {
			const server = new MemoryServer(10);
			const stored: { state?: unknown } = {};
			await poll(server, stored, all, statuses);
			const deep = server.create(null);
			for (let i = 0; i < 100; i++) {
				server.now += 30;
				server.move(server.create(null), 'completed');
			}
			await poll(server, stored, all, statuses);
			server.move(deep, 'cancelled');
			const saved = JSON.stringify(stored);
			const get = server.get.bind(server);
			server.get = async () => {
				throw new Error('connection reset');
			};
			await assert.rejects(poll(server, stored, all, statuses), /connection reset/);
			assert.equal(JSON.stringify(stored), saved);
			server.get = get;
			assert.deepEqual((await poll(server, stored, all, statuses)).map((e) => e.id), [deep.id]);
		});
	});
});
