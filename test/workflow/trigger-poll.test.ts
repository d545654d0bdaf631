import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator } from '../../src/emulator';
import type { Batch } from '../../src/schemas';
import { chatLine } from '../helpers/emulator';
import { Poller, TRIGGER_NODE_NAME } from '../helpers/poll';

const API_KEY = 'sk-trigger-test';
const STATIC_KEY = `node:${TRIGGER_NODE_NAME}`;

let emu: Emulator;
let client: ImpalaClient;
let credentials: { impalaApi: { baseUrl: string; apiKey: string } };

before(async () => {
	emu = await startEmulator({ pace: 'manual', apiKey: API_KEY });
	client = new ImpalaClient({ baseUrl: emu.url, apiKey: API_KEY });
	credentials = { impalaApi: { baseUrl: emu.url, apiKey: API_KEY } };
});
after(async () => {
	await emu.close();
});

/** A batch of `requests` chat lines; `invalid` repeats a custom_id so Impala fails the batch. */
async function createBatch(
	options: { requests?: number; invalid?: boolean; jobId?: string; metadata?: Record<string, string> } = {},
): Promise<Batch> {
	const count = options.requests ?? 2;
	const lines = Array.from({ length: count }, (_, i) => chatLine(options.invalid ? 'same-id' : `row-${i + 1}`, `question ${i + 1}`));
	const file = await client.files.upload({ file: Buffer.from(lines.join('')), filename: 'input.jsonl' });
	return client.batches.create({
		input_file_id: file.id,
		endpoint: '/v1/chat/completions',
		job_id: options.jobId,
		metadata: options.metadata,
	});
}

/** Moves a batch to the end of the happy path: validating → in_progress → finalizing → completed. */
async function complete(id: string): Promise<Batch> {
	return emu.advance(id, 3);
}

const eventsOf = (items: INodeExecutionData[]) => items.map((item) => `${item.json.id as string}:${item.json.event_status as string}`);

