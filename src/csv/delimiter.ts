import Papa from 'papaparse';

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

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
