import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { joinResults, parseOutputLine, toResultRow, type JoinParams, type ResultOptions, type ResultRow } from '../../src/results';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const long = (text: string) => text.repeat(Math.ceil(400 / text.length));
/** Answers of every kind of character: ASCII, Latin-1, CJK, emoji, a lone surrogate; short and long. */
const TEXTS = ['short', long('plain ascii text. '), long('café crème '), long('日本語の答え'), long('emoji 😀 '), `${long('x')}\ud800 lone`, long('{"a":1}')];

const line = (customId: string, body: unknown, statusCode = 200) =>
	JSON.stringify({ id: `req-${customId}`, custom_id: customId, response: { status_code: statusCode, request_id: 'r', body }, error: null });
const usage = { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 };

/** Output lines of each endpoint, for every text. */
const ENDPOINTS: Record<string, (text: string, i: number) => unknown> = {
	'/v1/chat/completions': (text, i) => ({
		object: 'chat.completion',
		choices: [{ index: 0, message: { role: 'assistant', content: text, ...(i % 2 ? { tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: text } }] } : {}) }, finish_reason: 'stop' }],
		usage,
	}),
	'/v1/responses': (text) => ({
		object: 'response',
		output: [{ type: 'reasoning', summary: [] }, { type: 'message', content: [{ type: 'output_text', text }, { type: 'output_text', text: '!' }] }, { type: 'function_call', name: 'f', arguments: '{}' }],
		usage,
	}),
	'/v1/embeddings': (_text, i) => ({ object: 'list', data: i % 2 ? [{ index: 1, embedding: [0.5] }, { index: 0, embedding: [0.25, i] }] : [{ index: 0, embedding: [i] }], usage }),
	'/v1/completions': (text) => ({ object: 'text_completion', choices: [{ index: 0, text, finish_reason: 'length' }], usage }),
};

/** A file in chunks of `size` bytes, each its own Buffer (its own memory), split mid-line and mid-character. */
function* chunks(text: string, size: number, onChunk: (chunk: Buffer) => void = () => {}) {
	const bytes = Buffer.from(text);
	for (let at = 0; at < bytes.length; at += size) {
		const end = Math.min(at + size, bytes.length);
		const chunk = Buffer.allocUnsafeSlow(end - at);
		bytes.copy(chunk, 0, at, end);
		onChunk(chunk);
		yield chunk;
	}
}

async function collect(params: JoinParams): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	for await (const row of joinResults(params)) rows.push(row);
	return rows;
}

test('a row built while indexing equals the row built from its line alone, for every endpoint and option', async () => {
	const file = { role: 'output file', fileId: 'file-out' };
	for (const [endpoint, body] of Object.entries(ENDPOINTS)) {
		const lines = TEXTS.map((text, i) => line(`row-${i}`, body(text, i)));
		lines.push(line('row-failed', { error: { message: long('too long '), code: 'bad', type: 'invalid_request_error' } }, 400));
		for (const options of [{}, { includeRawLine: true }, { parseJson: true }] as ResultOptions[]) {
			const rows = await collect({ endpoint, batchStatus: 'completed', options, results: [{ file, open: async () => Readable.from(chunks(lines.join('\n'), 97)) }] });
			const expected = lines.map((text, i) => toResultRow(parseOutputLine({ lineNumber: i + 1, text }, file), endpoint, options, text));
			assert.deepEqual(rows, expected, `${endpoint} ${JSON.stringify(options)}`);
		}
	}
});

test('the join keeps no Buffer of any line: once the files are read, every chunk read can be collected', async () => {
	const answer = long('the answer ');
	const ids = Array.from({ length: 300 }, (_, i) => `row-${i}`);
	const output = ids.map((id) => line(id, ENDPOINTS['/v1/chat/completions'](`${answer}${id}`, 0))).join('\n');
	const input = ids.map((id) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: answer }] } })).join('\n');
	const read: WeakRef<ArrayBuffer>[] = [];
	const track = (chunk: Buffer) => read.push(new WeakRef(chunk.buffer as ArrayBuffer));
	const rows = joinResults({
		endpoint: '/v1/chat/completions',
		batchStatus: 'completed',
		options: { includeRawLine: true },
		results: [{ file: { role: 'output file', fileId: 'o' }, open: async () => Readable.from(chunks(output, 1000, track)) }],
		input: { file: { role: 'input file', fileId: 'i' }, open: async () => Readable.from(chunks(input, 1000, track)) },
	});
	// The first row comes once every file is read whole: the index is complete, no chunk is needed any more.
	const first = await rows.next();
	assert.equal((first.value as ResultRow).custom_id, 'row-0');
	assert.ok(read.length > 300, `${read.length} chunks read`);
	await nextTurn();
	gc();
	const alive = read.filter((ref) => ref.deref() !== undefined).length;
	assert.equal(alive, 0, `${alive} of ${read.length} chunks are still held`);
	let count = 1;
	for await (const row of rows) {
		assert.equal(row.answer, `${answer}row-${count}`);
		assert.equal(row.raw_line, output.split('\n')[count]);
		count++;
	}
	assert.equal(count, ids.length);
});

