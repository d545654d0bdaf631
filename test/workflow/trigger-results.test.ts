import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator } from '../../src/emulator';
import type { Batch } from '../../src/schemas';
import { completedBatch } from '../helpers/emulator';
import { Poller } from '../helpers/poll';

let emu: Emulator;
let client: ImpalaClient;

before(async () => {
	emu = await startEmulator({ pace: 'manual' });
	client = new ImpalaClient({ baseUrl: emu.url });
});
after(async () => {
	await emu.close();
});

function resultsPoller(jobId: string, baseUrl = emu.url): Poller {
	return new Poller({ parameters: { scope: 'jobId', jobId, output: 'results' }, credentials: { impalaApi: { baseUrl, apiKey: '' } } });
}

/** The items as [batch, row, status], sorted: batches finished in the same second come in either order. */
const rowsOf = (items: Array<{ json: Record<string, unknown> }>) =>
	items
		.map((i) => (i.json.results_unavailable ? [i.json.batch_id, 'unavailable'] : [i.json.batch_id, i.json.custom_id, i.json.status]))
		.sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
const sorted = (rows: unknown[][]) => [...rows].sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));

describe('Impala Batch Trigger, Output "Results": a batch whose results cannot be read', () => {
	it('an output or error file that is gone gives one item saying why, and never blocks the events after it', async () => {
		const jobId = 'job-gone';
		const poller = resultsPoller(jobId);
		await poller.poll();
		const noOutput = await completedBatch(emu, client, ['one', 'two'], { job_id: jobId });
		const noErrors = await completedBatch(emu, client, ['fine', 'broken [[fail]]'], { job_id: jobId });
		const fine = await completedBatch(emu, client, ['three'], { job_id: jobId });
		await client.files.delete(noOutput.output_file_id!); // DELETE /v1/files/{id}: as when it expires
		await client.files.delete(noErrors.error_file_id!);

		const outcome = await poller.poll();
		assert.equal(outcome.error, undefined, outcome.error?.message);
		assert.deepEqual(
			rowsOf(outcome.items),
			sorted([
				[noOutput.id, 'unavailable'],
				[noErrors.id, 'unavailable'],
				[fine.id, 'row-1', 'succeeded'],
			]),
		);
		const itemOf = (id: string) => outcome.items.find((i) => i.json.batch_id === id)!.json;
		const [gone, goneErrors] = [itemOf(noOutput.id), itemOf(noErrors.id)];
		assert.match(String(gone.results_unavailable), new RegExp(`output file ${noOutput.output_file_id} of batch ${noOutput.id} is no longer available`));
		assert.match(String(goneErrors.results_unavailable), new RegExp(`error file ${noErrors.error_file_id} of batch ${noErrors.id} is no longer available`));
		assert.match(String(gone.hint), /create a new batch/);
		assert.equal(gone.batch_status, 'completed');
		assert.equal((gone.batch as Batch).id, noOutput.id, 'the item carries the batch');

		assert.deepEqual((await poller.poll()).items, [], 'the state moved past them: the next poll is quiet');
		const later = await completedBatch(emu, client, ['four'], { job_id: jobId });
		assert.deepEqual(rowsOf((await poller.poll()).items), [[later.id, 'row-1', 'succeeded']]);
	});

	it('a malformed output file gives one item naming the line, and the poll goes on', async () => {
		const jobId = 'job-malformed';
		const poller = resultsPoller(jobId);
		await poller.poll();
		const broken = await completedBatch(emu, client, ['one'], { job_id: jobId });
		const stored = path.join(emu.dataDir, 'files', broken.output_file_id!);
		assert.match(await client.files.content(broken.output_file_id!).then((s) => s.toArray()).then(String), /row-1/);
		await writeFile(stored, 'this is not JSON\n'); // the emulator streams files from disk: corrupt it there
		const fine = await completedBatch(emu, client, ['two'], { job_id: jobId });

		const outcome = await poller.poll();
		assert.equal(outcome.error, undefined, outcome.error?.message);
		assert.deepEqual(rowsOf(outcome.items), sorted([[broken.id, 'unavailable'], [fine.id, 'row-1', 'succeeded']]));
		assert.match(
			String(outcome.items.find((i) => i.json.batch_id === broken.id)?.json.results_unavailable),
			new RegExp(`batch ${broken.id}.*Line 1 of the output file ${broken.output_file_id} is not valid JSON`),
		);
		assert.deepEqual((await poller.poll()).items, []);
	});

	it('a passing problem (429, 5xx) still fails the poll; the next poll emits everything, gone files included', async () => {
		const jobId = 'job-transient';
		const poller = resultsPoller(jobId);
		await poller.poll();
		const gone = await completedBatch(emu, client, ['one'], { job_id: jobId });
		await client.files.delete(gone.output_file_id!);
		const busy = await completedBatch(emu, client, ['two'], { job_id: jobId });
		const live = poller.liveStaticData();

		for (const fault of [
			{ kind: 'rateLimit', retryAfterSeconds: null },
			{ kind: 'serverError', status: 503 },
		] as const) {
			const injected = emu.faults.inject({ ...fault, method: 'GET', path: `/v1/files/${busy.output_file_id}/content` });
			const failed = await poller.poll();
			injected.remove();
			assert.ok(failed.error, `${fault.kind}: the poll fails`);
			assert.match(failed.error.message, /429|503|busy|rate|server/i);
			assert.equal(failed.emitted, false);
			assert.deepEqual(poller.liveStaticData(), live, `${fault.kind}: no state change, so no event is lost`);
		}

		const caughtUp = await poller.poll();
		assert.equal(caughtUp.error, undefined, caughtUp.error?.message);
		assert.deepEqual(rowsOf(caughtUp.items), sorted([[gone.id, 'unavailable'], [busy.id, 'row-1', 'succeeded']]));
	});

	it('error_file_id "" (some deployments) counts as no error file: no request for it, every row right', async () => {
		const proxy = await startEmptyErrorFileProxy(emu.url);
		try {
			const jobId = 'job-empty-error-file';
			const poller = resultsPoller(jobId, proxy.url);
			await poller.poll();
			const batch = await completedBatch(emu, client, ['one', 'two', 'three'], { job_id: jobId });
			assert.equal((await new ImpalaClient({ baseUrl: proxy.url }).batches.get(batch.id)).error_file_id, '', 'the proxy sends ""');
			const before = emu.requests.length;

			const outcome = await poller.poll();
			assert.equal(outcome.error, undefined, outcome.error?.message);
			assert.deepEqual(
				outcome.items.map((i) => [i.json.batch_id, i.json.custom_id, i.json.status, i.json.answer]),
				[1, 2, 3].map((n) => [batch.id, `row-${n}`, 'succeeded', `Answer to: ${['one', 'two', 'three'][n - 1]}`]),
			);
			const reads = emu.requests.slice(before).filter((r) => r.path.endsWith('/content')).map((r) => r.path);
			// The input file twice: its first line for the schema the requests asked for, then all of it for the order.
			const input = `/v1/files/${batch.input_file_id}/content`;
			assert.deepEqual(reads.sort(), [`/v1/files/${batch.output_file_id}/content`, input, input].sort());
			assert.ok(!emu.requests.some((r) => r.path.startsWith('/v1/files//')), 'no request for an empty file ID');
		} finally {
			await proxy.close();
		}
	});
});

/**
 * A loopback proxy in front of the emulator that answers batches with `error_file_id: ""` where the
 * emulator has null, as some Impala deployments do.
 */
async function startEmptyErrorFileProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
	const server: Server = createServer((req, res) => {
		void (async () => {
			const upstream = await fetch(`${target}${req.url ?? '/'}`, {
				method: req.method,
				headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
			});
			const body = Buffer.from(await upstream.arrayBuffer());
			const type = upstream.headers.get('content-type') ?? '';
			let out: Buffer = body;
			if (req.url?.startsWith('/v1/batches') && type.includes('application/json')) {
				const json = JSON.parse(body.toString()) as { data?: Array<Record<string, unknown>> } & Record<string, unknown>;
				for (const batch of json.data ?? [json]) if (batch.error_file_id === null) batch.error_file_id = '';
				out = Buffer.from(JSON.stringify(json));
			}
			res.writeHead(upstream.status, { 'content-type': type });
			res.end(out);
		})().catch((error: unknown) => res.destroy(error as Error));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
