import { SLICE_BUDGET_MS, SliceClock } from '../eventLoop';
import type { LooseRequestLine, OutputLine } from '../schemas';
import { isFailedLine } from './classify';
import { countProblem, ResultCountMismatchError, type CountCheck } from './counts';
import { fastCustomId } from './customId';
import { forEachLine, type LineSource } from './lines';
import { parseInputLine, parseOutputLine, ResultFileError, type FileRef } from './parseLine';
import { missingRow, toResultRow } from './toResultRow';
import type { ResultOptions, ResultRow } from './types';

/**
 * Runs `consume` on a file's lines source; may run it again on a fresh download (it must start from
 * scratch). `signal` stops the download when another file of the same join failed.
 */
export type ReadFile<R> = <T>(consume: (lines: LineSource) => Promise<T>, signal?: AbortSignal) => Promise<T | R>;

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

/**
 * Called on each answered row with its output line (e.g. to check the answer), before the `onlyFailures`
 * filter: once per answered custom_id, also when a file is read again; a success as it is indexed, a
 * failure as its row is emitted (never one that a success for the same custom_id replaces).
 */
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

/**
 * A quarter of the usual slice: while the answers are held, a garbage collection that copies them (up to
 * ~60 ms for 200 MB of answers on a busy machine) comes on top of a slice, and the longest stall must stay
 * under ~100 ms. A yield costs microseconds.
 */
const JOIN_SLICE_MS = SLICE_BUDGET_MS / 4;

/** A succeeded request when only failures are asked for (never emitted). */
const SUCCEEDED = Symbol('succeeded');
/** What the index keeps per custom_id: the compact row (never the line's bytes), or a marker for a success not asked for. */
type Indexed = ResultRow | typeof SUCCEEDED;

/**
 * Rows in input-file order. The output and error files are read line by line and each line is parsed
 * once: only its compact row (the extracted answer, usage and error, built by `toResultRow`, then `onRow`)
 * is kept, by custom_id; the line itself is dropped at once. The input file gives the order: each
 * request's custom_id is read without parsing its body when the line has the usual shape, and the request
 * is answered from that index or reported `missing`. It is read at the same time as the output and error
 * files (when one read fails, the other is stopped), except when request bodies are asked for: it is read
 * after them then, so that only the bodies of the rows emitted are parsed. Results whose custom_id is not
 * in the input come last, marked `not_in_input`.
 * A request answered twice (retried into both files): a success wins, else the first read.
 * `onRow` sees every answered row once (see `RowHook`), before the `onlyFailures` filter; with
 * `onlyFailures`, a row whose status is not `succeeded` (after `onRow`) is kept, and without `onRow` a
 * success is kept as a bare marker (its answer never extracted).
 * Rows come only once every file is read whole and the counts add up (see `expected`); every loop yields
 * to the event loop each slice.
 */
export async function* joinResults(params: JoinParams): AsyncGenerator<ResultRow> {
	// One clock for every loop, so that no two slices run back to back without a yield between them.
	const clock = new SliceClock(JOIN_SLICE_MS);
	const hooked: Hooked = new Map();
	let joined: Joined | undefined = await join(params, clock, hooked);
	if (countProblem(params.expected, joined.found)) {
		// Read everything once more: a file cut short at a line end reads as a shorter file. The first
		// index is dropped before (its hooked rows are kept, and used again for the same lines).
		joined = undefined;
		joined = await join(params, clock, hooked);
		const again = countProblem(params.expected, joined.found);
		if (again) throw new ResultCountMismatchError(params.expected!.batchId, params.expected!.requestCounts!, joined.found, again);
	}
	const { onRow } = params;
	const onlyFailures = params.options?.onlyFailures === true;
	const { failed } = joined;
	for (const row of joined.rows) {
		// A failure is hooked only now: once, and only when no success replaced it.
		const line = onRow && row.status === 'failed' ? failed.get(row.custom_id) : undefined;
		const out = line ? onRow!(row, line) : row;
		if (!(line && onlyFailures && out.status === 'succeeded')) yield out;
		if (clock.due()) await clock.yield();
	}
}

interface Joined {
	rows: Iterable<ResultRow>;
	/** The failed lines, by custom_id, whose row `onRow` has still to see. */
	failed: Index['failed'];
	found: { answered: number; inputRows?: number };
}

/** One file's (or all files') answers by custom_id, and which of them come from a failed line. */
interface Index {
	byId: Map<string, Indexed>;
	/**
	 * custom_ids whose kept row comes from a failed line (a success read later replaces it), with the line
	 * when there is an `onRow`: a failure is hooked only as its row is emitted.
	 */
	failed: Map<string, OutputLine | undefined>;
}

