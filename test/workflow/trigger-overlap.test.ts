import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { INodeExecutionData } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator, type FaultInput } from '../../src/emulator';
import { completedBatch } from '../helpers/emulator';
import { Poller, TRIGGER_NODE_NAME } from '../helpers/poll';

const STATIC_KEY = `node:${TRIGGER_NODE_NAME}`;

let emu: Emulator;
let client: ImpalaClient;
let credentials: { impalaApi: { baseUrl: string; apiKey: string } };

before(async () => {
	emu = await startEmulator({ pace: 'manual' });
	client = new ImpalaClient({ baseUrl: emu.url });
	credentials = { impalaApi: { baseUrl: emu.url, apiKey: '' } };
});
after(async () => {
	await emu.close();
});

const eventsOf = (items: INodeExecutionData[]) => items.map((item) => `${item.json.id as string}:${item.json.event_status as string}`);

/** Resolves once `fault` has hit a request (the slow poll is under way). */
async function hit(fault: { hits: number }): Promise<void> {
	for (let i = 0; i < 500 && fault.hits === 0; i++) await sleep(5);
	assert.ok(fault.hits > 0, 'the slow poll reached the server');
}

describe('Impala Batch Trigger: overlapping polls (real n8n-core poll context, emulator)', () => {
	const slowdowns: Array<[string, FaultInput]> = [
		['a 429 with Retry-After: 0.5', { kind: 'rateLimit', retryAfterSeconds: 0.5, method: 'GET', path: '/v1/batches', times: 1 }],
		['a slow server (400 ms)', { kind: 'delay', ms: 400, method: 'GET', path: '/v1/batches', times: 1 }],
	];
	for (const [name, slowdown] of slowdowns) {
		it(`a poll that starts while another runs (slowed by ${name}) returns nothing and touches no state; each event fires once`, async () => {
			const jobId = `job-overlap-${slowdown.kind}`;
			const poller = new Poller({ parameters: { scope: 'jobId', jobId }, credentials });
			await poller.poll();
			const batches = await Promise.all([1, 2, 3].map(() => completedBatch(emu, client, ['hello'], { job_id: jobId })));

			const fault = emu.faults.inject(slowdown);
			const slow = poller.poll();
			await hit(fault);
			const during = poller.liveStaticData();
			const overlapping = await Promise.all([poller.poll(), poller.poll()]);
			for (const outcome of overlapping) {
				assert.equal(outcome.error, undefined, outcome.error?.message);
				assert.equal(outcome.emitted, false, 'the overlapping poll emits nothing');
			}
			assert.deepEqual(poller.liveStaticData(), during, 'and changes no state');

			const first = await slow;
			assert.equal(first.error, undefined, first.error?.message);
			assert.deepEqual(eventsOf(first.items).sort(), batches.map((b) => `${b.id}:completed`).sort());
			assert.equal((poller.savedStaticData()[STATIC_KEY] as Record<string, unknown>).lease, undefined, 'the lease is released');
			assert.deepEqual((await poller.poll()).items, [], 'nothing fires twice');
		});
	}

	it('a second process that sees the lease in the static data waits; a stale lease expires and it takes over', async () => {
		const jobId = 'job-overlap-process';
		const parameters = { scope: 'jobId', jobId };
		const first = new Poller({ parameters, credentials, pollBudgetMs: 300 });
		await first.poll();
		const batch = await completedBatch(emu, client, ['hello'], { job_id: jobId });

		const fault = emu.faults.inject({ kind: 'delay', ms: 1000, method: 'GET', path: '/v1/batches', times: 1 });
		const stuck = first.poll();
		await hit(fault);
		// The other process: its own memory (another guard), the static data as saved while the first poll ran.
		const midPoll = first.liveStaticData();
		assert.ok((midPoll[STATIC_KEY] as Record<string, unknown>).lease, 'the running poll holds a lease');
		const second = new Poller({ parameters, credentials, staticData: midPoll, workflowId: 'same-workflow-other-process', pollBudgetMs: 300 });
		const waiting = await second.poll();
		assert.equal(waiting.emitted, false);
		assert.equal(waiting.error, undefined);
		assert.deepEqual(second.liveStaticData(), midPoll, 'the refused poll changes nothing');

		await sleep(350); // the first poll's lease is now stale
		const takeover = await second.poll();
		assert.equal(takeover.error, undefined, takeover.error?.message);
		assert.deepEqual(eventsOf(takeover.items), [`${batch.id}:completed`]);

		// The stuck poll ends after its time; it was taken over (in-process too), so it emits nothing.
		const late = await stuck;
		assert.equal(late.error, undefined, late.error?.message);
		assert.equal(late.emitted, false, 'a poll taken over does not commit or emit');
		fault.remove();
	});
});
