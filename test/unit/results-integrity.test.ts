import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it, test } from 'node:test';
import { ImpalaApiError, ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator } from '../../src/emulator';
import { fetchBatchResults, joinResults, ResultCountMismatchError, ResultFileError, ResultFileGoneError, type JoinParams, type ResultRow } from '../../src/results';
import { presentFileId, type Batch } from '../../src/schemas';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';
import { chatLine, createBatchFrom, waitForTerminal } from '../helpers/emulator';
import { waitFor } from '../helpers/waitFor';

async function collect(rows: AsyncIterable<ResultRow>): Promise<ResultRow[]> {
	const out: ResultRow[] = [];
	for await (const row of rows) out.push(row);
	return out;
}

const answer = (id: string) => JSON.stringify({ custom_id: id, response: { status_code: 200, body: { choices: [{ text: `A ${id}` }] } }, error: null });
const request = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/completions', body: { model: 'm', prompt: id } });
const IDS = Array.from({ length: 30 }, (_, i) => `row-${i}`);

/** A file read through `read` (as fetchBatchResults does), giving each read the next text of `texts` (the last one again after). */
function source(role: string, texts: string[]) {
	let reads = 0;
	return {
		get reads() {
			return reads;
		},
		file: { role, fileId: `file-${role.split(' ')[0]}` },
		read: async <T>(consume: (lines: Readable) => Promise<T>): Promise<T> => consume(Readable.from([Buffer.from(texts[Math.min(reads++, texts.length - 1)])])),
	};
}

const whole = IDS.map(answer).join('\n');
const half = IDS.slice(0, 15).map(answer).join('\n');
const counts = { total: 30, completed: 30, failed: 0 };

test('fewer answers than request_counts: read once more; the second read is used when it adds up', async () => {
	const output = source('output file', [half, whole]);
	const input = source('input file', [IDS.map(request).join('\n')]);
	const rows = await collect(joinResults({ endpoint: '/v1/completions', batchStatus: 'completed', results: [output], input, expected: { batchId: 'batch_1', requestCounts: counts } }));
	assert.deepEqual(rows.map((r) => r.status), IDS.map(() => 'succeeded'));
	assert.equal(output.reads, 2);
	assert.equal(input.reads, 2);
});

test('fewer answers than request_counts twice: an error naming the batch and the counts, never rows called missing', async () => {
	const params = (texts: string[], inputTexts = [IDS.map(request).join('\n')]): JoinParams => ({
		endpoint: '/v1/completions',
		batchStatus: 'completed',
		results: [source('output file', texts)],
		input: source('input file', inputTexts),
		expected: { batchId: 'batch_1', requestCounts: counts },
	});
	const output = params([half]);
	const error = await collect(joinResults(output)).then(() => assert.fail('rows missing must not be a success'), (e: unknown) => e);
	assert.ok(error instanceof ResultCountMismatchError);
	assert.equal((output.results[0] as ReturnType<typeof source>).reads, 2, 'read twice');
	assert.equal(
		error.message,
		'The results of batch batch_1 are incomplete: the batch says 30 requests were answered (30 completed, 0 failed), ' +
			'but its output and error files hold answers for only 15, also after reading the files a second time',
	);
	assert.match(error.description, /No results were returned/);

	// An input file cut at a line end: its requests are fewer than the batch's total.
	await assert.rejects(collect(joinResults(params([whole], [IDS.slice(0, 20).map(request).join('\n')]))), /the batch says it has 30 requests, but its input file holds 20/);
	// The counts add up: no check fails, and without counts there is nothing to check.
	assert.equal((await collect(joinResults(params([whole])))).length, 30);
	assert.equal((await collect(joinResults({ ...params([half]), expected: { batchId: 'b', requestCounts: null } }))).filter((r) => r.status === 'missing').length, 15);
	// A cancelled batch: rows the batch never answered are missing, as its counts say.
	const cancelled = await collect(joinResults({ ...params([half]), batchStatus: 'cancelled', expected: { batchId: 'b', requestCounts: { total: 30, completed: 15, failed: 0 } } }));
	assert.equal(cancelled.filter((r) => r.status === 'missing').length, 15);
});

