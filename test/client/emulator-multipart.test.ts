import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { boundaryOf, MultipartError, parseMultipart } from '../../src/emulator/multipart';

const boundary = '----b0undary';
const file = Buffer.from('{"a":1}\r\n\r\n------b0undar\n--not it\r\nüñí\n');
const body = Buffer.concat([
	Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n`),
	Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="in.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n`),
	file,
	Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="expires_after[seconds]"\r\n\r\n3600\r\n--${boundary}--\r\n`),
]);

function chunked(data: Buffer, size: (i: number) => number): Readable {
	const parts: Buffer[] = [];
	for (let at = 0, i = 0; at < data.length; i++) {
		const n = Math.max(1, size(i));
		parts.push(data.subarray(at, at + n));
		at += n;
	}
	return Readable.from(parts);
}

test('multipart parser: same result whatever the chunking (1 byte, odd sizes, one piece)', async (t) => {
	const dir = await mkdtemp(join(tmpdir(), 'multipart-test-'));
	t.after(() => rm(dir, { recursive: true, force: true }));
	const chunkings: Array<(i: number) => number> = [() => 1, (i) => (i * 7) % 13, () => body.length];
	for (const [n, size] of chunkings.entries()) {
		const filePath = join(dir, `f${n}`);
		const result = await parseMultipart(chunked(body, size), boundary, { filePath, fileField: 'file', maxFileBytes: 1000 });
		assert.deepEqual(result.fields, { purpose: 'batch', 'expires_after[seconds]': '3600' });
		assert.deepEqual(result.file, { filename: 'in.jsonl', bytes: file.length, path: filePath });
		assert.deepEqual(await readFile(filePath), file);
	}
});

test('multipart parser: refuses a truncated body and a file over the limit', async (t) => {
	const dir = await mkdtemp(join(tmpdir(), 'multipart-test-'));
	t.after(() => rm(dir, { recursive: true, force: true }));
	const options = { filePath: join(dir, 'f'), fileField: 'file', maxFileBytes: 1000 };
	await assert.rejects(parseMultipart(Readable.from([body.subarray(0, body.length - 20)]), boundary, options), MultipartError);
	await assert.rejects(
		parseMultipart(Readable.from([body]), boundary, { ...options, maxFileBytes: 10 }),
		(error: MultipartError) => error.tooLarge,
	);
	assert.equal(boundaryOf('multipart/form-data; boundary="a b"'), 'a b');
	assert.equal(boundaryOf('multipart/form-data; charset=utf-8; boundary=xyz'), 'xyz');
	assert.equal(boundaryOf('application/json'), undefined);
});
