import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { joinResults, ResultFileError, type JoinParams, type ResultRow } from '../../src/results';
import { waitFor } from '../helpers/waitFor';

/**
 * The input file is read at the same time as the output and error files (unless request bodies are asked
 * for); when one read fails, the other is stopped, and the first failure is the one reported.
 */

const request = (id: string) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/completions', body: { model: 'm', prompt: `p ${id}` } });
const answer = (id: string) => JSON.stringify({ custom_id: id, response: { status_code: 200, body: { choices: [{ text: `A ${id}` }] } }, error: null });
const IDS = Array.from({ length: 20 }, (_, i) => `row-${i}`);

async function collect(params: JoinParams): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	for await (const row of joinResults(params)) rows.push(row);
	return rows;
}

/**
 * A file read as `fetchBatchResults` reads one: through `read`, with the join's signal, which destroys the
 * stream as an aborted download does. Records the signal and whether the stream was destroyed.
 */
function fileRead(role: string, lines: (signal: AbortSignal) => AsyncIterable<string>) {
	const seen = { reads: 0, signal: undefined as AbortSignal | undefined, destroyed: false };
	return {
		seen,
		source: {
			file: { role, fileId: `file-${role.split(' ')[0]}` },
			read: async <T>(consume: (stream: Readable) => Promise<T>, signal?: AbortSignal): Promise<T> => {
				seen.reads++;
				seen.signal = signal;
				const stream = Readable.from(
					(async function* () {
						for await (const line of lines(signal!)) yield Buffer.from(line.endsWith('\n') ? line : `${line}\n`);
					})(),
				);
				stream.on('close', () => (seen.destroyed = !stream.readableEnded));
				signal?.addEventListener('abort', () => stream.destroy(signal.reason as Error), { once: true });
				return consume(stream);
			},
		},
	};
}

/** Ends once the test is over, so that a join that does not stop it fails the test instead of running on. */
const testOver = new AbortController();
after(() => testOver.abort());

/** Never ends on its own: the lines of a download that is still coming. */
async function* endless(prefix: string, signal: AbortSignal) {
	for (let i = 0; !signal.aborted && !testOver.signal.aborted; i++) {
		yield `${request(`${prefix}-${i}`)}\n`;
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
}

test('the input file is read while the output file is still coming', async () => {
	let inputLinesRead = 0;
	const input = fileRead('input file', async function* () {
		for (const id of IDS) {
			inputLinesRead++;
			yield request(id);
		}
	});
	const output = fileRead('output file', async function* () {
		yield answer(IDS[0]);
		// The rest of the output comes only once the input file has been read: read one after the other, it never would.
		await waitFor('the input file to be read', () => inputLinesRead === IDS.length || undefined, { timeoutMs: 2_000, intervalMs: 5 });
		for (const id of IDS.slice(1)) yield answer(id);
	});
	const rows = await collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [output.source], input: input.source });
	assert.deepEqual(rows.map((r) => r.custom_id), IDS);
	assert.deepEqual(rows.map((r) => r.answer), IDS.map((id) => `A ${id}`));
});

test('with request bodies asked for, the input file is read after the answers (bodies only of the rows emitted)', async () => {
	let outputDone = false;
	const output = fileRead('output file', async function* () {
		for (const id of IDS.slice(0, 10)) yield answer(id);
		outputDone = true;
	});
	let inputStartedEarly = false;
	const input = fileRead('input file', async function* () {
		inputStartedEarly = !outputDone;
		for (const id of IDS) yield request(id);
	});
	const rows = await collect({
		endpoint: '/v1/completions',
		batchStatus: 'cancelled',
		results: [output.source],
		input: input.source,
		options: { includeRequestBody: true, onlyFailures: true },
	});
	assert.equal(inputStartedEarly, false);
	assert.deepEqual(rows.map((r) => [r.custom_id, r.status, r.request]), IDS.slice(10).map((id) => [id, 'missing', { model: 'm', prompt: `p ${id}` }]));
});

test('a bad output line stops the input download: its error is the one reported', { timeout: 5_000 }, async () => {
	const input = fileRead('input file', (signal) => endless('in', signal));
	const output = fileRead('output file', async function* () {
		yield answer('a');
		await new Promise((resolve) => setTimeout(resolve, 20));
		yield '{"custom_id": "b", "response": ';
	});
	const error = await collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [output.source], input: input.source }).then(
		() => assert.fail('a bad line must fail'),
		(e: unknown) => e,
	);
	assert.ok(error instanceof ResultFileError, String(error));
	assert.match(error.message, /^Line 2 of the output file file-output is not valid JSON/);
	assert.equal(input.seen.signal?.aborted, true, 'the input read was told to stop');
	assert.equal(input.seen.destroyed, true, 'the input download was stopped, not read to its end');
});

test('a custom_id twice in the input stops the output download: its error is the one reported', { timeout: 5_000 }, async () => {
	const input = fileRead('input file', async function* () {
		yield request('a');
		yield request('b');
		yield request('a');
	});
	const output = fileRead('output file', async function* (signal) {
		for (let i = 0; !signal.aborted && !testOver.signal.aborted; i++) {
			yield answer(`out-${i}`);
			await new Promise((resolve) => setTimeout(resolve, 2));
		}
	});
	const error = await collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [output.source], input: input.source }).then(
		() => assert.fail('a duplicate custom_id must fail'),
		(e: unknown) => e,
	);
	assert.ok(error instanceof ResultFileError, String(error));
	assert.match(error.message, /^custom_id "a" appears more than once in the input file file-input \(line 3\)/);
	assert.equal(output.seen.signal?.aborted, true);
	assert.equal(output.seen.destroyed, true);
});

test('without a read that takes a signal (an opened stream), a failure still stops the other file at its next chunk', { timeout: 5_000 }, async () => {
	let inputStream: Readable | undefined;
	const error = await collect({
		endpoint: '/v1/completions',
		batchStatus: 'completed',
		results: [{ file: { role: 'output file', fileId: 'o' }, open: async () => Readable.from(['not json\n']) }],
		input: {
			file: { role: 'input file', fileId: 'i' },
			open: async () => {
				inputStream = Readable.from(endless('in', new AbortController().signal));
				return inputStream;
			},
		},
	}).then(
		() => assert.fail('a bad line must fail'),
		(e: unknown) => e,
	);
	assert.match(String(error), /Line 1 of the output file o is not valid JSON/);
	assert.equal(inputStream?.destroyed, true, 'the input stream was stopped');
	assert.equal(inputStream?.readableEnded, false);
});
