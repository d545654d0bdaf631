import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildProblemsError } from '../../src/jsonl';
import { decodeText, detectDelimiter, parseTable } from '../../src/csv';

test('semicolons, a BOM, quoted newlines and blank lines: rows numbered as a spreadsheet shows them', () => {
	const bytes = Buffer.concat([
		Buffer.from([0xef, 0xbb, 0xbf]),
		Buffer.from('id;text\nA;"first line\nsecond; line"\n\nB;"say ""hi"""\n\n', 'utf8'),
	]);
	const table = parseTable(decodeText(bytes));
	assert.equal(table.delimiter, ';');
	assert.deepEqual(table.columns, ['id', 'text']);
	assert.deepEqual(table.rows, [
		{ rowNumber: 2, values: ['A', 'first line\nsecond; line'] },
		// the quoted value spans lines 2-3 but is one spreadsheet row; the blank row 3 still counts
		{ rowNumber: 4, values: ['B', 'say "hi"'] },
	]);
});

test('tab and comma are detected; a single column defaults to comma', () => {
	assert.equal(detectDelimiter('a\tb\n1\t2\n'), '\t');
	assert.equal(detectDelimiter('a,b\n"x;y",2\n'), ',');
	assert.equal(detectDelimiter('text\nhello; world\n'), undefined);
	assert.equal(parseTable('text\nhello; world, yes\n').rows[0].values[0], 'hello; world, yes');
});

test('a UTF-16 file (Excel "Unicode text") is decoded', () => {
	const text = 'id\ttext\n1\tÉté\n';
	const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
	assert.deepEqual(parseTable(decodeText(bytes)).rows[0].values, ['1', 'Été']);
});

test('missing cells are empty; extra non-empty values are an error naming the row', () => {
	assert.deepEqual(parseTable('a,b,c\n1\n').rows[0].values, ['1', '', '']);
	assert.deepEqual(parseTable('a,b\n1,2,,\n').rows[0].values, ['1', '2']);
	assert.throws(
		() => parseTable('a,b\n1,2\n3,4,5\n', { fileLabel: 'rows.csv' }),
		(error: BuildProblemsError) => {
			assert.match(error.message, /rows\.csv/);
			assert.match(error.description, /Row 3: has 3 values but the header has 2 columns/);
			return true;
		},
	);
});

test('an unclosed quote, a repeated column name, an empty file and a header-only file are errors', () => {
	assert.throws(() => parseTable('a,b\n1,"open\n'), (e: BuildProblemsError) => /Row 2: .*quote/i.test(e.description));
	assert.throws(() => parseTable('a,b,a\n1,2,3\n'), (e: BuildProblemsError) => /"a" appears 2 times \(columns 1 and 3\)/.test(e.description));
	assert.throws(() => parseTable('\n\n'), (e: BuildProblemsError) => /is empty/.test(e.description));
	assert.throws(() => parseTable('a,b\n'), (e: BuildProblemsError) => /no data rows/.test(e.description));
});

test('an explicit delimiter wins over detection', () => {
	const table = parseTable('a;b\n1;2\n', { delimiter: ',' });
	assert.deepEqual(table.columns, ['a;b']);
});
