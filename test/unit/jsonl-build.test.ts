import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	BuildProblemsError,
	RowFieldError,
	buildLines,
	type BuildResult,
	type BuildSettings,
	type EndpointInput,
	type RowSource,
} from '../../src/jsonl';

/** Rows as plain objects, numbered like a spreadsheet (first data row = 2). */
function sheet(rows: Array<{ id?: string; text: string }>, endpoint: EndpointInput['endpoint'] = '/v1/chat/completions'): RowSource {
	return {
		noun: 'Row',
		async *rows() {
			for (let i = 0; i < rows.length; i++) yield { number: i + 2, itemIndex: 0, read: () => read(i) };
		},
		fixFor: (field) => (field === 'User Message' ? 'Fill in column "text" on this row.' : undefined),
	};
	function read(i: number) {
			const { id, text } = rows[i];
			if (text === '{bad json') throw new RowFieldError('Extra Messages', 'is not valid JSON.', 'Fix the JSON.');
			const input: EndpointInput =
				endpoint === '/v1/embeddings'
					? { endpoint, model: 'e', input: text.split('|') }
					: { endpoint: '/v1/chat/completions', model: 'm', userMessage: text };
			return { customId: id, input };
	}
}

const chat: BuildSettings = { endpoint: '/v1/chat/completions', generateCustomIds: false, split: false };

/** The text of one part, read back from the spool. */
async function collect(build: BuildResult, part: number) {
	const { start, bytes } = build.parts[part];
	let text = '';
	for await (const chunk of build.spool.read(start, start + bytes)) text += String(chunk);
	return text;
}

test('every problem of every row is gathered into one error naming row, field and fix', async () => {
	const source = sheet([
		{ id: 'a', text: 'ok' },
		{ id: 'b', text: '' },
		{ id: '', text: 'ok' },
		{ id: 'd', text: '{bad json' },
	]);
	await assert.rejects(
		buildLines(source, chat),
		(error: BuildProblemsError) => {
			assert.equal(error.total, 3);
			assert.match(error.message, /Found 3 problems.*nothing was uploaded/);
			const lines = error.description.split('\n');
			assert.equal(lines[0], 'Row 3, User Message: Message content must not be empty. Fill in column "text" on this row.');
			assert.equal(lines[1], 'Row 4, Custom ID: custom_id must not be empty.');
			assert.equal(lines[2], 'Row 5, Extra Messages: is not valid JSON. Fix the JSON.');
			return true;
		},
	);
});

test('duplicates are reported with all their rows; the list is capped with a count of the rest', async () => {
	const rows = [{ id: 'x', text: 'a' }, { id: 'y', text: 'b' }, { id: 'x', text: 'c' }, { id: 'x', text: 'd' }, { id: 'y', text: 'e' }];
	await assert.rejects(
		buildLines(sheet(rows), chat),
		(error: BuildProblemsError) => {
			assert.match(error.description, /Rows 2, 4 and 5, Custom ID: all use the custom ID "x"/);
			assert.match(error.description, /Rows 3 and 6, Custom ID: all use the custom ID "y"/);
			return true;
		},
	);
	const many = Array.from({ length: 30 }, () => ({ id: 'a', text: '' }));
	await assert.rejects(
		buildLines(sheet(many), { ...chat, problemCap: 5 }),
		(error: BuildProblemsError) => {
			assert.equal(error.total, 31); // 30 empty messages + 1 duplicate id over rows 2-31
			assert.equal(error.problems.length, 5);
			assert.match(error.description, /\.\.\. and 26 more$/);
			return true;
		},
	);
});

