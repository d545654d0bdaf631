import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	JSONL_PREVIEW_LINES,
	PartFailedError,
	jsonlBytesWithPreview,
	partFileName,
	partLines,
	partSummary,
	planBuild,
	rememberingLineError,
	type BuildSettings,
	type RowSource,
} from '../../src/jsonl';

/** Embedding rows numbered like a spreadsheet (first data row = 2); each row's inputs are split on "|". */
function sheet(texts: string[]): RowSource {
	return {
		size: texts.length,
		noun: 'Row',
		numberOf: (i) => i + 2,
		itemIndexOf: () => 0,
		read: (i) => ({ customId: `c${i}`, input: { endpoint: '/v1/embeddings', model: 'e', input: texts[i].split('|') } }),
	};
}

async function* chunks(...parts: string[]): AsyncGenerator<string> {
	yield* parts;
}

async function drain<T>(values: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const value of values) out.push(value);
	return out;
}

test('partFileName keeps the name of a single part and numbers split parts before the .jsonl extension', () => {
	assert.equal(partFileName('batch.jsonl', 0, 1), 'batch.jsonl');
	assert.equal(partFileName('  batch.jsonl  ', 0, 1), 'batch.jsonl');
	assert.equal(partFileName('', 0, 1), 'batch-input.jsonl');
	assert.equal(partFileName('   ', 1, 2), 'batch-input.part-2-of-2.jsonl');
	assert.equal(partFileName('batch.jsonl', 0, 3), 'batch.part-1-of-3.jsonl');
	assert.equal(partFileName('Batch.JSONL', 2, 3), 'Batch.part-3-of-3.JSONL');
	assert.equal(partFileName('requests', 1, 12), 'requests.part-2-of-12');
	assert.equal(partFileName('rows.csv', 0, 2), 'rows.csv.part-1-of-2');
});

test('partSummary describes each part of a real split plan: rows, bytes, inputs, first and last row', async () => {
	const source = sheet(['a|b', 'c', 'd|e|f', 'g']);
	const settings: BuildSettings = {
		endpoint: '/v1/embeddings',
		generateCustomIds: false,
		split: true,
		limits: { maxLines: 100, maxBytes: 10_000_000, maxEmbeddingInputs: 4 },
	};
	const plan = planBuild(source, settings);
	assert.equal(plan.parts.length, 2);

	const first = partSummary(source, plan, 0, 'in.part-1-of-2.jsonl', 'grp-1');
	const text = (await drain(partLines(source, settings, plan, 0))).join('');
	assert.deepEqual(first, {
		endpoint: '/v1/embeddings',
		rows: 2,
		bytes: Buffer.byteLength(text, 'utf8'),
		embeddingInputs: 3,
		part: '1/2',
		groupId: 'grp-1',
		firstRow: 'Row 2',
		lastRow: 'Row 3',
		fileName: 'in.part-1-of-2.jsonl',
	});
	// Key order is what the node's output shows.
	assert.deepEqual(Object.keys(first), ['endpoint', 'rows', 'bytes', 'embeddingInputs', 'part', 'groupId', 'firstRow', 'lastRow', 'fileName']);

	const second = partSummary(source, plan, 1, 'in.part-2-of-2.jsonl', 'grp-1');
	assert.equal(second.rows, 2);
	assert.equal(second.embeddingInputs, 4);
	assert.equal(second.part, '2/2');
	assert.equal(second.firstRow, 'Row 4');
	assert.equal(second.lastRow, 'Row 5');
});

test('partSummary leaves out the group id when not split and the input count for other endpoints', () => {
	const source: RowSource = {
		size: 2,
		noun: 'Item',
		numberOf: (i) => i + 1,
		itemIndexOf: (i) => i,
		read: (i) => ({ customId: `c${i}`, input: { endpoint: '/v1/chat/completions', model: 'm', userMessage: `hi ${i}` } }),
	};
	const plan = planBuild(source, { endpoint: '/v1/chat/completions', generateCustomIds: false, split: false });
	const summary = partSummary(source, plan, 0, 'batch-input.jsonl');
	assert.deepEqual(Object.keys(summary), ['endpoint', 'rows', 'bytes', 'part', 'firstRow', 'lastRow', 'fileName']);
	assert.equal(summary.part, '1/1');
	assert.equal(summary.firstRow, 'Item 1');
	assert.equal(summary.lastRow, 'Item 2');
});

test('jsonlBytesWithPreview yields the exact UTF-8 bytes and parses only the first lines, across chunks', async () => {
	const lines = ['{"n":1,"t":"é"}\n', '{"n":2}\n', '{"n":3}\n', '{"n":4}\n', 'not json once the preview is full\n'];
	const preview: unknown[] = [];
	const bytes = await drain(jsonlBytesWithPreview(chunks(lines[0], lines[1] + lines[2] + lines[3], lines[4]), preview));
	assert.equal(Buffer.concat(bytes).toString('utf8'), lines.join(''));
	assert.equal(Buffer.concat(bytes).length, Buffer.byteLength(lines.join(''), 'utf8'));
	assert.equal(JSONL_PREVIEW_LINES, 3);
	assert.deepEqual(preview, [{ n: 1, t: 'é' }, { n: 2 }, { n: 3 }]);
});

test('jsonlBytesWithPreview keeps fewer preview lines when the file has fewer, and honours a custom count', async () => {
	const short: unknown[] = [];
	await drain(jsonlBytesWithPreview(chunks('{"a":1}\n'), short));
	assert.deepEqual(short, [{ a: 1 }]);

	const one: unknown[] = [];
	await drain(jsonlBytesWithPreview(chunks('{"a":1}\n{"a":2}\n'), one, 1));
	assert.deepEqual(one, [{ a: 1 }]);
});

test('rememberingLineError passes lines through and notes the error the rows throw, still throwing it', async () => {
	const clean: { error?: unknown } = {};
	assert.deepEqual(await drain(rememberingLineError(chunks('a\n', 'b\n'), clean)), ['a\n', 'b\n']);
	assert.equal(clean.error, undefined);

	const rowError = new Error('Row 7 built a different request');
	async function* failing(): AsyncGenerator<string> {
		yield 'a\n';
		throw rowError;
	}
	const failure: { error?: unknown } = {};
	const seen: string[] = [];
	await assert.rejects(async () => {
		for await (const chunk of rememberingLineError(failing(), failure)) seen.push(chunk);
	}, rowError);
	assert.deepEqual(seen, ['a\n']);
	assert.equal(failure.error, rowError);
});

test('PartFailedError keeps the cause, what was done and the uploaded file, with the cause as message', () => {
	const cause = new Error('connection reset');
	const error = new PartFailedError(cause, ['batch b1 (part 1/2)'], '2/2', 'file-2');
	assert.equal(error.message, 'connection reset');
	assert.equal(error.name, 'PartFailedError');
	assert.equal(error.cause, cause);
	assert.deepEqual(error.done, ['batch b1 (part 1/2)']);
	assert.equal(error.part, '2/2');
	assert.equal(error.uploadedFileId, 'file-2');
	assert.equal(new PartFailedError('plain text', [], '1/1').message, 'plain text');
});
