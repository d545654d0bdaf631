import { SliceClock } from '../eventLoop';
import type { BatchEndpoint } from '../schemas';
import { CustomIdRegistry, generatedCustomId } from './customIds';
import { IMPALA_BATCH_LIMITS, PartPlanner, describeExceeded, type BatchLimits, type Counts, type PartPlan } from './limits';
import { BuildProblemsError, DEFAULT_PROBLEM_CAP, ProblemList, formatNumberList } from './problems';
import { JSONL_PREVIEW_LINES } from './partOutput';
import { buildRequestText, type RowRequest } from './requestLine';
import { LineSpool, type SpoolOptions } from './spool';

/** A field of a row that could not be read (an expression that failed, JSON that does not parse). */
export class RowFieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly fix?: string,
	) {
		super(message);
		this.name = 'RowFieldError';
	}
}

/** One row of the input, read once. */
export interface SourceRow {
	/** The number the user sees (spreadsheet row or item number). */
	number: number;
	/** The n8n item behind the row, for pairedItem and itemIndex. */
	itemIndex: number;
	/** Set when the row itself is broken (e.g. a CSV row with more values than the header). */
	problem?: { message: string; fix?: string };
	/** The row's request; `customId` undefined when ids are generated. Throws RowFieldError. */
	read(): Omit<RowRequest, 'customId'> & { customId?: string };
}

/** The rows a batch is built from: n8n items or the rows of a file, each read once, in order. */
export interface RowSource {
	/** "Row" (a file, numbered like a spreadsheet) or "Item" (n8n items, from 1). */
	readonly noun: 'Row' | 'Item';
	rows(clock: SliceClock): AsyncIterable<SourceRow>;
	/** What to do when `field` is wrong on this row, e.g. which column to fill in. */
	fixFor?(field: string, row: SourceRow): string | undefined;
}

export interface BuildSettings {
	endpoint: BatchEndpoint;
	/** Generate `row-1`, `row-2`, ... instead of reading the custom ID of each row. */
	generateCustomIds: boolean;
	/** Cut into several parts when one batch cannot hold everything; otherwise going over is an error. */
	split: boolean;
	limits?: BatchLimits;
	problemCap?: number;
	/**
	 * Called once per built request body that passed every check, before it is serialized (e.g. the
	 * token estimate). Keep it cheap and do not change the body.
	 */
	onBody?: (body: Record<string, unknown>, row: SourceRow) => void;
}

/** One batch's share of the lines, and where its bytes are in the spool. */
export interface BuiltPart extends PartPlan {
	/** Row numbers the user sees, of the first and last row. */
	firstRow: number;
	lastRow: number;
	/** The n8n items behind its rows, in order. */
	items: number[];
	/** Byte offset of its first line in the spool; it ends `bytes` later. */
	start: number;
	/** Its first lines, parsed (JSONL_PREVIEW_LINES). */
	preview: unknown[];
}

/** Every line built and checked, held in the spool until it is uploaded. */
export interface BuildResult {
	endpoint: BatchEndpoint;
	noun: RowSource['noun'];
	parts: BuiltPart[];
	totals: Counts;
	rows: number;
	/** The lines; the caller must `dispose()` it. */
	spool: LineSpool;
}

export interface BuildOptions {
	spool?: SpoolOptions;
	signal?: AbortSignal;
	clock?: SliceClock;
}

/** Size of the buffers lines are written into before they go to the spool (smaller for a small spool bound). */
const CHUNK_BYTES = 256 * 1024;
const MIN_CHUNK_BYTES = 16 * 1024;

/**
 * Writes each line's UTF-8 bytes once, into big buffers, and gives the exact byte count as it does:
 * no second pass to count bytes, no long strings glued together. A line is written tentatively
 * (`write`) and kept only when `keep` follows; full buffers wait in `ready` for the spool.
 */
class LineWriter {
	private buffer: Buffer;
	private used = 0;
	private pending = 0;
	readonly ready: Buffer[] = [];

	constructor(private readonly chunkBytes: number) {
		this.buffer = Buffer.allocUnsafe(chunkBytes);
	}

	/** Writes `json` and a "\n" after the kept lines and returns their size in bytes. */
	writeLine(json: string): number {
		// At most 3 bytes per UTF-16 unit (+1 for the newline): with that much room the line is surely written
		// whole. Short of that, the exact size decides, so that a long line never gets a buffer 3 times its size.
		const room = this.buffer.length - this.used;
		if (json.length * 3 + 1 > room) {
			const exact = Buffer.byteLength(json, 'utf8') + 1;
			if (exact > room) {
				if (this.used > 0) this.ready.push(this.buffer.subarray(0, this.used));
				this.buffer = Buffer.allocUnsafe(Math.max(this.chunkBytes, exact));
				this.used = 0;
			}
		}
		const end = this.used + this.buffer.write(json, this.used, 'utf8');
		this.buffer[end] = 0x0a;
		this.pending = end + 1 - this.used;
		return this.pending;
	}

	/** Keeps the line written last. */
	keep(): void {
		this.used += this.pending;
		this.pending = 0;
	}

	/** What is kept and not yet handed over. */
	rest(): Buffer | undefined {
		if (this.used === 0) return undefined;
		const rest = this.buffer.subarray(0, this.used);
		this.buffer = Buffer.alloc(0);
		this.used = 0;
		return rest;
	}
}

/**
 * The one pass: reads, builds and checks every row once, counts the limits and keeps the lines in a
 * spool. Throws one BuildProblemsError listing every problem (up to the cap), so nothing is uploaded
 * unless every line is valid. On any failure the spool is removed before the error leaves.
 */