/**
 * The succeeded rows `onRow` has seen, by custom_id, kept across a file read again (a cut transfer) and a
 * second join (counts that did not add up), so that the hook sees each once. Holds the same rows as the
 * index (a success not asked for is the bare marker).
 */
type Hooked = Map<string, Indexed>;

async function join(params: JoinParams, clock: SliceClock, hooked: Hooked): Promise<Joined> {
	const { input } = params;
	const withBodies = params.options?.includeRequestBody === true;
	let index: Index;
	let order: InputOrder | undefined;
	if (input && !withBodies) {
		// A download mostly waits on the network: the input file comes while the answers are parsed.
		[index, order] = await allOrStop(
			(signal) => indexResults(params, clock, hooked, signal),
			(signal) => readSource(input, (lines) => readInputOrder(lines, input.file, clock, { signal }), signal),
		);
	} else {
		index = await indexResults(params, clock, hooked);
		// Request bodies are parsed only for the rows emitted, which only the answers tell.
		const { byId } = index;
		const wantsBody = (id: string) => byId.get(id) !== SUCCEEDED;
		order = input ? await readSource(input, (lines) => readInputOrder(lines, input.file, clock, { wantsBody })) : undefined;
	}
	const { byId, failed } = index;
	const answered = byId.size;
	if (!order) return { rows: leftovers(byId, undefined), failed, found: { answered } };
	return {
		rows: chain(await inInputOrder(order, byId, params.batchStatus, clock), leftovers(byId, order.ids)),
		failed,
		found: { answered, inputRows: order.ids.size },
	};
}

/** The output and error files, one after the other, merged into one index. */
async function indexResults(params: JoinParams, clock: SliceClock, hooked: Hooked, signal?: AbortSignal): Promise<Index> {
	let index: Index | undefined;
	for (const source of params.results) {
		// Built inside the read: a transfer found cut is read again from scratch.
		const indexed = await readSource(source, (lines) => indexFile(lines, source.file, params, clock, hooked, signal), signal);
		index = index ? await mergeInto(index, indexed, clock) : indexed;
	}
	return index ?? { byId: new Map<string, Indexed>(), failed: new Map() };
}

/**
 * Runs two reads at once. When one fails, the other is stopped through the signal and awaited (no
 * download is left running), and the first failure is thrown.
 */
async function allOrStop<A, B>(a: (signal: AbortSignal) => Promise<A>, b: (signal: AbortSignal) => Promise<B>): Promise<[A, B]> {
	const stop = new AbortController();
	let failure: { error: unknown } | undefined;
	const watched = <T>(work: Promise<T>) =>
		work.catch((error: unknown) => {
			failure ??= { error };
			stop.abort();
			throw error;
		});
	const [ra, rb] = await Promise.allSettled([watched(a(stop.signal)), watched(b(stop.signal))]);
	if (failure) throw failure.error;
	return [(ra as PromiseFulfilledResult<A>).value, (rb as PromiseFulfilledResult<B>).value];
}

/** One output or error file: custom_id → its compact row (or, with onlyFailures, a marker for a success). */
async function indexFile(lines: LineSource, file: FileRef, params: JoinParams, clock: SliceClock, hooked: Hooked, signal?: AbortSignal): Promise<Index> {
	const index: Index = { byId: new Map(), failed: new Map() };
	const { byId, failed } = index;
	const options = params.options ?? {};
	const { endpoint, onRow } = params;
	const onlyFailures = options.onlyFailures === true;
	// Without a hook a success stays a success: with onlyFailures its answer is never extracted.
	const skipSuccesses = onlyFailures && !onRow;
	const keepText = options.includeRawLine === true;
	await forEachLine(lines, clock, (line) => {
		const text = line.text();
		const parsed = parseOutputLine({ lineNumber: line.lineNumber, text }, file);
		const id = parsed.custom_id;
		const lineFailed = isFailedLine(parsed);
		if (byId.has(id)) {
			// Answered again: only a success replacing a failure counts.
			if (lineFailed || !failed.has(id)) return;
			failed.delete(id);
		}
		if (lineFailed) {
			// Hooked as its row is emitted (see `joinResults`), when no success replaced it.
			failed.set(id, onRow ? parsed : undefined);
			byId.set(id, toResultRow(parsed, endpoint, options, keepText ? text : undefined));
		} else if (skipSuccesses) {
			byId.set(id, SUCCEEDED);
		} else if (onRow) {
			let entry = hooked.get(id);
			if (entry === undefined) {
				entry = afterHook(onRow(toResultRow(parsed, endpoint, options, keepText ? text : undefined), parsed), options);
				hooked.set(id, entry);
			}
			byId.set(id, entry);
		} else {
			byId.set(id, toResultRow(parsed, endpoint, options, keepText ? text : undefined));
		}
	}, signal);
	return index;
}