test('generated ids are row-1, row-2, ... and the spool holds exactly the checked lines', async () => {
	const source = sheet([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
	const settings = { ...chat, generateCustomIds: true };
	const plan = await buildLines(source, settings);
	const text = await collect(plan, 0);
	const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
	assert.deepEqual(lines.map((l) => l.custom_id), ['row-1', 'row-2', 'row-3']);
	assert.equal(Buffer.byteLength(text), plan.totals.bytes);
	assert.deepEqual(plan.parts, [{ first: 0, end: 3, ...plan.totals, firstRow: 2, lastRow: 4, items: [0], start: 0, preview: lines }]);
	await plan.spool.dispose();
});

test('over the limits: an error without split; consecutive parts within every limit with split', async () => {
	const rows = Array.from({ length: 7 }, (_, i) => ({ id: `e${i}`, text: 'a|b|c' }));
	const source = sheet(rows, '/v1/embeddings');
	const base: BuildSettings = {
		endpoint: '/v1/embeddings',
		generateCustomIds: false,
		split: false,
		limits: { maxLines: 100, maxBytes: 10_000, maxEmbeddingInputs: 10 },
	};
	await assert.rejects(
		buildLines(source, base),
		(error: BuildProblemsError) => /21 embedding inputs \(at most 10 per batch\)/.test(error.message) && /Split Into Several Batches/.test(error.description),
	);
	const plan = await buildLines(source, { ...base, split: true });
	assert.deepEqual(
		plan.parts.map((p) => [p.first, p.end, p.embeddingInputs]),
		[[0, 3, 9], [3, 6, 9], [6, 7, 3]],
	);
	const second = await collect(plan, 1);
	assert.deepEqual(second.trimEnd().split('\n').map((l) => JSON.parse(l).custom_id), ['e3', 'e4', 'e5']);
	assert.equal(Buffer.byteLength(second), plan.parts[1].bytes);

	const bytesPlan = await buildLines(source, { ...base, split: true, limits: { maxLines: 2, maxBytes: plan.parts[0].bytes, maxEmbeddingInputs: 100 } });
	assert.ok(bytesPlan.parts.every((p) => p.lines <= 2));
	assert.equal(bytesPlan.parts.length, 4);
});

test('a single row bigger than any batch is reported, not split', async () => {
	const source = sheet([{ id: 'big', text: 'a|b|c|d' }], '/v1/embeddings');
	await assert.rejects(
		buildLines(source, { endpoint: '/v1/embeddings', generateCustomIds: false, split: true, limits: { maxLines: 10, maxBytes: 10_000, maxEmbeddingInputs: 3 } }),
		(error: BuildProblemsError) => /Row 2: is too big for any batch on its own: 4 embedding inputs/.test(error.description),
	);
});

test('every row is read exactly once', async () => {
	let reads = 0;
	const base = sheet([{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }]);
	const source: RowSource = {
		...base,
		async *rows(clock) {
			for await (const row of base.rows(clock)) {
				yield { ...row, read: () => (reads++, row.read()) };
			}
		},
	};
	const build = await buildLines(source, chat);
	assert.equal(reads, 2);
	assert.equal(build.rows, 2);
	await build.spool.dispose();
});

test('onBody sees each checked body once, with its row, before it is serialized; not for a refused row', async () => {
	const seen: Array<{ row: number; body: Record<string, unknown> }> = [];
	const source = sheet([{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }, { id: 'c', text: 'z' }]);
	const build = await buildLines(source, { ...chat, onBody: (body, row) => seen.push({ row: row.number, body }) });
	try {
		assert.deepEqual(seen.map((s) => s.row), [2, 3, 4]);
		assert.deepEqual(seen[1].body, { model: 'm', messages: [{ role: 'user', content: 'y' }] });
		const lines = (await collect(build, 0)).trim().split('\n').map((l) => JSON.parse(l) as { body: unknown });
		assert.deepEqual(lines.map((l) => l.body), seen.map((s) => s.body));
	} finally {
		await build.spool.dispose();
	}
	const refused: number[] = [];
	await assert.rejects(
		buildLines(sheet([{ id: 'a', text: 'x' }, { id: 'b', text: '' }]), { ...chat, onBody: (_, row) => refused.push(row.number) }),
		BuildProblemsError,
	);
	assert.deepEqual(refused, [2]);
});
