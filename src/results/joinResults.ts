import { isFailedLine } from './classify';
import { readLines, type LineSource } from './lines';
import { parseInputLine, parseOutputLine, ResultFileError, type FileRef } from './parseLine';
import { missingRow, toResultRow } from './toResultRow';
import type { ResultOptions, ResultRow } from './types';

export interface ResultSource {
	file: FileRef;
	open: () => Promise<LineSource>;
}

/** The input file; `open` resolves to undefined when the file is gone, and rows then come in output order. */
export interface InputSource {
	file: FileRef;
	open: () => Promise<LineSource | undefined>;
}

export interface JoinParams {
	endpoint: string;
	/** The batch's status: decides how missing rows are explained. */
	batchStatus: string;
	/** Output and error files (either may be absent). Read one after the other, line by line. */
	results: ResultSource[];
	/** The input file gives the order and the missing rows; without it rows come in output order. */
	input?: InputSource;
	options?: ResultOptions;
}

/** A succeeded request when only failures are asked for (never emitted). */
const SUCCEEDED = Symbol('succeeded');
type Indexed = ResultRow | typeof SUCCEEDED;

/**
 * Rows in input-file order. The output and error files are indexed by custom_id, keeping only the compact
 * result of each line (not the line, unless asked); then the input file is streamed and each request is
 * answered from that index, or reported missing. Results whose custom_id is not in the input come last.
 * With `onlyFailures`, a succeeded request is indexed as a bare marker: its answer is never extracted.
 */
export async function* joinResults(params: JoinParams): AsyncGenerator<ResultRow> {
	const options = params.options ?? {};
	const byId = new Map<string, Indexed>();
	for (const source of params.results) {
		for await (const line of readLines(await source.open())) {
			const parsed = parseOutputLine(line, source.file);
			const succeeded = !isFailedLine(parsed);
			const seen = byId.get(parsed.custom_id);
			// A request answered twice (retried into both files): the success wins.
			if (seen && (seen === SUCCEEDED || seen.status === 'succeeded' || !succeeded)) continue;
			byId.set(parsed.custom_id, succeeded && options.onlyFailures ? SUCCEEDED : toResultRow(parsed, params.endpoint, options, line.text));
		}
	}

	const inputLines = params.input ? await params.input.open() : undefined;
	if (params.input && inputLines) {
		const seen = new Set<string>();
		for await (const line of readLines(inputLines)) {
			const request = parseInputLine(line, params.input.file);
			const id = request.custom_id;
			if (seen.has(id)) {
				throw new ResultFileError(
					`custom_id "${id}" appears more than once in the input file ${params.input.file.fileId} (line ${line.lineNumber}): ` +
						'results can only be joined back to rows when every custom_id is unique.',
					params.input.file.fileId,
					line.lineNumber,
				);
			}
			seen.add(id);
			const indexed = byId.get(id) ?? missingRow(id, params.batchStatus);
			byId.delete(id);
			if (indexed === SUCCEEDED) continue;
			yield options.includeRequestBody ? { ...indexed, request: request.body } : indexed;
		}
	}

	for (const indexed of byId.values()) {
		if (indexed === SUCCEEDED) continue;
		yield inputLines ? { ...indexed, not_in_input: true } : indexed;
	}
}
