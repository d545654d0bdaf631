import { LooseRequestLineSchema, OutputLineSchema, type LooseRequestLine, type OutputLine } from '../schemas';
import type { TextLine } from './lines';
import { isOutputLine } from './outputShape';

/** Which file a line came from, for error messages that name the row. */
export interface FileRef {
	/** "output file", "error file", "input file" */
	role: string;
	fileId: string;
}

export class ResultFileError extends Error {
	constructor(
		message: string,
		readonly fileId: string,
		readonly lineNumber: number,
	) {
		super(message);
		this.name = 'ResultFileError';
	}
}

/** Checked by the fast shape test; zod only explains a line that fails it (and has the last word). */
export function parseOutputLine(line: TextLine, file: FileRef): OutputLine {
	const value = parseJson(line, file);
	if (isOutputLine(value)) return value;
	const parsed = OutputLineSchema.safeParse(value);
	if (!parsed.success) throw shapeError(line, file, parsed.error.issues, 'an output line with a custom_id');
	return parsed.data;
}

export function parseInputLine(line: TextLine, file: FileRef): LooseRequestLine {
	const parsed = LooseRequestLineSchema.safeParse(parseJson(line, file));
	if (!parsed.success) throw shapeError(line, file, parsed.error.issues, 'a request line with custom_id, url and body');
	return parsed.data;
}

function parseJson(line: TextLine, file: FileRef): unknown {
	try {
		return JSON.parse(line.text);
	} catch (error) {
		throw new ResultFileError(
			`Line ${line.lineNumber} of the ${file.role} ${file.fileId} is not valid JSON (${(error as Error).message}). ` +
				`Download the file to inspect that line.`,
			file.fileId,
			line.lineNumber,
		);
	}
}

function shapeError(
	line: TextLine,
	file: FileRef,
	issues: { path: (string | number)[]; message: string }[],
	expected: string,
): ResultFileError {
	const problems = issues
		.slice(0, 3)
		.map((issue) => `${issue.path.join('.') || 'the line'}: ${issue.message}`)
		.join('; ');
	return new ResultFileError(
		`Line ${line.lineNumber} of the ${file.role} ${file.fileId} is not ${expected} (${problems}). ` +
			'Download the file to inspect that line.',
		file.fileId,
		line.lineNumber,
	);
}
