import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	JSONL_PREVIEW_LINES,
	PartFailedError,
	buildLines,
	partFileName,
	partSummary,
	type BuildSettings,
	type RowRequest,
	type RowSource,
} from '../../src/jsonl';

/** Embedding rows numbered like a spreadsheet (first data row = 2); each row's inputs are split on "|". */
function sheet(texts: string[]): RowSource {
	return rowsOf('Row', texts.map((t, i) => ({ customId: `c${i}`, input: { endpoint: '/v1/embeddings', model: 'e', input: t.split('|') } })));
}

/** Rows numbered like a spreadsheet (first data row = 2) or like n8n items (from 1, one item each). */
function rowsOf(noun: 'Row' | 'Item', requests: RowRequest[]): RowSource {
	return {
		noun,
		async *rows() {
			for (let i = 0; i < requests.length; i++) {
				yield { number: noun === 'Row' ? i + 2 : i + 1, itemIndex: noun === 'Row' ? 0 : i, read: () => requests[i] };
			}
		},
	};
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
	const plan = await buildLines(source, settings);
	assert.equal(plan.parts.length, 2);

	const first = partSummary(plan, 0, 'in.part-1-of-2.jsonl', 'grp-1');
	const text = (await drain(plan.spool.read(plan.parts[0].start, plan.parts[0].start + plan.parts[0].bytes))).join('');
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

	assert.equal(JSONL_PREVIEW_LINES, 3);
	assert.deepEqual(plan.parts.map((p) => p.preview.length), [2, 2], 'each part keeps its first lines, parsed');
	assert.deepEqual(plan.parts[0].preview, text.trimEnd().split('\n').map((l) => JSON.parse(l)));
	const second = partSummary(plan, 1, 'in.part-2-of-2.jsonl', 'grp-1');
	assert.equal(second.rows, 2);
	assert.equal(second.embeddingInputs, 4);
	assert.equal(second.part, '2/2');
	assert.equal(second.firstRow, 'Row 4');
	assert.equal(second.lastRow, 'Row 5');
	await plan.spool.dispose();
});

test('partSummary leaves out the group id when not split and the input count for other endpoints', async () => {
	const source = rowsOf('Item', [0, 1].map((i) => ({ customId: `c${i}`, input: { endpoint: '/v1/chat/completions', model: 'm', userMessage: `hi ${i}` } })));
	const plan = await buildLines(source, { endpoint: '/v1/chat/completions', generateCustomIds: false, split: false });
	const summary = partSummary(plan, 0, 'batch-input.jsonl');
	assert.deepEqual(Object.keys(summary), ['endpoint', 'rows', 'bytes', 'part', 'firstRow', 'lastRow', 'fileName']);
	assert.equal(summary.part, '1/1');
	assert.equal(summary.firstRow, 'Item 1');
	assert.equal(summary.lastRow, 'Item 2');
	assert.deepEqual(plan.parts[0].items, [0, 1]);
	await plan.spool.dispose();
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