/** A row as the hook left it; with onlyFailures, one still succeeded becomes the marker. */
function afterHook(row: ResultRow, options: ResultOptions): Indexed {
	return options.onlyFailures && row.status === 'succeeded' ? SUCCEEDED : row;
}

/** Adds a later file's answers: a success replaces a failure read before, else the first read stays. */
async function mergeInto(into: Index, later: Index, clock: SliceClock): Promise<Index> {
	for (const [id, entry] of later.byId) {
		const laterFailed = later.failed.has(id);
		if (!into.byId.has(id) || (into.failed.has(id) && !laterFailed)) {
			into.byId.set(id, entry);
			if (laterFailed) into.failed.set(id, later.failed.get(id));
			else into.failed.delete(id);
		}
		if (clock.due()) await clock.yield();
	}
	return into;
}

/** The input file's custom_ids in file order and, when asked for, the request bodies of some of them. */
interface InputOrder {
	/** Every custom_id of the input file, in file order (a Set keeps insertion order). */
	ids: Set<string>;
	bodies?: Map<string, LooseRequestLine['body']>;
}

/**
 * Reads the input file's custom_ids, each without parsing its body when the line has the usual shape.
 * `wantsBody` asks for the request bodies of some rows (parsed then). All state is built here, so a
 * re-read starts afresh.
 */
async function readInputOrder(
	lines: LineSource,
	file: FileRef,
	clock: SliceClock,
	{ signal, wantsBody }: { signal?: AbortSignal; wantsBody?: (id: string) => boolean },
): Promise<InputOrder> {
	const ids = new Set<string>();
	const bodies = wantsBody ? new Map<string, LooseRequestLine['body']>() : undefined;
	await forEachLine(lines, clock, (line) => {
		let id = fastCustomId(line.buf, line.start, line.end);
		let request: LooseRequestLine | undefined;
		if (id === undefined) {
			request = parseInputLine({ lineNumber: line.lineNumber, text: line.text() }, file);
			id = request.custom_id;
		}
		if (ids.has(id)) {
			throw new ResultFileError(
				`custom_id "${id}" appears more than once in the input file ${file.fileId} (line ${line.lineNumber}): ` +
					'results can only be joined back to rows when every custom_id is unique.',
				file.fileId,
				line.lineNumber,
			);
		}
		ids.add(id);
		if (bodies && wantsBody!(id)) bodies.set(id, (request ?? parseInputLine({ lineNumber: line.lineNumber, text: line.text() }, file)).body);
	}, signal);
	return { ids, bodies };
}

/** Each input request with its row (the answer, or `missing`), in input order. */
async function inInputOrder(order: InputOrder, byId: Map<string, Indexed>, batchStatus: string, clock: SliceClock): Promise<ResultRow[]> {
	const rows: ResultRow[] = [];
	const { bodies } = order;
	for (const id of order.ids) {
		const indexed = byId.get(id);
		if (indexed !== SUCCEEDED) {
			const row = indexed ?? missingRow(id, batchStatus);
			if (bodies) row.request = bodies.get(id);
			rows.push(row);
		}
		if (clock.due()) await clock.yield();
	}
	return rows;
}

/** Results whose custom_id is not in the input (all of them, in output order, without an input file). */
function* leftovers(byId: Map<string, Indexed>, inInput: Set<string> | undefined): Generator<ResultRow> {
	for (const [id, indexed] of byId) {
		if (indexed === SUCCEEDED || inInput?.has(id)) continue;
		if (inInput) indexed.not_in_input = true;
		yield indexed;
	}
}

function* chain<T>(...parts: Iterable<T>[]): Generator<T> {
	for (const part of parts) yield* part;
}

async function readSource<T, R>(
	source: { read?: ReadFile<R>; open?: () => Promise<LineSource | R> },
	consume: (lines: LineSource) => Promise<T>,
	signal?: AbortSignal,
): Promise<T | R> {
	if (source.read) return source.read(consume, signal);
	if (!source.open) throw new Error('A result source needs read or open');
	const lines = await source.open();
	return lines === undefined ? (lines as R) : consume(lines as LineSource);
}
