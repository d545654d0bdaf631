import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileLines, requestLine, useEmulator, waitForTerminal } from '../helpers/emulator';
import { nodeError, nodeOutput } from '../helpers/workflow';
import { allBatches, inputFiles, chatLines, directClient, fileText, onlyItem, runGetResults, runRetry, startBatch } from './retry-helpers';

const IDS = ['a', 'b', 'c', 'd', 'e', 'f'];
/** b and f use the failing model (they succeed once another model is sent); d asks to fail whatever the model. */
function originalLines(): string[] {
	const lines = chatLines(IDS, ['b', 'f']);
	lines[3] = requestLine('d', 'this one [[fail]]');
	return lines;
}

test('a completed batch with failures: the retry holds exactly the failed lines with the new model, linked by metadata, made once', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const original = await startBatch(emu, originalLines(), { body: { metadata: { sheet: 'reviews' } } });
	assert.equal(original.status, 'completed');
	assert.equal(original.request_counts?.failed, 3);

	const first = onlyItem(await runRetry(emu.url, original.id, { model: 'm2' }));
	const retry = first.json;
	assert.deepEqual(first.pairedItem, { item: 0 });
	assert.equal(retry.retried, 3);
	assert.equal(retry.retried_failed, 3);
	assert.equal(retry.retried_missing, 0);
	assert.equal(retry.retry_of, original.id);
	assert.equal(retry.round, 1);
	assert.equal(retry.existing, false);
	assert.equal(retry.recovered, false);
	assert.deepEqual(retry.metadata, { sheet: 'reviews', retry_of: original.id, retry_root: original.id, retry_round: '1' });
	assert.equal(retry.endpoint, original.endpoint);
	assert.equal(retry.completion_window, original.completion_window);

	// Line by line against the original input file: the failed lines, in order, only the model changed.
	const originalText = await fileText(emu, original.input_file_id);
	const retryText = await fileText(emu, String(retry.input_file_id));
	const expected = originalText
		.split('\n')
		.filter((line) => ['b', 'd', 'f'].includes(JSON.parse(line || '{}').custom_id))
		.map((line) => {
			const parsed = JSON.parse(line);
			parsed.body.model = 'm2';
			return parsed;
		});
	const sent = retryText.trimEnd().split('\n').map((line) => JSON.parse(line));
	assert.deepEqual(sent, expected);

	// Run again: the same retry comes back, nothing new on Impala.
	const again = onlyItem(await runRetry(emu.url, original.id, { model: 'm2' })).json;
	assert.equal(again.id, retry.id);
	assert.equal(again.existing, true);
	assert.equal(again.retried, 3);
	assert.match(String(again.note), /had already been retried/);
	assert.equal((await allBatches(emu)).length, 2);
	assert.equal((await inputFiles(emu)).filter((file) => file.filename.startsWith('retry-')).length, 1);

	// One table: every row once, in the original order, the latest answer and its round.
	const finished = await waitForTerminal(directClient(emu), String(retry.id));
	assert.equal(finished.request_counts?.failed, 1, 'd fails again');
	const merged = nodeOutput(await runGetResults(emu.url, original.id, { includeRetries: true }), 'Impala').map((item) => item.json);
	assert.deepEqual(
		merged.map((row) => [row.custom_id, row.status, row.round, row.batch_id]),
		[
			['a', 'succeeded', 0, original.id],
			['b', 'succeeded', 1, retry.id],
			['c', 'succeeded', 0, original.id],
			['d', 'failed', 1, retry.id],
			['e', 'succeeded', 0, original.id],
			['f', 'succeeded', 1, retry.id],
		],
	);
	assert.equal(merged[1].answer, 'Answer to: question b ½ "quoted"');

	// Round 2 retries what round 1 left failed, and links to the same root.
	const second = onlyItem(await runRetry(emu.url, String(retry.id))).json;
	assert.equal(second.retried, 1);
	assert.equal(second.round, 2);
	assert.deepEqual(second.metadata, { sheet: 'reviews', retry_of: retry.id, retry_root: original.id, retry_round: '2' });
	await waitForTerminal(directClient(emu), String(second.id));
	const fromRetry = nodeOutput(await runGetResults(emu.url, String(second.id), { includeRetries: true, onlyFailures: true }), 'Impala').map((item) => item.json);
	assert.deepEqual(fromRetry.map((row) => [row.custom_id, row.status, row.round, row.batch_id]), [['d', 'failed', 2, second.id]]);
});

