import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { decodeText } from '../../src/csv';
import { readLines as readFileLines } from '../../src/emulator/lineReader';
import { readLines as readStreamLines } from '../../src/results';

// One byte-order-mark rule for every reader: dropped at byte 0 of a file, content anywhere else.
const BOM = '\ufeff';
const jsonl = `${BOM}{"n":1}\n${BOM}{"n":2}\r\n{"n":3}`;

async function texts(lines: AsyncIterable<{ text: string }>): Promise<string[]> {
	const out: string[] = [];
	for await (const line of lines) out.push(line.text);
	return out;
}

test("the emulator's file reader drops the mark only at byte 0, also when resuming", async () => {
	const path = join(mkdtempSync(join(tmpdir(), 'bom-')), 'input.jsonl');
	writeFileSync(path, jsonl);
	assert.deepEqual(await texts(readFileLines(path)), ['{"n":1}', `${BOM}{"n":2}`, '{"n":3}']);
	const lineTwo = Buffer.byteLength(`${BOM}{"n":1}\n`);
	assert.deepEqual(await texts(readFileLines(path, { offset: lineTwo, lineNumber: 2 })), [`${BOM}{"n":2}`, '{"n":3}']);
});

test('the results reader gives the same lines as the emulator', async () => {
	assert.deepEqual(await texts(readStreamLines(Readable.from([Buffer.from(jsonl)]))), ['{"n":1}', `${BOM}{"n":2}`, '{"n":3}']);
});

test('CSV bytes: the mark at byte 0 is dropped (UTF-8 or UTF-16), a second one is content', () => {
	const utf8 = Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x61]);
	assert.equal(decodeText(utf8), `${BOM}a`);
	const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${BOM}a`, 'utf16le')]);
	assert.equal(decodeText(utf16), `${BOM}a`);
	assert.equal(decodeText(Buffer.from('a')), 'a');
});
