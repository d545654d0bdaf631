import { readLines, type LineSource } from './lines';
import { parseInputLine, parseOutputLine, ResultFileError, type FileRef } from './parseLine';
import { missingRow, toResultRow } from './toResultRow';
import type { ResultOptions, ResultRow } from './types';

export interface ResultSource {
	file: FileRef;
	open: () => Promise<LineSource>;
}

export interface JoinParams {
	endpoint: string;
	/** The batch's status: decides how missing rows are explained. */
	batchStatus: string;
	/** Output and error files (either may be absent). Read one after the other, line by line. */
	results: ResultSource[];
	/** The input file gives the order and the missing rows; without it rows come in output order. */
	input?: ResultSource;
	options?: ResultOptions;
}

/**
 * Rows in input-file order. The output and error files are indexed by custom_id, keeping only the compact
 * result of each line (not the line, unless asked); then the input file is streamed and each request is
 * answered from that index, or reported missing. Results whose custom_id is not in the input come last.
 */
export async function* joinResults(params: JoinParams): AsyncGenerator<ResultRow> {
	const options = params.options ?? {};
	const byId = new Map<string, ResultRow>();
	for (const source of params.results) {
		for await (const line of readLines(await source.open())) {
			const parsed = parseOutputLine(line, source.file);
			const row = toResultRow(parsed, params.endpoint, options, line.text);
			const seen = byId.get(row.custom_id);
			// A request answered twice (retried into both files): the success wins.
			if (!seen || (seen.status !== 'succeeded' && row.status === 'succeeded')) byId.set(row.custom_id, row);
		}
	}

	if (params.input) {
		const seen = new Set<string>();
		for await (const line of readLines(await params.input.open())) {
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
			let row = byId.get(id) ?? missingRow(id, params.batchStatus);
			byId.delete(id);
			if (options.includeRequestBody) row = { ...row, request: request.body };
			if (keep(row, options)) yield row;
		}
	}

	for (const row of byId.values()) {
		const leftover: ResultRow = params.input ? { ...row, not_in_input: true } : row;
		if (keep(leftover, options)) yield leftover;
	}
}

function keep(row: ResultRow, options: ResultOptions): boolean {
	return !options.onlyFailures || row.status !== 'succeeded';
}
