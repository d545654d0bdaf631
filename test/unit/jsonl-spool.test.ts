import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LineSpool, buildLines, type RowSource, type SourceRow } from '../../src/jsonl';

async function text(stream: AsyncIterable<unknown>): Promise<string> {
	let out = '';
	for await (const chunk of stream) out += String(chunk);
	return out;
}

function tempDir(t: { after(fn: () => void): void }): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'spool-test-'));
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

const LINES = Array.from({ length: 50 }, (_, i) => `{"n":${i},"t":"é ${'x'.repeat(i)}"}\n`);

test('in memory under the bound: any range reads back exactly, as often as asked', async (t) => {
	const dir = tempDir(t);
	const spool = new LineSpool({ memoryBytes: 1_000_000, tempDir: dir });
	for (const line of LINES) await spool.append(Buffer.from(line));
	await spool.close();
	assert.equal(spool.filePath, undefined);
	assert.deepEqual(readdirSync(dir), [], 'no file');
	const all = LINES.join('');
	assert.equal(await text(spool.read()), all);
	const start = Buffer.byteLength(LINES.slice(0, 7).join(''));
	const end = start + Buffer.byteLength(LINES.slice(7, 30).join(''));
	assert.equal(await text(spool.read(start, end)), LINES.slice(7, 30).join(''));
	assert.equal(await text(spool.read(start, end)), LINES.slice(7, 30).join(''), 'a second read (a retried upload) gives the same bytes');
	await spool.dispose();
});

test('over the bound: moves to a temporary file, reads back exactly, and dispose removes it', async (t) => {
	const dir = tempDir(t);
	const spool = new LineSpool({ memoryBytes: 200, tempDir: dir });
	for (const line of LINES) await spool.append(Buffer.from(line));
	await spool.close();
	assert.ok(spool.filePath?.startsWith(dir));
	assert.equal(readdirSync(dir).length, 1);
	const start = Buffer.byteLength(LINES.slice(0, 3).join(''));
	const end = start + Buffer.byteLength(LINES.slice(3, 41).join(''));
	assert.equal(await text(spool.read(start, end)), LINES.slice(3, 41).join(''));
	assert.equal(await text(spool.read()), LINES.join(''));
	// Removed even while a read is still open (an upload cancelled mid-way).
	const open = spool.read();
	open.once('data', () => undefined);
	await spool.dispose();
	await spool.dispose();
	assert.deepEqual(readdirSync(dir), []);
	assert.throws(() => spool.read(), /removed/);
	open.destroy();
});

/** `count` valid chat rows, the row at `badAt` (if any) without a user message; `onRow` sees each row. */
function rows(count: number, badAt?: number, onRow?: (index: number) => void): RowSource {
	return {
		noun: 'Row',
		async *rows() {
			for (let i = 0; i < count; i++) {
				onRow?.(i);
				const row: SourceRow = {
					number: i + 2,
					itemIndex: 0,
					read: () => ({
						customId: `r${i}`,
						input: { endpoint: '/v1/chat/completions', model: 'm', userMessage: i === badAt ? '' : `question ${i} ${'y'.repeat(200)}` },
					}),
				};
				yield row;
			}
		},
	};
}

const CHAT = { endpoint: '/v1/chat/completions' as const, generateCustomIds: false, split: false };

test('a build that fails after the lines went to a temporary file removes the file', async (t) => {
	const dir = tempDir(t);
	let sawFile = false;
	const source = rows(3000, 2999, () => {
		sawFile ||= readdirSync(dir).length > 0;
	});
	await assert.rejects(buildLines(source, CHAT, { spool: { memoryBytes: 64 * 1024, tempDir: dir } }), /Found 1 problem/);
	assert.ok(sawFile, 'the lines had moved to a file before the bad row');
	assert.deepEqual(readdirSync(dir), [], 'and it is gone');
});

test('a build cancelled after the lines went to a temporary file removes the file', async (t) => {
	const dir = tempDir(t);
	const controller = new AbortController();
	const source = rows(100_000, undefined, (i) => {
		if (i > 0 && readdirSync(dir).length > 0 && !controller.signal.aborted) controller.abort();
	});
	// A clock that always asks to yield, so the cancel is seen at the next row.
	const clock = { due: () => true, yield: async () => undefined } as never;
	await assert.rejects(buildLines(source, CHAT, { spool: { memoryBytes: 64 * 1024, tempDir: dir }, signal: controller.signal, clock }), {
		name: 'AbortError',
	});
	assert.ok(controller.signal.aborted);
	assert.deepEqual(readdirSync(dir), []);
});

test('a successful build keeps the file until the caller disposes of it', async (t) => {
	const dir = tempDir(t);
	const build = await buildLines(rows(3000), CHAT, { spool: { memoryBytes: 64 * 1024, tempDir: dir } });
	assert.equal(readdirSync(dir).length, 1);
	const all = await text(build.spool.read());
	assert.equal(all.split('\n').length - 1, 3000);
	assert.equal(Buffer.byteLength(all), build.totals.bytes);
	await build.spool.dispose();
	assert.deepEqual(readdirSync(dir), []);
});

test('lines of every size (beyond the write buffers too, multi-byte) read back exactly, and split parts start where they should', async (t) => {
	const dir = tempDir(t);
	const texts = Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? `big ${i} ${'é😀'.repeat(9000 + i)}` : `small ${i} ½`));
	const source: RowSource = {
		noun: 'Row',
		async *rows() {
			for (let i = 0; i < texts.length; i++) {
				yield { number: i + 2, itemIndex: i, read: () => ({ customId: `r${i}`, input: { endpoint: '/v1/chat/completions', model: 'm', userMessage: texts[i] } }) };
			}
		},
	};
	const expected = texts.map((text, i) => `${JSON.stringify({ custom_id: `r${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: text }] } })}\n`);
	const build = await buildLines(source, { ...CHAT, split: true, limits: { maxLines: 1000, maxBytes: 200_000, maxEmbeddingInputs: 1 } }, { spool: { memoryBytes: 64 * 1024, tempDir: dir } });
	try {
		assert.equal(await text(build.spool.read()), expected.join(''));
		assert.equal(build.totals.bytes, Buffer.byteLength(expected.join('')));
		assert.ok(build.parts.length > 1);
		for (const part of build.parts) {
			assert.ok(part.bytes <= 200_000);
			assert.equal(await text(build.spool.read(part.start, part.start + part.bytes)), expected.slice(part.first, part.end).join(''));
		}
	} finally {
		await build.spool.dispose();
	}
});
