import Papa from 'papaparse';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { examplesDir } from './examples';

/** The rows of an example data file, header row as keys. */
export function exampleCsv(fileName: string): Array<Record<string, string>> {
	const text = readFileSync(path.join(examplesDir, 'data', fileName), 'utf8');
	return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}
