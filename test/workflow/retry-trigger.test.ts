import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Batch } from '../../src/schemas';
import { completedBatch, useEmulator } from '../helpers/emulator';
import { Poller } from '../helpers/poll';
import { allBatches, directClient, fileText } from './retry-helpers';

test('Impala Batch Trigger, Results with Retry Failed Requests: the retry is made once, its ID is on the items, and rounds stop at the maximum', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = directClient(emu);
	const jobId = 'job-retry';
	const parameters = { scope: 'jobId', jobId, output: 'results', resultOptions: { retryFailed: true, maxRetryRounds: 1 } };
	const credentials = { impalaApi: { baseUrl: emu.url, apiKey: '' } };
	const poller = new Poller({ parameters, credentials });
	await poller.poll();
	const original = await completedBatch(emu, client, ['fine', 'broken [[fail]]', 'fine too'], { job_id: jobId });
	const clean = await completedBatch(emu, client, ['all good'], { job_id: jobId });

	const outcome = await poller.poll();
	assert.equal(outcome.error, undefined, outcome.error?.message);
	const retries = (await allBatches(emu)).filter((batch) => batch.metadata?.retry_of === original.id);
	assert.equal(retries.length, 1);
	const [retry] = retries;
	const ofOriginal = outcome.items.filter((item) => item.json.batch_id === original.id);
	assert.equal(ofOriginal.length, 3);
	assert.ok(ofOriginal.every((item) => item.json.retry_batch_id === retry.id && item.json.retry_round === 1 && item.json.retried === 1));
	const ofClean = outcome.items.filter((item) => item.json.batch_id === clean.id);
	assert.equal(ofClean[0].json.retry_batch_id, undefined, 'a batch without failures is not retried');
	assert.deepEqual(
		(await fileText(emu, retry.input_file_id)).trimEnd().split('\n').map((line) => JSON.parse(line).custom_id),
		['row-2'],
	);

	// The same event again (another trigger that includes batches already ended): the same retry, nothing new.
	const again = new Poller({ parameters: { ...parameters, options: { includeExisting: true } }, credentials, workflowId: 'other' });
	const repeated = await again.poll();
	assert.equal(repeated.error, undefined, repeated.error?.message);
	const repeatedItem = repeated.items.find((item) => item.json.batch_id === original.id);
	assert.equal(repeatedItem?.json.retry_batch_id, retry.id);
	assert.equal((await allBatches(emu)).filter((batch) => batch.metadata?.retry_of === original.id).length, 1);

	// The retry fails again ([[fail]] whatever the model): round 1 is the last, so no round 2.
	await emu.advance(retry.id, 3);
	const last = await poller.poll();
	const ofRetry = last.items.filter((item) => item.json.batch_id === retry.id);
	assert.equal(ofRetry.length, 1);
	assert.equal(ofRetry[0].json.status, 'failed');
	assert.match(String(ofRetry[0].json.retry_skipped), /is retry round 1, the last of "Max Retry Rounds" \(1\)/);
	assert.equal((await allBatches(emu)).filter((batch: Batch) => batch.metadata?.retry_of === retry.id).length, 0);

	// A test event shows the results and says it makes no retry.
	const sample = await new Poller({ parameters, credentials, workflowId: 'sample' }).poll('manual');
	assert.ok(sample.items.length > 0);
	assert.ok(sample.items.every((item) => item.json.retry_batch_id === undefined));
});
