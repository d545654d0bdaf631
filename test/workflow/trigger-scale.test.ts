import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { INodeExecutionData } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import type { Emulator } from '../../src/emulator';
import type { Batch } from '../../src/schemas';
import { MAX_WATCHED } from '../../src/trigger';
import { chatLine, useEmulator } from '../helpers/emulator';
import { Poller } from '../helpers/poll';

const eventsOf = (items: INodeExecutionData[]) => items.map((item) => `${item.json.id as string}:${item.json.event_status as string}`);

/** An emulator with one small input file, so seeded `validating` batches can run. */
async function setUp(t: Parameters<typeof useEmulator>[0]) {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(chatLine('row-1', 'question')), filename: 'input.jsonl' });
	const credentials = { impalaApi: { baseUrl: emu.url, apiKey: '' } };
	return { emu, client, file, credentials, now: Math.floor(Date.now() / 1000) };
}

/** One poll; returns its events and the API calls it made (from the emulator's request log). */
async function pollCounted(emu: Emulator, poller: Poller) {
	const start = emu.requests.length;
	const outcome = await poller.poll();
	assert.equal(outcome.error, undefined, outcome.error?.message);
	const calls = emu.requests.slice(start).filter((r) => r.method === 'GET' && r.path.startsWith('/v1/batches')).length;
	return { events: eventsOf(outcome.items), calls, items: outcome.items };
}

describe('Impala Batch Trigger at scale (real n8n-core poll context, emulator)', () => {
	it('600 batches running before activation plus one new, across restarts and skipped statuses: every (batch, status) fires once', async (t) => {
		const { emu, client, file, credentials, now } = await setUp(t);
		// Half an hour apart or so, as batches pile up over weeks; the newest is an hour old.
		const before = emu.seedBatches(600, { inputFileId: file.id, createdAt: (i) => now - 3600 - (600 - i) * 1800 });
		let poller = new Poller({ parameters: { statuses: ['in_progress', 'completed'] }, credentials });
		const fired: string[] = [];
		const record = async () => {
			const { events, calls } = await pollCounted(emu, poller);
			fired.push(...events);
			return { events, calls };
		};

		assert.deepEqual((await record()).events, [], 'activation records what exists');
		const fresh = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
		assert.deepEqual((await record()).events, [], 'validating is not a chosen status');
		const all: Batch[] = [...before, fresh];

		// The older half starts; a restart in between (only the saved static data survives).
		for (const b of before.slice(0, 300)) await emu.advance(b.id, 1);
		poller = poller.restart();
		const started = await record();
		assert.deepEqual(started.events.sort(), before.slice(0, 300).map((b) => `${b.id}:in_progress`).sort());
		assert.ok(started.calls <= 8, `listing down to 600 deep is 7 pages: ${started.calls} calls`);

		// Everything finishes; the newer half passes in_progress between two polls: it still fires, once.
		for (const [i, b] of all.entries()) await emu.advance(b.id, i < 300 ? 2 : 3);
		poller = poller.restart();
		const finished = await record();
		assert.equal(finished.events.length, 300 + 301 * 2, "the older half: completed; the rest: in_progress and completed");
		assert.deepEqual((await record()).events, [], 'nothing fires twice');

		const expected = all.flatMap((b) => [`${b.id}:in_progress`, `${b.id}:completed`]);
		assert.deepEqual([...fired].sort(), expected.sort(), 'every (batch, status) exactly once');
	});

	it('5,000 batches above a watched one: 3 changes cost at most 3 calls, and every (batch, status) fires once', async (t) => {
		const { emu, client, file, credentials, now } = await setUp(t);
		let poller = new Poller({ parameters: { statuses: ['in_progress', 'completed', 'failed'] }, credentials });
		const fired: string[] = [];
		assert.deepEqual((await pollCounted(emu, poller)).events, [], 'activation on an empty account');

		// Created after activation: one batch that keeps running, then 5,000 that finish, 30 s apart.
		const base = now - 600 - 5001 * 30;
		const [deep] = emu.seedBatches(1, { inputFileId: file.id, createdAt: () => base });
		const done = emu.seedBatches(4900, { status: 'completed', createdAt: (i) => base + 30 * (i + 1) });
		const failed = emu.seedBatches(100, { status: 'failed', createdAt: (i) => base + 30 * (4901 + i) });
		const catchUp = await pollCounted(emu, poller);
		fired.push(...catchUp.events);
		assert.equal(catchUp.events.length, 4900 * 2 + 100, 'each new batch fires every chosen status it reached');
		assert.ok(catchUp.calls <= 51, `${catchUp.calls} calls for 5,001 new batches`);

		let previous: Batch | undefined;
		const perPoll: number[] = [];
		for (let round = 0; round < 3; round++) {
			// Three changes: a new batch, the previous one finishing near the top, and (last round) the deep one.
			const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
			if (previous) await emu.advance(previous.id, 3);
			if (round === 2) await emu.advance(deep.id, 3);
			previous = created;
			if (round === 1) poller = poller.restart();
			const { events, calls } = await pollCounted(emu, poller);
			fired.push(...events);
			perPoll.push(calls);
		}
		assert.ok(perPoll.every((calls) => calls <= 3), `calls per poll: ${perPoll.join(', ')}`);
		assert.ok(fired.includes(`${deep.id}:completed`) && fired.includes(`${deep.id}:in_progress`), 'the batch 5,000 deep fired');
		assert.equal(new Set(fired).size, fired.length, 'nothing fired twice');
		assert.equal(fired.length, 4900 * 2 + 100 + 2 * 2 + 2);
		assert.deepEqual(done.length + failed.length, 5000);
	});

	it(`more than ${MAX_WATCHED.toLocaleString('en-US')} unfinished batches: the poll emits an item naming the ones it stops watching`, async (t) => {
		const { emu, credentials, file, now } = await setUp(t);
		const poller = new Poller({ parameters: {}, credentials });
		await pollCounted(emu, poller); // activation on an empty account
		const count = MAX_WATCHED + 2;
		const running = emu.seedBatches(count, { inputFileId: file.id, createdAt: (i) => now - 600 - (count - i) * 30 });

		const { items } = await pollCounted(emu, poller);
		assert.equal(items.length, 1);
		const { json } = items[0];
		assert.equal(json.event_status, 'watch_list_full');
		assert.deepEqual(json.unwatched_batch_ids, [running[0].id, running[1].id], 'the two oldest');
		assert.match(String(json.message), /at most 10,000 unfinished batches.*stopped watching the 2 oldest/);
		const saved = Object.values(poller.savedStaticData())[0] as { state: { w: string } };
		assert.equal(saved.state.w.split(' ').length, 2 * MAX_WATCHED, 'the state holds the rest');
	});
});
