import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { test } from 'node:test';
import { SliceClock } from '../../src/eventLoop';
import { BuildProblemsError } from '../../src/jsonl';
import { base64Chunks, decodeText, detectDelimiter, readCsvRows, type CsvRow, type ReadCsvOptions } from '../../src/csv';

/** Every row of a file, read as a stream cut into `chunkBytes` pieces; rows with a problem throw. */
async function table(bytes: Uint8Array | string, options: ReadCsvOptions = {}) {
	const csv = await readCsvRows(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes, options);
	const rows: CsvRow[] = [];
	const problems: string[] = [];
	for await (const row of csv.rows) {
		if (row.problem) problems.push(`Row ${row.rowNumber}: ${row.problem.message} ${row.problem.fix}`);
		else rows.push(row);
	}
	if (problems.length > 0) throw new BuildProblemsError(problems.map((p) => ({ where: p, message: '' })), problems.length);
	return { columns: csv.columns, delimiter: csv.delimiter, rows };
}

const SAMPLE = Buffer.concat([
	Buffer.from([0xef, 0xbb, 0xbf]),
	Buffer.from('id;text\r\nA;"first line\r\nsecond; line ½"\r\n\r\nB;"say ""hi"" — ok"\r\nC;Grüße 😀\r\n', 'utf8'),
]);
const SAMPLE_ROWS = [
	{ rowNumber: 2, values: ['A', 'first line\r\nsecond; line ½'] },
	// the quoted value spans two lines but is one spreadsheet row; the blank row 3 still counts
	{ rowNumber: 4, values: ['B', 'say "hi" — ok'] },
	{ rowNumber: 5, values: ['C', 'Grüße 😀'] },
];

test('a BOM, semicolons, CRLF, quoted newlines and multi-byte characters, cut at every possible chunk size', async () => {
	for (let chunkBytes = 1; chunkBytes <= SAMPLE.length; chunkBytes++) {
		const parsed = await table(SAMPLE, { chunkBytes });
		assert.equal(parsed.delimiter, ';', `chunks of ${chunkBytes}`);
		assert.deepEqual(parsed.columns, ['id', 'text'], `chunks of ${chunkBytes}`);
		assert.deepEqual(parsed.rows, SAMPLE_ROWS, `chunks of ${chunkBytes}`);
	}
});

test('a Node stream and base64 pieces give the same rows as the whole buffer', async () => {
	const pieces = Array.from({ length: Math.ceil(SAMPLE.length / 7) }, (_, i) => SAMPLE.subarray(i * 7, i * 7 + 7));
	assert.deepEqual((await table(Readable.from(pieces) as unknown as Uint8Array)).rows, SAMPLE_ROWS);
	for (const size of [3, 4, 10, 1000]) {
		const decoded = Buffer.concat([...base64Chunks(SAMPLE.toString('base64'), size)]);
		assert.deepEqual(decoded, SAMPLE, `base64 in pieces of ${size}`);
	}
});

test('a stream chunk bigger than the decoding piece is cut, characters split by the cut included', async () => {
	// Rows of 3-byte and 4-byte characters, so that cuts of the one big chunk fall inside characters.
	const rows = Array.from({ length: 40 }, (_, i) => ['r' + i, '—€😀'.repeat(50 + i)]);
	const bytes = Buffer.from(`id,text\n${rows.map((r) => r.join(',')).join('\n')}\n`, 'utf8');
	for (const chunkBytes of [1000, 4097]) {
		const parsed = await table(Readable.from([bytes]) as unknown as Uint8Array, { chunkBytes, feedChars: 10 });
		assert.deepEqual(parsed.rows.map((r) => r.values), rows, `pieces of ${chunkBytes}`);
	}
});

test('a quote never closed in a big file is parsed in linear work, not again from its start on every piece', async () => {
	// Papaparse parses an open row again from its start on each feed: count what it is given.
	const Parser = Papa.Parser;
	let fed = 0;
	Papa.Parser = function (config: Papa.ParseConfig) {
		const parser = new Parser(config);
		const parse = parser.parse.bind(parser);
		parser.parse = (input: string, ...rest: unknown[]) => {
			fed += input.length;
			return (parse as (...args: unknown[]) => unknown)(input, ...rest);
		};
		return parser;
	} as unknown as typeof Parser;
	try {
		const rows = Array.from({ length: 20_000 }, (_, i) => `${i},row ${i} text`);
		const text = `id,text\n1,"never closed\n${rows.join('\n')}\n`;
		// A clock always due is what a slow stream looks like: every piece arrives after the slice has ended.
		for (const clock of [undefined, new SliceClock(0)]) {
			fed = 0;
			await assert.rejects(table(text, { chunkBytes: 1000, feedChars: 100, clock }), (e: BuildProblemsError) => /Row 2: .*quoted value is not closed/.test(e.description));
			assert.ok(fed < 4 * text.length, `the parser was given ${fed} characters for a file of ${text.length}${clock ? ' (slow stream)' : ''}`);
		}
	} finally {
		Papa.Parser = Parser;
	}
});