describe('Impala Batch Trigger polls (real n8n-core poll context, emulator)', () => {
	it('emits every status event once and in order across polls, a failed poll and a restart', async () => {
		const parameters: INodeParameters = {}; // defaults: completed, failed, expired, cancelled; all batches
		const history = await createBatch();
		await complete(history.id);
		const runningBefore = await createBatch();

		let poller = new Poller({ parameters, credentials });
		const emitted: string[] = [];
		const pollAndRecord = async (p: Poller) => {
			const outcome = await p.poll();
			assert.equal(outcome.error, undefined, outcome.error?.message);
			for (const item of outcome.items) {
				assert.equal(item.json.event_status, item.json.status, 'an end status is the status the batch has');
				emitted.push(`${item.json.id as string}:${item.json.event_status as string}`);
			}
			return eventsOf(outcome.items);
		};

		// First activation: what exists is recorded, not emitted (no flood of history).
		assert.deepEqual(await pollAndRecord(poller), []);
		assert.ok(poller.savedStaticData()[STATIC_KEY], 'the first poll saves its state');

		const created = await createBatch();
		await emu.advance(runningBefore.id, 1); // in_progress: not a chosen status
		assert.deepEqual(await pollAndRecord(poller), []);

		await emu.advance(runningBefore.id, 2); // completed: a batch created before activation
		const rejected = await createBatch({ invalid: true });
		await emu.advance(rejected.id, 1); // failed at validation
		const third = await pollAndRecord(poller);
		assert.deepEqual([...third].sort(), [`${runningBefore.id}:completed`, `${rejected.id}:failed`].sort());

		assert.deepEqual(await pollAndRecord(poller), [], 'nothing fires twice');

		// A poll that fails (the server answers 500 to every try): no event lost, state left as it was.
		const liveBefore = poller.liveStaticData();
		const savedBefore = poller.savedStaticData();
		await complete(created.id);
		const toCancel = await createBatch();
		await client.batches.cancel(toCancel.id);
		await emu.advance(toCancel.id, 1);
		const fault = emu.faults.inject({ kind: 'serverError', method: 'GET', path: '/v1/batches*' });
		const failed = await poller.poll();
		fault.remove();
		assert.ok(failed.error, 'the poll fails');
		assert.match(failed.error.message, /500|server/i);
		assert.equal(failed.emitted, false);
		assert.deepEqual(poller.liveStaticData(), liveBefore, 'a failed poll changes no state');
		assert.deepEqual(poller.savedStaticData(), savedBefore);

		// A restart: a new context that only has the saved static data; it catches up on the missed events.
		poller = poller.restart();
		const caughtUp = await pollAndRecord(poller);
		assert.deepEqual([...caughtUp].sort(), [`${created.id}:completed`, `${toCancel.id}:cancelled`].sort());

		// Replays after another restart are deduplicated.
		poller = poller.restart();
		assert.deepEqual(await pollAndRecord(poller), []);

		const expiring = await createBatch({ requests: 3 });
		await emu.advance(expiring.id, 1);
		await emu.expire(expiring.id);
		assert.deepEqual(await pollAndRecord(poller), [`${expiring.id}:expired`]);

		assert.deepEqual(emitted, [
			...third,
			...caughtUp,
			`${expiring.id}:expired`,
		]);
		assert.equal(new Set(emitted).size, emitted.length, 'every event exactly once');
		assert.ok(!emitted.some((e) => e.startsWith(history.id)), 'history from before activation never fires');
		const times = await Promise.all(emitted.map(async (e) => eventTime(await client.batches.get(e.split(':')[0]))));
		assert.deepEqual([...times].sort((a, b) => a - b), times, 'events come in the order they happened');
	});

	it('fires non-terminal statuses once each when chosen, and only within the scope', async () => {
		const parameters: INodeParameters = {
			statuses: ['in_progress', 'completed'],
			scope: 'metadata',
			metadata: { pairs: [{ key: 'team', value: 'search' }] },
		};
		const poller = new Poller({ parameters, credentials });
		assert.deepEqual(eventsOf((await poller.poll()).items), []);

		const mine = await createBatch({ metadata: { team: 'search', other: 'x' } });
		const notMine = await createBatch({ metadata: { team: 'ads' } });
		const noMetadata = await createBatch();
		await emu.advance(mine.id, 1);
		await emu.advance(notMine.id, 1);
		await emu.advance(noMetadata.id, 1);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${mine.id}:in_progress`]);
		assert.deepEqual(eventsOf((await poller.poll()).items), []);
		await emu.advance(mine.id, 2);
		await complete(notMine.id);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${mine.id}:completed`]);
	});

	it('fires each chosen status a batch passed between two polls, in order, once', async () => {
		const jobId = 'job-passing';
		const poller = new Poller({ parameters: { scope: 'jobId', jobId, statuses: ['validating', 'in_progress', 'finalizing', 'completed'] }, credentials });
		await poller.poll();
		const quick = await createBatch({ jobId });
		await complete(quick.id); // created and finished between two polls
		const outcome = await poller.poll();
		assert.equal(outcome.error, undefined, outcome.error?.message);
		assert.deepEqual(eventsOf(outcome.items), ['validating', 'in_progress', 'finalizing', 'completed'].map((s) => `${quick.id}:${s}`));
		assert.ok(outcome.items.every((item) => item.json.status === 'completed'), 'each item is the batch as it is now');
		assert.deepEqual(eventsOf((await poller.poll()).items), [], 'nothing fires twice');

		// Seen in_progress, then finalizing and completed between polls: both fire, in_progress not again.
		const slow = await createBatch({ jobId });
		await emu.advance(slow.id, 1);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${slow.id}:validating`, `${slow.id}:in_progress`]);
		await emu.advance(slow.id, 2);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${slow.id}:finalizing`, `${slow.id}:completed`]);
	});

	it('watches only the listed batch IDs, fetching them directly', async () => {
		const watched = await createBatch();
		const other = await createBatch();
		const poller = new Poller({ parameters: { scope: 'batchIds', batchIds: `${watched.id},\n ${'  '}` }, credentials });
		assert.deepEqual(eventsOf((await poller.poll()).items), []);
		await complete(watched.id);
		await complete(other.id);
		const listsBefore = emu.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/batches?')).length;
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${watched.id}:completed`]);
		const listsAfter = emu.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/batches?')).length;
		assert.equal(listsAfter, listsBefore, 'no listing when the batch IDs are known');
		assert.deepEqual(eventsOf((await poller.poll()).items), []);
	});

	it('a batch ID that does not exist fails the poll with a message naming it', async () => {
		const poller = new Poller({ parameters: { scope: 'batchIds', batchIds: 'batch-does-not-exist' }, credentials });
		const outcome = await poller.poll();
		assert.match(outcome.error?.message ?? '', /batch-does-not-exist.*Batch IDs/);
	});

	it('a wrong API key fails the poll clearly, and the next good poll catches up', async () => {
		const poller = new Poller({ parameters: { scope: 'jobId', jobId: 'job-keys' }, credentials });
		await poller.poll();
		const batch = await createBatch({ jobId: 'job-keys' });
		await complete(batch.id);
		poller.setCredentials({ impalaApi: { baseUrl: emu.url, apiKey: 'sk-wrong' } });
		const failed = await poller.poll();
		assert.match(failed.error?.message ?? '', /401|key|auth/i);
		const description = (failed.error as { description?: string } | undefined)?.description ?? '';
		assert.ok(!`${failed.error?.message} ${description}`.includes('sk-wrong'), 'the key never shows in the error');
		poller.setCredentials(credentials);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${batch.id}:completed`]);
	});

	it('"Include Batches That Already Match" emits existing matches on the first poll only', async () => {
		const jobId = 'job-include';
		const done = await createBatch({ jobId });
		await complete(done.id);
		const running = await createBatch({ jobId });
		const poller = new Poller({ parameters: { scope: 'jobId', jobId, options: { includeExisting: true } }, credentials });
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${done.id}:completed`]);
		assert.deepEqual(eventsOf((await poller.poll()).items), []);
		await complete(running.id);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${running.id}:completed`]);
	});

	it('manual "Fetch Test Event" returns the newest matching batch and leaves the state untouched', async () => {
		const jobId = 'job-manual';
		const older = await createBatch({ jobId });
		await complete(older.id);
		const newer = await createBatch({ jobId });
		await complete(newer.id);
		await createBatch({ jobId }); // newest, but still validating

		const poller = new Poller({ parameters: { scope: 'jobId', jobId }, credentials });
		const beforeActivation = await poller.poll('manual');
		assert.deepEqual(eventsOf(beforeActivation.items), [`${newer.id}:completed`]);
		assert.deepEqual(poller.liveStaticData(), {}, 'no state before the first real poll');

		await poller.poll(); // activation
		const live = poller.liveStaticData();
		const saved = poller.savedStaticData();
		const finishing = await createBatch({ jobId });
		await complete(finishing.id);
		assert.deepEqual(eventsOf((await poller.poll('manual')).items), [`${finishing.id}:completed`]);
		assert.deepEqual(poller.liveStaticData(), live, 'manual mode never touches the state');
		assert.deepEqual(poller.savedStaticData(), saved);
		assert.deepEqual(eventsOf((await poller.poll()).items), [`${finishing.id}:completed`], 'the real poll still fires it');
	});

	it('manual mode with nothing matching explains what to do', async () => {
		const poller = new Poller({ parameters: { scope: 'jobId', jobId: 'job-nothing-here' }, credentials });
		const outcome = await poller.poll('manual');
		assert.match(outcome.error?.message ?? '', /No batch/);
	});

	it('Output "Results" gives one item per request; a failed batch gives one item saying why', async () => {
		const jobId = 'job-results';
		const poller = new Poller({ parameters: { scope: 'jobId', jobId, output: 'results' }, credentials });
		await poller.poll();
		const ok = await createBatch({ jobId, requests: 3 });
		await complete(ok.id);
		const outcome = await poller.poll();
		assert.equal(outcome.error, undefined, outcome.error?.message);
		assert.deepEqual(
			outcome.items.map((i) => [i.json.custom_id, i.json.status, i.json.answer, i.json.batch_id]),
			[1, 2, 3].map((n) => [`row-${n}`, 'succeeded', `Answer to: question ${n}`, ok.id]),
		);

		const bad = await createBatch({ jobId, invalid: true });
		await emu.advance(bad.id, 1);
		const failed = await poller.poll();
		assert.equal(failed.items.length, 1);
		assert.equal(failed.items[0].json.batch_id, bad.id);
		assert.equal(failed.items[0].json.batch_status, 'failed');
		assert.match(String(failed.items[0].json.results_unavailable), /failed/);
	});

	it('a poll that fails after finding events (results unreadable) keeps them for the next poll', async () => {
		const jobId = 'job-results-fault';
		const poller = new Poller({ parameters: { scope: 'jobId', jobId, output: 'results' }, credentials });
		await poller.poll();
		const batch = await createBatch({ jobId, requests: 2 });
		await complete(batch.id);
		const live = poller.liveStaticData();

		const fault = emu.faults.inject({ kind: 'serverError', method: 'GET', path: '/v1/files/*' });
		const failed = await poller.poll();
		fault.remove();
		assert.ok(failed.error, 'the poll fails while reading the results');
		assert.equal(failed.emitted, false);
		assert.deepEqual(poller.liveStaticData(), live, 'the batch is not marked as handled');

		const retried = await poller.poll();
		assert.deepEqual(
			retried.items.map((i) => [i.json.batch_id, i.json.custom_id]),
			[[batch.id, 'row-1'], [batch.id, 'row-2']],
		);
		assert.deepEqual((await poller.poll()).items, []);
	});
});

function eventTime(batch: Batch): number {
	const field = { completed: 'completed_at', failed: 'failed_at', cancelled: 'cancelled_at', expired: 'expired_at' }[
		batch.status
	] as keyof Batch;
	return batch[field] as number;
}
