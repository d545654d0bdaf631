import { SliceClock } from '../eventLoop';
import type { OutputLine } from '../schemas';
import { isFailedLine } from './classify';
import { countProblem, ResultCountMismatchError, type CountCheck } from './counts';
import { fastCustomId } from './customId';
import { forEachLine, type LineSource } from './lines';
import { parseInputLine, parseOutputLine, ResultFileError, type FileRef } from './parseLine';
import { missingRow, toResultRow } from './toResultRow';
import type { ResultOptions, ResultRow } from './types';

/** Runs `consume` on a file's lines source; may run it again on a fresh download (it must start from scratch). */
export type ReadFile<R> = <T>(consume: (lines: LineSource) => Promise<T>) => Promise<T | R>;

export interface ResultSource {
	file: FileRef;
	/** Reads the file (`fetchBatchResults` checks the transfer was whole and re-reads a cut one). */
	read?: ReadFile<never>;
	/** Opens the file, when there is no `read`. */
	open?: () => Promise<LineSource>;
}

/** The input file; resolves to undefined when the file is gone, and rows then come in output order. */
export interface InputSource {
	file: FileRef;
	read?: ReadFile<undefined>;
	open?: () => Promise<LineSource | undefined>;
}

/** Called on each answered row as it is indexed, with its output line (e.g. to check the answer). */
export type RowHook = (row: ResultRow, line: OutputLine) => ResultRow;

export interface JoinParams {
	endpoint: string;
	/** The batch's status: decides how missing rows are explained. */
	batchStatus: string;
	/** Output and error files (either may be absent). Read one after the other, line by line. */
	results: ResultSource[];
	/** The input file gives the order and the missing rows; without it rows come in output order. */
	input?: InputSource;
	options?: ResultOptions;
	/** The batch's `request_counts`: fewer answers found is read once more, then a `ResultCountMismatchError`. */
	expected?: CountCheck;
	onRow?: RowHook;
}

/** A succeeded request when only failures are asked for (never emitted). */
const SUCCEEDED = Symbol('succeeded');
type Indexed = ResultRow | typeof SUCCEEDED;

/**
 * Rows in input-file order. The output and error files are indexed by custom_id, keeping only the compact
 * result of each line (not the line, unless asked); then the input file is read for the order: each
 * request is answered from that index (its custom_id read without parsing the body when the line has the
 * usual shape), or reported missing. Results whose custom_id is not in the input come last.
 * With `onlyFailures`, a succeeded request is indexed as a bare marker: its answer is never extracted.
 * Rows come only once every file is read whole and the counts add up (see `expected`); the loops yield to
 * the event loop every slice.
 */
export async function* joinResults(params: JoinParams): AsyncGenerator<ResultRow> {
	let joined = await join(params);
	const problem = countProblem(params.expected, joined.found);
	if (problem) {
		// Read everything once more: a file cut short at a line end reads as a shorter file.
		joined = await join(params);
		const again = countProblem(params.expected, joined.found);
		if (again) throw new ResultCountMismatchError(params.expected!.batchId, params.expected!.requestCounts!, joined.found, again);
	}
	yield* joined.rows;
}

interface Joined {
	rows: Iterable<ResultRow>;
	found: { answered: number; inputRows?: number };
}

async function join(params: JoinParams): Promise<Joined> {
	const options = params.options ?? {};
	const clock = new SliceClock();
	const byId = new Map<string, Indexed>();
	for (const source of params.results) {
		// Indexing a line twice gives the same entry, so a re-read after a cut transfer starts clean enough.
		await readSource(source, (lines) =>
			forEachLine(lines, clock, (line) => {
				const text = line.text();
				const parsed = parseOutputLine({ lineNumber: line.lineNumber, text }, source.file);
				const succeeded = !isFailedLine(parsed);
				const seen = byId.get(parsed.custom_id);
				// A request answered twice (retried into both files): the success wins.
				if (seen && (seen === SUCCEEDED || seen.status === 'succeeded' || !succeeded)) return;
				if (succeeded && options.onlyFailures) {
					byId.set(parsed.custom_id, SUCCEEDED);
					return;
				}
				const row = toResultRow(parsed, params.endpoint, options, text);
				byId.set(parsed.custom_id, params.onRow ? params.onRow(row, parsed) : row);
			}),
		);
	}
	const answered = byId.size;

	const ordered = params.input ? await readSource(params.input, (lines) => inInputOrder(lines, params, byId, clock)) : undefined;
	if (!ordered) return { rows: leftovers(byId, undefined), found: { answered } };
	return { rows: chain(ordered.rows, leftovers(byId, ordered.seen)), found: { answered, inputRows: ordered.seen.size } };
}

/** The input file's requests in order, each with its result; all state is built here, so a re-read starts afresh. */
async function inInputOrder(lines: LineSource, params: JoinParams, byId: Map<string, Indexed>, clock: SliceClock) {
	const { includeRequestBody } = params.options ?? {};
	const file = params.input!.file;
	const rows: ResultRow[] = [];
	const seen = new Set<string>();
	await forEachLine(lines, clock, (line) => {
		let id = includeRequestBody ? undefined : fastCustomId(line.buf, line.start, line.end);
		let body: Record<string, unknown> | undefined;
		if (id === undefined) {
			const request = parseInputLine({ lineNumber: line.lineNumber, text: line.text() }, file);
			id = request.custom_id;
			body = request.body;
		}
		if (seen.has(id)) {
			throw new ResultFileError(
				`custom_id "${id}" appears more than once in the input file ${file.fileId} (line ${line.lineNumber}): ` +
					'results can only be joined back to rows when every custom_id is unique.',
				file.fileId,
				line.lineNumber,
			);
		}
		seen.add(id);
		const indexed = byId.get(id) ?? missingRow(id, params.batchStatus);
		if (indexed === SUCCEEDED) return;
		rows.push(includeRequestBody ? { ...indexed, request: body } : indexed);
	});
	return { rows, seen };
}

/** Results whose custom_id is not in the input (all of them, in output order, without an input file). */
function* leftovers(byId: Map<string, Indexed>, inInput: Set<string> | undefined): Generator<ResultRow> {
	for (const [id, indexed] of byId) {
		if (indexed === SUCCEEDED || inInput?.has(id)) continue;
		yield inInput ? { ...indexed, not_in_input: true } : indexed;
	}
}

function* chain<T>(...parts: Iterable<T>[]): Generator<T> {
	for (const part of parts) yield* part;
}

async function readSource<T, R>(source: { read?: ReadFile<R>; open?: () => Promise<LineSource | R> }, consume: (lines: LineSource) => Promise<T>): Promise<T | R> {
	if (source.read) return source.read(consume);
	if (!source.open) throw new Error('A result source needs read or open');
	const lines = await source.open();
	return lines === undefined ? (lines as R) : consume(lines as LineSource);
}