test('a header of 20,000 repeated names is one error, read in linear time', async () => {
	const header = Array.from({ length: 20_000 }, () => 'x').join(',');
	await assert.rejects(table(`${header}\n${header}\n`), (e: BuildProblemsError) => /"x" appears 20000 times/.test(e.description));
});

test('a row longer than 32 million characters (a quote that swallows the file) is an error naming it', async () => {
	const text = `id,text\n1,ok\n2,"${'x'.repeat(33 * 1024 * 1024)}\n`;
	await assert.rejects(table(text), (e: BuildProblemsError) => /Row 3: is longer than 32 million characters/.test(e.description));
});

test('UTF-16 with its mark (little and big endian) is decoded, also with characters cut across chunks', async () => {
	const text = 'id\ttext\n1\tÉté 😀\n';
	const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
	const be = Buffer.from(le);
	be.swap16();
	for (const bytes of [le, be]) {
		for (const chunkBytes of [1, 3, 5, 64]) {
			assert.deepEqual((await table(bytes, { chunkBytes })).rows, [{ rowNumber: 2, values: ['1', 'Été 😀'] }]);
		}
	}
	// Chosen by hand: UTF-16 without a mark is read as little endian.
	assert.deepEqual((await table(Buffer.from(text, 'utf16le'), { encoding: 'utf-16' })).rows[0].values, ['1', 'Été 😀']);
});

test('Windows-1252 and ISO-8859-1 files read with their Encoding option', async () => {
	// "café €5" in Windows-1252: é = E9, € = 80 (ISO-8859-1 has a control character at 80).
	const bytes = Buffer.from([...Buffer.from('id,text\n1,caf'), 0xe9, 0x20, 0x80, 0x35, 0x0a]);
	assert.deepEqual((await table(bytes, { encoding: 'windows-1252', chunkBytes: 2 })).rows[0].values, ['1', 'café €5']);
	assert.deepEqual((await table(bytes, { encoding: 'iso-8859-1', chunkBytes: 2 })).rows[0].values, ['1', 'café \u00805']);
});

