import { SliceClock } from '../eventLoop';
import type { OutputLine } from '../schemas';
import { isFailedLine } from './classify';
import { countProblem, ResultCountMismatchError, type CountCheck } from './counts';
import { fastCustomId } from './customId';
import { forEachLine, type LineSource, type TextLine } from './lines';
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

/** A line kept as its bytes (off the JS heap, so holding 50,000 of them costs the garbage collector nothing) until its row is due. */
interface HeldLine {
	bytes: Buffer;
	lineNumber: number;
	file: FileRef;
	/** The same custom_id answered again (retried into both files): the success wins. */
	other?: HeldLine;
}
type Held = HeldLine | typeof SUCCEEDED;

/**
 * Rows in input-file order. The output and error files are indexed by custom_id, read without parsing
 * the line when it has the usual shape, and each line is kept as its bytes; then the input file is read
 * for the order (its custom_ids read the same way) and each row is built when it is due: the line is
 * parsed once, checked, and only its extracted answer, usage and error kept. Requests in neither file are
 * `missing`; results whose custom_id is not in the input come last. With `onlyFailures`, lines are parsed
 * while indexing and a succeeded request is kept as a bare marker: its answer is never extracted.
 * Rows come only once every file is read whole and the counts add up (see `expected`); every loop yields
 * to the event loop each slice.
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
	const clock = new SliceClock();
	const options = params.options ?? {};
	for (const { id, held, request } of joined.order) {
		const row = held === undefined ? missingRow(id, params.batchStatus) : toRow(held, params);
		if (clock.due()) await clock.yield();
		if (row === undefined) continue;
		if (options.includeRequestBody && request) row.request = parseInputLine(lineOf(request), request.file).body;
		if (joined.inInput && !joined.inInput.has(id)) row.not_in_input = true;
		yield row;
	}
}

interface Due {
	id: string;
	held?: Held;
	/** The input line, when request bodies are asked for. */
	request?: HeldLine;
}

interface Joined {
	order: Iterable<Due>;
	/** The custom_ids of the input file, when it was read. */
	inInput?: Set<string>;
	found: { answered: number; inputRows?: number };
}

async function join(params: JoinParams): Promise<Joined> {
	const clock = new SliceClock();
	let byId: Map<string, Held> | undefined;
	for (const source of params.results) {
		// Built inside the read: a transfer found cut is read again from scratch.
		const indexed = await readSource(source, (lines) => indexFile(lines, source.file, params, clock));
		if (!byId) byId = indexed;
		else for (const [id, held] of indexed) byId.set(id, merge(byId.get(id), held));
		if (clock.due()) await clock.yield();
	}
	byId ??= new Map();
	const answered = byId.size;

	const ordered = params.input ? await readSource(params.input, (lines) => inInputOrder(lines, params, byId, clock)) : undefined;
	if (!ordered) return { order: leftovers(byId, undefined), found: { answered } };
	return {
		order: chain(ordered.order, leftovers(byId, ordered.seen)),
		inInput: ordered.seen,
		found: { answered, inputRows: ordered.seen.size },
	};
}

/** One output or error file: custom_id → the line's bytes (or, with onlyFailures, a marker for a success). */
async function indexFile(lines: LineSource, file: FileRef, params: JoinParams, clock: SliceClock): Promise<Map<string, Held>> {
	const byId = new Map<string, Held>();
	// With an onRow hook every answered row is built (the hook may turn a success into a failure).
	const onlyFailures = params.options?.onlyFailures && !params.onRow;
	await forEachLine(lines, clock, (line) => {
		const held: HeldLine = { bytes: line.buf.subarray(line.start, line.end), lineNumber: line.lineNumber, file };
		let id = onlyFailures ? undefined : fastCustomId(line.buf, line.start, line.end);
		let entry: Held = held;
		if (id === undefined) {
			const parsed = parseOutputLine(lineOf(held), file);
			id = parsed.custom_id;
			if (onlyFailures && !isFailedLine(parsed)) entry = SUCCEEDED;
		}
		byId.set(id, merge(byId.get(id), entry));
	});
	return byId;
}

function merge(seen: Held | undefined, next: Held): Held {
	if (seen === undefined || next === SUCCEEDED) return next;
	if (seen === SUCCEEDED) return seen;
	return { ...next, other: next.other ? (merge(seen, next.other) as HeldLine) : seen };
}

/** The row of an answered request; undefined for a success when only failures are asked for. */
function toRow(held: Held, params: JoinParams): ResultRow | undefined {
	if (held === SUCCEEDED) return undefined;
	const options = params.options ?? {};
	let chosen: { line: OutputLine; text: string } | undefined;
	// Newest first. A request answered twice (retried into both files): a success wins, else the first read.
	for (let at: HeldLine | undefined = held; at; at = at.other) {
		const text = at.bytes.toString('utf8');
		const line = parseOutputLine({ lineNumber: at.lineNumber, text }, at.file);
		if (!chosen || !isFailedLine(line) || isFailedLine(chosen.line)) chosen = { line, text };
	}
	if (!chosen || (options.onlyFailures && !params.onRow && !isFailedLine(chosen.line))) return undefined;
	const row = toResultRow(chosen.line, params.endpoint, options, chosen.text);
	const checked = params.onRow ? params.onRow(row, chosen.line) : row;
	return options.onlyFailures && checked.status === 'succeeded' ? undefined : checked;
}

/** The input file's requests in order; all state is built here, so a re-read starts afresh. */
async function inInputOrder(lines: LineSource, params: JoinParams, byId: Map<string, Held>, clock: SliceClock) {
	const { includeRequestBody } = params.options ?? {};
	const file = params.input!.file;
	const order: Due[] = [];
	const seen = new Set<string>();
	await forEachLine(lines, clock, (line) => {
		// The line's bytes are kept only when its body is asked for.
		const held: HeldLine | undefined = includeRequestBody
			? { bytes: line.buf.subarray(line.start, line.end), lineNumber: line.lineNumber, file }
			: undefined;
		const id =
			fastCustomId(line.buf, line.start, line.end) ??
			parseInputLine({ lineNumber: line.lineNumber, text: line.text() }, file).custom_id;
		if (seen.has(id)) {
			throw new ResultFileError(
				`custom_id "${id}" appears more than once in the input file ${file.fileId} (line ${line.lineNumber}): ` +
					'results can only be joined back to rows when every custom_id is unique.',
				file.fileId,
				line.lineNumber,
			);
		}
		seen.add(id);
		order.push({ id, held: byId.get(id), request: held });
	});
	return { order, seen };
}

/** Results whose custom_id is not in the input (all of them, in output order, without an input file). */
function* leftovers(byId: Map<string, Held>, inInput: Set<string> | undefined): Generator<Due> {
	for (const [id, held] of byId) if (!inInput?.has(id)) yield { id, held };
}

function* chain<T>(...parts: Iterable<T>[]): Generator<T> {
	for (const part of parts) yield* part;
}

function lineOf(held: HeldLine): TextLine {
	return { lineNumber: held.lineNumber, text: held.bytes.toString('utf8') };
}

async function readSource<T, R>(source: { read?: ReadFile<R>; open?: () => Promise<LineSource | R> }, consume: (lines: LineSource) => Promise<T>): Promise<T | R> {
	if (source.read) return source.read(consume);
	if (!source.open) throw new Error('A result source needs read or open');
	const lines = await source.open();
	return lines === undefined ? (lines as R) : consume(lines as LineSource);
}