test('onRow sees every answered row before the onlyFailures filter; a row it marks invalid stays, as a failure', async () => {
	const output = [line('a', ENDPOINTS['/v1/completions']('A', 0)), line('b', ENDPOINTS['/v1/completions']('B', 0))].join('\n');
	const error = JSON.stringify({ custom_id: 'c', response: null, error: { code: 'x', message: 'failed c' } });
	const seen: string[] = [];
	const params = (onRow?: JoinParams['onRow']): JoinParams => ({
		endpoint: '/v1/completions',
		batchStatus: 'completed',
		options: { onlyFailures: true },
		results: [
			{ file: { role: 'output file', fileId: 'o' }, open: async () => Readable.from(chunks(output, 5)) },
			{ file: { role: 'error file', fileId: 'e' }, open: async () => Readable.from(chunks(error, 5)) },
		],
		input: { file: { role: 'input file', fileId: 'i' }, open: async () => Readable.from(chunks(['a', 'b', 'c', 'd'].map((id) => JSON.stringify({ custom_id: id, body: {} })).join('\n'), 5)) },
		onRow,
	});
	const invalid = await collect(
		params((row) => {
			seen.push(`${row.custom_id}:${row.status}`);
			// 'invalid' is the status the answer-schema check gives (another branch adds it to ResultStatus).
			return row.custom_id === 'a' ? { ...row, status: 'invalid' as ResultRow['status'], error: { code: 'invalid_answer', message: 'not JSON' } } : row;
		}),
	);
	assert.deepEqual(seen.sort(), ['a:succeeded', 'b:succeeded', 'c:failed']);
	assert.deepEqual(
		invalid.map((r) => [r.custom_id, r.status, r.answer]),
		[
			['a', 'invalid', 'A'],
			['c', 'failed', undefined],
			['d', 'missing', undefined],
		],
	);
	const plain = await collect(params());
	assert.deepEqual(
		plain.map((r) => [r.custom_id, r.status]),
		[
			['c', 'failed'],
			['d', 'missing'],
		],
	);
});

test('onRow sees each answered request once: not a failure a success replaces, not again when the files are read twice', async () => {
	const ok = (id: string) => line(id, ENDPOINTS['/v1/completions'](id.toUpperCase(), 0));
	const failed = (id: string) => JSON.stringify({ custom_id: id, response: null, error: { code: 'x', message: `failed ${id}` } });
	const calls: string[] = [];
	let reads = 0;
	const rows = await collect({
		endpoint: '/v1/completions',
		batchStatus: 'completed',
		results: [
			// Read twice (the first read holds fewer answers than the counts say); 'a' fails, then succeeds.
			{ file: { role: 'output file', fileId: 'o' }, open: async () => Readable.from(chunks((reads++ === 0 ? [failed('a'), ok('b')] : [failed('a'), ok('b'), ok('a'), ok('d')]).join('\n'), 9)) },
			{ file: { role: 'error file', fileId: 'e' }, open: async () => Readable.from(chunks([failed('c'), failed('a')].join('\n'), 9)) },
		],
		expected: { batchId: 'batch_1', requestCounts: { total: 4, completed: 3, failed: 1 } },
		onRow: (row) => {
			calls.push(`${row.custom_id}:${row.status}`);
			return row;
		},
	});
	assert.equal(reads, 2, 'the output file was read twice');
	assert.deepEqual(calls.sort(), ['a:succeeded', 'b:succeeded', 'c:failed', 'd:succeeded']);
	assert.deepEqual(
		rows.map((r) => [r.custom_id, r.status]).sort(),
		[
			['a', 'succeeded'],
			['b', 'succeeded'],
			['c', 'failed'],
			['d', 'succeeded'],
		],
	);
});