test('bytes that are not UTF-8: a clear error naming the row and suggesting Windows-1252; nothing replaced', async () => {
	const bytes = Buffer.from([...Buffer.from('id,text\n1,ok\n2,"two\nlines"\n3,caf'), 0xe9, ...Buffer.from('\n4,fine\n')]);
	for (const encoding of ['auto', 'utf-8'] as const) {
		for (const chunkBytes of [1, 4, 1000]) {
			await assert.rejects(table(bytes, { encoding, chunkBytes, fileLabel: '"shop.csv"' }), (error: BuildProblemsError) => {
				assert.equal(error.message, 'Could not read "shop.csv" as UTF-8 text; nothing was uploaded');
				assert.match(error.description, /^Row 4: is not valid UTF-8 text \(at byte 32 of the file\)\. No character was replaced\./);
				assert.match(error.description, /Set File Options → CSV Encoding to "Windows-1252"/);
				return true;
			});
		}
	}
	// Far into a big file (past the first chunks, where the delimiter was decided).
	const big = Buffer.concat([Buffer.from('id,text\n'), Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i},"row\n${i}"\n`).join('')), Buffer.from([0x78, 0x2c, 0xe9])]);
	await assert.rejects(table(big, { chunkBytes: 4096 }), (error: BuildProblemsError) => /^Row 5002: is not valid UTF-8/.test(error.description));
	// A character cut between chunks is not an error; a cut at the very end of the file is.
	assert.deepEqual((await table('id\n½\n', { chunkBytes: 4 })).rows[0].values, ['½']);
	await assert.rejects(table(Buffer.from([...Buffer.from('id\n'), 0xc2]), {}), /UTF-8/);
});

test('tab and comma are detected; a single column is never split', async () => {
	assert.equal(detectDelimiter('a\tb\n1\t2\n'), '\t');
	assert.equal(detectDelimiter('a,b\n"x;y",2\n'), ',');
	assert.equal(detectDelimiter('text\nhello; world\n'), undefined);
	assert.equal((await table('text\nhello; world, yes\n')).rows[0].values[0], 'hello; world, yes');
	assert.deepEqual((await table('a;b\n1;2\n', { delimiter: ',' })).columns, ['a;b'], 'an explicit delimiter wins');
});

test('missing cells are empty; extra non-empty values are a problem of that row', async () => {
	assert.deepEqual((await table('a,b,c\n1\n')).rows[0].values, ['1', '', '']);
	assert.deepEqual((await table('a,b\n1,2,,\n')).rows[0].values, ['1', '2']);
	await assert.rejects(table('a,b\n1,2\n3,4,5\n'), (error: BuildProblemsError) => /Row 3: has 3 values but the header has 2 columns/.test(error.description));
});

test('an unclosed quote, a repeated column name, an empty file and a header-only file are errors', async () => {
	await assert.rejects(table('a,b\n1,"open\n2,x\n'), (e: BuildProblemsError) => /Row 2: .*quoted value is not closed/.test(e.description));
	await assert.rejects(table('a,b,a\n1,2,3\n'), (e: BuildProblemsError) => /"a" appears 2 times \(columns 1 and 3\)/.test(e.description));
	await assert.rejects(table('\n\n'), (e: BuildProblemsError) => /is empty/.test(e.description));
	await assert.rejects(table(''), (e: BuildProblemsError) => /is empty/.test(e.description));
	await assert.rejects(table('a,b\n'), (e: BuildProblemsError) => /no data rows/.test(e.description));
});

test('decodeText (whole buffers) follows the same rules', () => {
	assert.equal(decodeText(SAMPLE).slice(0, 7), 'id;text');
	assert.throws(() => decodeText(Buffer.from([0x61, 0xff])), /UTF-8/);
});

/** A file far past the sniffed start: BOM, CRLF, quoted values holding CRLF, the delimiter, quotes and multi-byte characters. */
function bigSample(rows: number) {
	const expected: CsvRow[] = [];
	let text = '\ufeffid;text\r\n';
	for (let i = 0; i < rows; i++) {
		const value = i % 3 === 0 ? `line ${i}\r\nnext; "quoted" ½ 😀 ${'x'.repeat(i % 50)}` : `plain ${i} Grüße`;
		text += `r${i};${i % 3 === 0 ? `"${value.replace(/"/g, '""')}"` : value}\r\n`;
		// Each quoted value spans two physical lines but is one spreadsheet row.
		expected.push({ rowNumber: i + 2, values: [`r${i}`, value] });
	}
	return { bytes: Buffer.from(text, 'utf8'), expected };
}

test('past the sniffed start, rows cut across chunks and parser feeds (quoted CRLF, BOM, multi-byte) come out whole', async () => {
	const { bytes, expected } = bigSample(6000);
	assert.ok(bytes.length > 3 * 64 * 1024, 'well past the first 64 KB');
	for (const options of [{}, { chunkBytes: 7, feedChars: 1 }, { chunkBytes: 4096, feedChars: 1000 }, { chunkBytes: 65_537, feedChars: 3 }]) {
		const parsed = await table(bytes, options);
		assert.deepEqual(parsed.columns, ['id', 'text']);
		assert.deepEqual(parsed.rows, expected, JSON.stringify(options));
	}
	const fromStream = await table(Readable.from([bytes.subarray(0, 100_001), bytes.subarray(100_001)]) as never, {});
	assert.deepEqual(fromStream.rows, expected);
});

test('bytes that are not UTF-8 far into a big file name their row, whatever the chunk and feed sizes', async () => {
	const { bytes } = bigSample(6000);
	// Appended after row 6001 (the last data row): the bad byte starts row 6002.
	const bad = Buffer.concat([bytes, Buffer.from('x;'), Buffer.from([0xe9]), Buffer.from('\r\n')]);
	for (const options of [{}, { chunkBytes: 4096 }, { chunkBytes: 4096, feedChars: 10 }, { chunkBytes: 100_000, feedChars: 50_000 }]) {
		await assert.rejects(table(bad, options), (error: BuildProblemsError) => {
			assert.match(error.description, /^Row 6002: is not valid UTF-8 text/, JSON.stringify(options));
			return true;
		});
	}
});
