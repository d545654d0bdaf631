import Papa from 'papaparse';
import { BuildProblemsError, ProblemList, formatNumberList, type Problem } from '../jsonl/problems';

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];
/** A control character no spreadsheet writes: parsing a one-column file with it splits nothing. */
const SINGLE_COLUMN = '\u001f';

/** A data row and where a spreadsheet user sees it: the header is row 1, the first data row is row 2. */
export interface CsvRow {
	rowNumber: number;
	/** One value per column of the header, in order ("" for a missing cell). */
	values: string[];
}

export interface CsvTable {
	columns: string[];
	delimiter: Delimiter;
	rows: CsvRow[];
}

export interface ParseTableOptions {
	/** Leave out to detect comma, semicolon or tab from the first rows. */
	delimiter?: Delimiter;
	/** What to call the file in messages, e.g. `"rows.csv"`. */
	fileLabel?: string;
}

/**
 * Reads CSV/TSV text with a header row. Quoted fields may hold delimiters and line breaks; blank
 * lines are skipped but still counted, so row numbers match what a spreadsheet shows. Structural
 * problems (unclosed quotes, a row with more values than the header) are gathered into one
 * BuildProblemsError.
 */
export function parseTable(text: string, options: ParseTableOptions = {}): CsvTable {
	const file = options.fileLabel ?? 'The file';
	const detected = options.delimiter ?? detectDelimiter(text);
	const delimiter = detected ?? ',';
	const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false, delimiter: detected ?? SINGLE_COLUMN });
	const problems = new ProblemList();

	for (const error of parsed.errors) {
		if (error.type === 'Delimiter') continue;
		const rowNumber = typeof error.row === 'number' ? error.row + 1 : undefined;
		problems.add({
			where: rowNumber ? `Row ${rowNumber}` : file,
			message: `${error.message}.`,
			fix:
				error.type === 'Quotes'
					? 'Close the quoted value with a second double quote ("), and write a quote inside a value as two ("").'
					: 'Check the file is a CSV/TSV file with a header row.',
		});
	}

	const records = parsed.data;
	const headerIndex = records.findIndex((r) => !isBlank(r));
	if (headerIndex === -1) {
		throw new BuildProblemsError(
			[{ where: file, message: 'is empty.', fix: 'Give it a header row with column names and one row per request.' }],
			1,
		);
	}
	const columns = records[headerIndex].map((name) => name.trim());
	checkHeader(columns, headerIndex + 1, problems);

	const rows: CsvRow[] = [];
	for (let i = headerIndex + 1; i < records.length; i++) {
		const record = records[i];
		if (isBlank(record)) continue;
		const rowNumber = i + 1;
		if (record.length > columns.length && record.slice(columns.length).some((v) => v.trim() !== '')) {
			problems.add({
				where: `Row ${rowNumber}`,
				message: `has ${record.length} values but the header has ${columns.length} columns.`,
				fix: `Quote values that contain the delimiter ${describeDelimiter(delimiter)}, or add a name for the extra column to the header row.`,
			});
			continue;
		}
		const values = columns.map((_, c) => record[c] ?? '');
		rows.push({ rowNumber, values });
	}
	problems.throwIfAny(`Could not read ${options.fileLabel ?? 'the file'} as a table; nothing was uploaded`);
	if (rows.length === 0) {
		throw new BuildProblemsError(
			[{ where: file, message: 'has a header row but no data rows.', fix: 'Add one row per request below the header.' }],
			1,
		);
	}
	return { columns, delimiter, rows };
}

function checkHeader(columns: string[], rowNumber: number, problems: ProblemList): void {
	const positions = new Map<string, number[]>();
	columns.forEach((name, index) => {
		if (name === '') return;
		positions.set(name, [...(positions.get(name) ?? []), index + 1]);
	});
	for (const [name, at] of positions) {
		if (at.length < 2) continue;
		const problem: Problem = {
			where: `Row ${rowNumber}`,
			message: `the column name "${name}" appears ${at.length} times (columns ${formatNumberList(at)}).`,
			fix: 'Give each column its own name.',
		};
		problems.add(problem);
	}
}

/**
 * The delimiter that splits the header row into the most columns (comma, semicolon or tab; ties go
 * to papaparse's guess over the first rows). `undefined` when the header is a single column: then no
 * character splits the rows, so "hello, world" in a one-column file stays one value.
 */
export function detectDelimiter(text: string): Delimiter | undefined {
	const header = (d: Delimiter) => Papa.parse<string[]>(text, { header: false, preview: 1, skipEmptyLines: true, delimiter: d }).data[0] ?? [];
	const widths = DELIMITERS.map((d) => header(d).length);
	const widest = Math.max(...widths);
	if (widest <= 1) return undefined;
	const tied = DELIMITERS.filter((_, i) => widths[i] === widest);
	if (tied.length === 1) return tied[0];
	const guess = Papa.parse<string[]>(text, { header: false, preview: 20, skipEmptyLines: true, delimitersToGuess: tied }).meta.delimiter;
	return tied.find((d) => d === guess) ?? tied[0];
}

function describeDelimiter(delimiter: Delimiter): string {
	return delimiter === '\t' ? '(tab)' : `"${delimiter}"`;
}

function isBlank(record: string[]): boolean {
	return record.every((value) => value.trim() === '');
}
