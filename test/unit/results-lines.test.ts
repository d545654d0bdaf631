import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { SliceClock } from '../../src/eventLoop';
import { forEachLine, readLines } from '../../src/results';

/** The bytes of `text` cut into pieces at the given byte offsets. */
function cutAt(text: string, offsets: number[]): Buffer[] {
	const bytes = Buffer.from(text, 'utf8');
	const pieces: Buffer[] = [];
	let from = 0;
	for (const at of [...offsets, bytes.length]) {
		pieces.push(bytes.subarray(from, at));
		from = at;
	}
	return pieces;
}

async function splitLines(pieces: Buffer[]): Promise<Array<[number, string]>> {
	const lines: Array<[number, string]> = [];
	await forEachLine(Readable.from(pieces), new SliceClock(), (line) => lines.push([line.lineNumber, line.text()]));
	return lines;
}

/** What the splitter must give, by a plain reading of the whole text: the rule of `text.trim() === ''` for blank lines. */
function expected(text: string): Array<[number, string]> {
	const body = text.startsWith('\ufeff') ? text.slice(1) : text;
	const lines = body.split('\n');
	if (lines.at(-1) === '') lines.pop();
	return lines
		.map((line, i): [number, string] => [i + 1, line.endsWith('\r') ? line.slice(0, -1) : line])
		.filter(([, line]) => line.trim() !== '');
}

const TRICKY =
	'\ufeff{"a":"é"}\r\n' + // byte-order mark, two-byte character, CRLF
	'\n' + // empty line
	'  \t \r\n' + // whitespace only
	'{"b":"日本語 – 😀"}\n' + // three- and four-byte characters
	'\u00a0\n' + // a non-breaking space alone is blank by the trim rule
	'{"c":"\\u00e9\\n"}\r\n' +
	'{"d":"no final newline 😀"}';

test('every split point of the bytes gives the same lines: CRLF, blank lines, BOM, no final newline, multi-byte characters', async () => {
	const want = expected(TRICKY);
	assert.deepEqual(want.map(([n]) => n), [1, 4, 6, 7]);
	const length = Buffer.byteLength(TRICKY);
	for (let at = 0; at <= length; at++) assert.deepEqual(await splitLines(cutAt(TRICKY, [at])), want, `one cut at byte ${at}`);
	for (let a = 0; a <= length; a += 7) {
		for (let b = a; b <= length; b += 11) assert.deepEqual(await splitLines(cutAt(TRICKY, [a, b])), want, `cuts at bytes ${a} and ${b}`);
	}
	const oneByteChunks = Array.from({ length }, (_, i) => i + 1);
	assert.deepEqual(await splitLines(cutAt(TRICKY, oneByteChunks)), want, 'one byte per chunk');
});

test('a byte-order mark counts only at byte 0; a file shorter than a mark; empty chunks', async () => {
	assert.deepEqual(await splitLines(cutAt('{"x":1}\n\ufeff{"y":2}\n', [1])), [[1, '{"x":1}'], [2, '\ufeff{"y":2}']]);
	assert.deepEqual(await splitLines(cutAt('a', [])), [[1, 'a']]);
	assert.deepEqual(await splitLines(cutAt('a\n', [0, 0, 1, 1])), [[1, 'a']]);
	assert.deepEqual(await splitLines(cutAt('\ufeff', [1, 2])), []);
	assert.deepEqual(await splitLines(cutAt('\ufeffb', [1, 2])), [[1, 'b']]);
	assert.deepEqual(await splitLines([]), []);
	assert.deepEqual(await splitLines(cutAt('\n\r\n', [1])), []);
});

test('readLines gives the same lines as text', async () => {
	const lines = [];
	for await (const line of readLines(Readable.from(cutAt(TRICKY, [5, 17, 40])))) lines.push([line.lineNumber, line.text]);
	assert.deepEqual(lines, expected(TRICKY));
	const strings = [];
	for await (const line of readLines(Readable.from(['{"a":', '1}\r\n', '{"b":2}']))) strings.push(line.text);
	assert.deepEqual(strings, ['{"a":1}', '{"b":2}'], 'string chunks too');
});

test('a long file in one chunk is split in slices that yield to the event loop', async () => {
	const text = `${'{"custom_id":"x","n":1}\n'.repeat(200_000)}`;
	let lines = 0;
	let ticks = 0;
	const timer = setInterval(() => ticks++, 1);
	// A 1 ms budget: with 200,000 lines the loop must have given timers their turn several times.
	await forEachLine(Readable.from([Buffer.from(text)]), new SliceClock(1), () => lines++);
	clearInterval(timer);
	assert.equal(lines, 200_000);
	assert.ok(ticks > 0, 'timers ran while one chunk was being split');
});
