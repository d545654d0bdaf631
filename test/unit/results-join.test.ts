import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { joinResults, readLines, ResultFileError, type JoinParams, type ResultRow } from '../../src/results';

const input = (ids: string[]) =>
	ids.map((id) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/completions', body: { model: 'm', prompt: `p ${id}` } }));
const answer = (id: string, text: string) =>
	JSON.stringify({ id: `req-${id}`, custom_id: id, response: { status_code: 200, request_id: 'x', body: { choices: [{ text }], usage: { total_tokens: 1 } } }, error: null });
const failure = (id: string) => JSON.stringify({ custom_id: id, response: null, error: { code: 'boom', message: `failed ${id}` } });

/** A file served in small chunks, split mid-line, as HTTP bodies arrive. */
function source(role: string, text: string): JoinParams['results'][number] {
	return {
		file: { role, fileId: `file-${role.split(' ')[0]}` },
		open: async () => Readable.from(chunks(text, 7)),
	};
}
function* chunks(text: string, size: number) {
	const bytes = Buffer.from(text);
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
async function collect(params: JoinParams): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	for await (const row of joinResults(params)) rows.push(row);
	return rows;
}

test('readLines skips blank lines, handles CRLF and a missing final newline, and counts lines', async () => {
	const lines = [];
	for await (const line of readLines(Readable.from(chunks('a\r\n\n  \nb\nc', 2)))) lines.push(line);
	assert.deepEqual(lines, [
		{ lineNumber: 1, text: 'a' },
		{ lineNumber: 4, text: 'b' },
		{ lineNumber: 5, text: 'c' },
	]);
});

test('readLines drops a byte-order mark only at the start of the file, even split across chunks', async () => {
	const read = async (text: string) => {
		const lines = [];
		for await (const line of readLines(Readable.from(chunks(text, 1)))) lines.push(line);
		return lines;
	};
	assert.deepEqual(await read('\ufeff{"a":1}\n\ufeff{"b":2}\n'), [
		{ lineNumber: 1, text: '{"a":1}' },
		{ lineNumber: 2, text: '\ufeff{"b":2}' },
	]);
	assert.deepEqual(await read('\ufeff\r\nx'), [{ lineNumber: 2, text: 'x' }], 'a line holding only the mark is blank');
});

test('rows come in input order, failures from the error file, missing rows from the input', async () => {
	const rows = await collect({
		endpoint: '/v1/completions',
		batchStatus: 'cancelled',
		results: [
			source('output file', `${answer('c', 'C')}\n\n${answer('a', 'A')}`),
			source('error file', `${failure('d')}\n`),
		],
		input: source('input file', input(['a', 'b', 'c', 'd']).join('\n') + '\n'),
	});
	assert.deepEqual(
		rows.map((r) => [r.custom_id, r.status, r.answer ?? r.error?.message]),
		[
			['a', 'succeeded', 'A'],
			['b', 'missing', 'No answer: the batch ended as "cancelled" before this request was processed'],
			['c', 'succeeded', 'C'],
			['d', 'failed', 'failed d'],
		],
	);
	assert.deepEqual(rows[0].usage, { total_tokens: 1 });
	assert.equal(rows[1].error?.code, 'missing');
});

test('options: request bodies from the input, only failures, raw lines', async () => {
	const params = (options: JoinParams['options']): JoinParams => ({
		endpoint: '/v1/completions',
		batchStatus: 'completed',
		results: [source('output file', answer('b', 'B')), source('error file', failure('a'))],
		input: source('input file', input(['a', 'b']).join('\n')),
		options,
	});
	const withBodies = await collect(params({ includeRequestBody: true }));
	assert.deepEqual(withBodies.map((r) => r.request), [{ model: 'm', prompt: 'p a' }, { model: 'm', prompt: 'p b' }]);
	const failures = await collect(params({ onlyFailures: true, includeRawLine: true }));
	assert.deepEqual(failures.map((r) => r.custom_id), ['a']);
	assert.equal(failures[0].raw_line, failure('a'));
	assert.equal((await collect(params({})))[1].raw_line, undefined);
});

test('results not in the input come last, marked; without an input, output order is kept', async () => {
	const results = [source('output file', [answer('z', 'Z'), answer('a', 'A')].join('\n'))];
	const rows = await collect({ endpoint: '/v1/completions', batchStatus: 'completed', results, input: source('input file', input(['a']).join('\n')) });
	assert.deepEqual(rows.map((r) => [r.custom_id, r.not_in_input]), [['a', undefined], ['z', true]]);
	const noInput = await collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [source('output file', [answer('z', 'Z'), answer('a', 'A')].join('\n'))] });
	assert.deepEqual(noInput.map((r) => r.custom_id), ['z', 'a']);
});

test('a success wins over a failure of the same request, whichever file is read first', async () => {
	for (const results of [
		[source('error file', failure('a')), source('output file', answer('a', 'A'))],
		[source('output file', answer('a', 'A')), source('error file', failure('a'))],
	]) {
		const rows = await collect({ endpoint: '/v1/completions', batchStatus: 'completed', results, input: source('input file', input(['a']).join('\n')) });
		assert.deepEqual(rows.map((r) => [r.status, r.answer]), [['succeeded', 'A']], `read first: ${results[0].file.role}`);
	}
});

test('only failures: a succeeded answer is never extracted, the failures are unchanged', async () => {
	// Extracting this body throws (an `index` JSON cannot turn into a number), so reaching extraction would show.
	const unreadable = (id: string) =>
		JSON.stringify({
			custom_id: id,
			response: { status_code: 200, body: { object: 'list', data: [{ index: { valueOf: 1, toString: 1 }, embedding: [1] }, { index: 0, embedding: [2] }] } },
			error: null,
		});
	const params = (options: JoinParams['options']): JoinParams => ({
		endpoint: '/v1/embeddings',
		batchStatus: 'completed',
		results: [source('output file', [unreadable('a'), unreadable('z')].join('\n')), source('error file', failure('b'))],
		input: source('input file', input(['a', 'b', 'c']).join('\n')),
		options,
	});
	await assert.rejects(collect(params({})), TypeError, 'without onlyFailures the body is extracted (and throws)');
	const rows = await collect(params({ onlyFailures: true, includeRawLine: true, includeRequestBody: true }));
	assert.deepEqual(
		rows.map((r) => [r.custom_id, r.status, r.error?.message, r.raw_line, r.not_in_input]),
		[
			['b', 'failed', 'failed b', failure('b'), undefined],
			['c', 'missing', 'Impala returned no answer for this request although the batch completed', undefined, undefined],
		],
	);
	assert.deepEqual(rows[0].request, { model: 'm', prompt: 'p b' });
	const withoutInput = await collect({ ...params({ onlyFailures: true }), input: undefined });
	assert.deepEqual(withoutInput.map((r) => [r.custom_id, r.status]), [['b', 'failed']]);
});

test('bad lines name the file and the line', async () => {
	await assert.rejects(
		collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [source('output file', `${answer('a', 'A')}\n{oops`)] }),
		(error: unknown) => error instanceof ResultFileError && /Line 2 of the output file file-output is not valid JSON/.test(error.message),
	);
	await assert.rejects(
		collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [source('output file', JSON.stringify({ response: null }))] }),
		/Line 1 of the output file file-output is not an output line with a custom_id \(custom_id: Required\)/,
	);
	await assert.rejects(
		collect({ endpoint: '/v1/completions', batchStatus: 'completed', results: [], input: source('input file', input(['a', 'b', 'a']).join('\n')) }),
		/custom_id "a" appears more than once in the input file file-input \(line 3\)/,
	);
});