for (const ending of ['expire', 'cancel'] as const) {
	test(`${ending === 'expire' ? 'an expired' : 'a cancelled'} batch: its unanswered lines are sent again byte for byte; the table waits for the round`, async (t) => {
		const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 2 } });
		const client = directClient(emu);
		// Written by hand, not as JSON.stringify would: spaces and an escaped character must survive as they are.
		const lines = chatLines(['r1', 'r2', 'r3', 'r4', 'r5']).map((line) => line.replace('"method":', ' "method" :  ').replace('½', '\\u00bd'));
		const started = await startBatch(emu, lines, { wait: false });
		await emu.advance(started.id, 2); // in progress, two requests answered
		if (ending === 'expire') await emu.expire(started.id);
		else {
			await client.batches.cancel(started.id);
			await emu.advance(started.id);
		}
		const original = await client.batches.get(started.id);
		assert.equal(original.status, ending === 'expire' ? 'expired' : 'cancelled');

		const retry = onlyItem(await runRetry(emu.url, original.id)).json;
		assert.equal(retry.retried, 3);
		assert.equal(retry.retried_missing, 3);
		const originalText = await fileText(emu, original.input_file_id);
		// The requests answered before the end are those in the original's output file.
		const answered = new Set((await fileLines(emu, original.output_file_id)).map((line: { custom_id: string }) => line.custom_id));
		assert.equal(answered.size, 2);
		const expected = originalText.split('\n').filter((line) => line !== '' && !answered.has(JSON.parse(line).custom_id));
		assert.equal(await fileText(emu, String(retry.input_file_id)), expected.map((line) => `${line}\n`).join(''), 'byte for byte');

		// The retry still waits: the table shows the original round and says why.
		const waiting = await runGetResults(emu.url, original.id, { includeRetries: true });
		const rows = nodeOutput(waiting, 'Impala').map((item) => item.json);
		assert.deepEqual(rows.map((row) => row.round), [0, 0, 0, 0, 0]);
		assert.equal(rows.filter((row) => row.status === 'missing').length, 3);
		const hints = waiting.data.resultData.runData.Impala[0].hints ?? [];
		assert.match(hints[0]?.message ?? '', new RegExp(`Round 1 \\(batch ${retry.id}\\) is left out: batch ${retry.id} is still "validating"`, 'i'));

		await emu.advance(String(retry.id), 5);
		const done = nodeOutput(await runGetResults(emu.url, original.id, { includeRetries: true }), 'Impala').map((item) => item.json);
		assert.deepEqual(done.map((row) => row.custom_id), ['r1', 'r2', 'r3', 'r4', 'r5']);
		assert.ok(done.every((row) => row.status === 'succeeded'));
		assert.deepEqual(done.map((row) => row.round).sort(), [0, 0, 1, 1, 1]);
	});
}

test('nothing failed: an item says so, and nothing is uploaded or created', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const original = await startBatch(emu, chatLines(['a', 'b']));
	const item = onlyItem(await runRetry(emu.url, original.id)).json;
	assert.equal(item.retried, 0);
	assert.equal(item.batch_id, original.id);
	assert.match(String(item.message), /^Nothing needed a retry/);
	assert.equal((await inputFiles(emu)).length, 1);
	assert.equal((await allBatches(emu)).length, 1);
});

test('a batch still running, a batch whose input was rejected, and metadata with no room for the links are refused before anything is uploaded', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const running = await startBatch(emu, chatLines(['a']), { wait: false });
	const refusedRunning = nodeError(await runRetry(emu.url, running.id), 'Impala');
	assert.match(refusedRunning?.message ?? '', new RegExp(`Batch ${running.id} is still "validating": only a finished batch`));
	assert.match(String(refusedRunning?.description), /Wait for Completion/);

	const rejected = await startBatch(emu, [requestLine('same', 'x'), requestLine('same', 'y')], { wait: false });
	await emu.advance(rejected.id);
	const refusedRejected = nodeError(await runRetry(emu.url, rejected.id), 'Impala');
	assert.match(refusedRejected?.message ?? '', /Impala rejected its input file, so none of its requests ran/);

	const metadata = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`key${i}`, 'v']));
	const crowded = await startBatch(emu, chatLines(['a'], ['a']), { wait: false, body: { metadata } });
	await emu.advance(crowded.id, 3);
	const run = await runRetry(emu.url, crowded.id, {}, true);
	const [item] = nodeOutput(run, 'Impala');
	assert.match(String(item.json.error), /already has 14 metadata pairs.*at most 16/);
	assert.deepEqual(item.pairedItem, { item: 0 });
	assert.equal((await inputFiles(emu)).length, 3, 'no retry file uploaded');
	assert.equal((await allBatches(emu)).length, 3);
});

test('the original input file is gone: the retry is refused, saying why, and nothing is made', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const original = await startBatch(emu, chatLines(['a', 'b'], ['b']));
	await directClient(emu).files.delete(original.input_file_id);
	const error = nodeError(await runRetry(emu.url, original.id), 'Impala');
	assert.match(error?.message ?? '', new RegExp(`The input file ${original.input_file_id} of batch ${original.id} is gone`));
	assert.match(String(error?.description), /No file was uploaded and no batch was created/);
	assert.equal((await inputFiles(emu)).length, 0);
	assert.equal((await allBatches(emu)).length, 1);
});