export async function buildLines(source: RowSource, settings: BuildSettings, options: BuildOptions = {}): Promise<BuildResult> {
	const limits = settings.limits ?? IMPALA_BATCH_LIMITS;
	const problems = new ProblemList(settings.problemCap ?? DEFAULT_PROBLEM_CAP);
	const ids = new CustomIdRegistry();
	const planner = new PartPlanner(limits);
	const clock = options.clock ?? new SliceClock();
	const spool = new LineSpool(options.spool);
	const extras: Array<Omit<BuiltPart, keyof PartPlan | 'start'>> = [];
	const writer = new LineWriter(Math.max(MIN_CHUNK_BYTES, Math.min(CHUNK_BYTES, Math.floor(spool.memoryBytes / 4))));
	let index = 0;
	try {
		for await (const row of source.rows(clock)) {
			if (clock.due()) {
				await clock.yield();
				options.signal?.throwIfAborted();
			}
			const rowIndex = index++;
			if (row.problem) {
				problems.add({ where: rowName(source, row), ...row.problem, itemIndex: row.itemIndex });
				continue;
			}
			const built = buildRow(row, settings, rowIndex);
			// An ID already refused on this row (blank, too long...) is reported once, not again as a duplicate.
			const idRefused = !built.ok && built.issues.some((issue) => issue.field === 'Custom ID');
			if (built.customId && !idRefused) ids.add(built.customId, row.number);
			if (!built.ok) {
				for (const issue of built.issues) {
					problems.add({
						where: rowName(source, row),
						field: issue.field,
						message: issue.message,
						fix: issue.fix ?? source.fixFor?.(baseField(issue.field), row),
						itemIndex: row.itemIndex,
					});
				}
				continue;
			}
			const line = { bytes: writer.writeLine(built.json), embeddingInputs: built.embeddingInputs };
			if (planner.tooBigAlone(line)) {
				problems.add({
					where: rowName(source, row),
					message: `is too big for any batch on its own: ${describeExceeded({ lines: 1, ...line }, limits).join(', ')}.`,
					fix: 'Make this row smaller (shorter text, fewer inputs).',
					itemIndex: row.itemIndex,
				});
				continue;
			}
			const partsBefore = planner.parts.length;
			planner.add(rowIndex, line);
			if (!problems.isEmpty) continue; // Nothing will be uploaded: keep checking, stop keeping.
			if (planner.parts.length > partsBefore) extras.push({ firstRow: row.number, lastRow: row.number, items: [], preview: [] });
			const part = extras[extras.length - 1];
			part.lastRow = row.number;
			if (part.items[part.items.length - 1] !== row.itemIndex) part.items.push(row.itemIndex);
			if (part.preview.length < JSONL_PREVIEW_LINES) part.preview.push(JSON.parse(built.json));
			writer.keep();
			while (writer.ready.length > 0) await spool.append(writer.ready.shift()!);
		}
		options.signal?.throwIfAborted();

		for (const { customId, rows } of ids.duplicates()) {
			// Only the listed problems are written out (a file appended to itself repeats every ID).
			problems.add(() => ({
				where: `${source.noun}s ${formatNumberList(rows)}`,
				field: 'Custom ID',
				message: `all use the custom ID "${customId}"; each request needs its own.`,
				fix: settings.generateCustomIds
					? undefined
					: 'Make the values unique, or set Custom ID to "Generate" (row-1, row-2, ...).',
			}));
			if (clock.due()) await clock.yield();
		}
		problems.throwIfAny();

		const exceeded = describeExceeded(planner.totals, limits);
		if (exceeded.length > 0 && !settings.split) {
			throw new BuildProblemsError(
				[
					{
						where: 'The rows',
						message: `make ${exceeded.join(', ')}.`,
						fix: 'Turn on "Split Into Several Batches" to create as many batches as needed, or send fewer rows.',
					},
				],
				1,
				`Too much for one batch: ${exceeded.join(', ')}; nothing was uploaded`,
			);
		}
		const rest = writer.rest();
		if (rest) await spool.append(rest);
		await spool.close();
		let start = 0;
		const parts = planner.parts.map((plan, i) => {
			const part = { ...plan, ...extras[i], start };
			start += plan.bytes;
			return part;
		});
		return { endpoint: settings.endpoint, noun: source.noun, parts, totals: planner.totals, rows: index, spool };
	} catch (error) {
		await spool.dispose();
		throw error;
	}
}

/** "Item 12", "Row 7": made only when a problem is listed, not for every row. */
function rowName(source: RowSource, row: SourceRow): string {
	return `${source.noun} ${row.number}`;
}

type RowResult =
	| { ok: true; customId: string; json: string; embeddingInputs: number }
	| { ok: false; customId?: string; issues: Array<{ field: string; message: string; fix?: string }> };

function buildRow(row: SourceRow, settings: BuildSettings, index: number): RowResult {
	let request: ReturnType<SourceRow['read']>;
	try {
		request = row.read();
	} catch (error) {
		if (error instanceof RowFieldError) return { ok: false, issues: [{ field: error.field, message: error.message, fix: error.fix }] };
		throw error;
	}
	if (request.input.endpoint !== settings.endpoint) {
		throw new Error(`Row input is for ${request.input.endpoint}, the batch is for ${settings.endpoint}`);
	}
	const customId = settings.generateCustomIds ? generatedCustomId(index) : (request.customId ?? '');
	const onBody = settings.onBody;
	const result = buildRequestText({ ...request, customId }, onBody && ((body) => onBody(body, row)));
	return result.ok
		? { ok: true, customId, json: result.json, embeddingInputs: result.embeddingInputs }
		: { ok: false, customId, issues: result.issues };
}

/** "Extra Messages (message 2)" -> "Extra Messages": the node field a hint is about. */
function baseField(field: string): string {
	const at = field.indexOf(' (');
	return at === -1 ? field : field.slice(0, at);
}