describe('Get Results over a network that cuts files short', () => {
	let emu: Emulator;
	let proxy: ChaosProxy;
	let batch: Batch;
	const client = (maxRetries = 1) => new ImpalaClient({ baseUrl: proxy.url, retryBaseDelayMs: 1, maxRetryDelayMs: 10, timeoutMs: 5_000, maxRetries });
	const content = (fileId: string) => new RegExp(`/v1/files/${fileId}/content$`);

	before(async () => {
		emu = await startEmulator({ port: 0, pace: { stepMs: 5 } });
		proxy = await startChaosProxy({ target: emu.url });
		const lines = IDS.map((id, i) => chatLine(id, `question ${i}${i % 10 === 0 ? ' [[fail]]' : ''}`));
		const created = await createBatchFrom(emu, lines);
		batch = await waitForTerminal(new ImpalaClient({ baseUrl: emu.url }), created.body.id);
		assert.equal(batch.status, 'completed');
		assert.ok(presentFileId(batch.error_file_id), 'some requests failed');
	});
	after(async () => {
		await proxy.close();
		await emu.close();
	});

	for (const role of ['output', 'error', 'input'] as const) {
		it(`the ${role} file cut at a line end once is read again: every row, none missing`, async () => {
			const fileId = role === 'input' ? batch.input_file_id : presentFileId(batch[`${role}_file_id`])!;
			const before = proxy.count('GET', content(fileId));
			const rule = proxy.add({ method: 'GET', path: content(fileId), times: 1, fault: { kind: 'cut200', at: 'lineEnd' } });
			try {
				const rows = await collect(fetchBatchResults(client(), batch));
				assert.deepEqual(rows.map((r) => r.custom_id), IDS);
				assert.deepEqual(rows.filter((r) => r.status === 'missing'), []);
				assert.equal(rows.filter((r) => r.status === 'failed').length, 3);
				assert.equal(rule.hits, 1);
				assert.equal(proxy.count('GET', content(fileId)) - before, 2, 'read twice');
			} finally {
				rule.remove();
			}
		});
	}

	it('the input file downloads alongside the output; a gone output file stops that download at once', async () => {
		const outputId = presentFileId(batch.output_file_id)!;
		const inputContent = content(batch.input_file_id);
		const hang = proxy.add({ method: 'GET', path: inputContent, times: 1, fault: { kind: 'hang' } });
		// The output's 404 comes only once the input download has reached the proxy: both were under way.
		const inputStarted = () => waitFor('the input download to reach the proxy', () => hang.hits || undefined, { timeoutMs: 5_000, intervalMs: 5 });
		const gone = proxy.add({ method: 'GET', path: content(outputId), times: 1, waitFor: inputStarted, fault: { kind: 'status', status: 404, body: 'json' } });
		try {
			const started = Date.now();
			const error = await collect(fetchBatchResults(client(), batch)).then(() => assert.fail('a gone output file must fail'), (e: unknown) => e);
			const seconds = (Date.now() - started) / 1000;
			assert.ok(error instanceof ResultFileGoneError, String(error));
			assert.match(error.message, new RegExp(outputId));
			assert.equal(gone.hits, 1);
			const hung = proxy.requests.filter((r) => r.fault === 'hang' && inputContent.test(r.path));
			assert.equal(hung.length, 1);
			await new Promise((resolve) => setTimeout(resolve, 50));
			assert.equal(hung[0].closedUnanswered, true, 'the client dropped the input download');
			assert.ok(seconds < 4, `${seconds} s: the join waited for the input download's 5 s timeout`);
		} finally {
			hang.remove();
			gone.remove();
		}
	});

	for (const at of ['lineEnd', 'midJson'] as const) {
		it(`an output file cut ${at === 'lineEnd' ? 'at a line end' : 'mid-line'} every time: "the transfer was cut", not a malformed line`, async () => {
			const fileId = presentFileId(batch.output_file_id)!;
			const rule = proxy.add({ method: 'GET', path: content(fileId), fault: { kind: 'cut200', at } });
			try {
				const error = await collect(fetchBatchResults(client(), batch)).then(() => assert.fail('a cut file must not be a success'), (e: unknown) => e);
				assert.ok(error instanceof ImpalaApiError, String(error));
				assert.ok(!(error instanceof ResultFileError));
				assert.match(error.message, new RegExp(`The transfer of file ${fileId} was cut`));
				assert.doesNotMatch(error.message, /[Ll]ine \d+/);
				assert.equal(rule.hits, 2, 'read twice (one retry allowed)');
			} finally {
				rule.remove();
			}
		});
	}
});
