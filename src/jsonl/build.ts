import { createHash } from 'node:crypto';
import type { BatchEndpoint } from '../schemas';
import { CustomIdRegistry, generatedCustomId } from './customIds';
import { IMPALA_BATCH_LIMITS, PartPlanner, describeExceeded, type BatchLimits, type Counts, type PartPlan } from './limits';
import { BuildProblemsError, DEFAULT_PROBLEM_CAP, ProblemList, formatNumberList } from './problems';
import { buildRequestLine, type BuiltLine, type RowRequest } from './requestLine';

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

/** The rows a batch is built from: n8n items or the rows of a file. Read twice, so reads must repeat. */
export interface RowSource {
	readonly size: number;
	/** "Row" (a file, numbered like a spreadsheet) or "Item" (n8n items, from 1). */
	readonly noun: 'Row' | 'Item';
	/** The number the user sees for the row at `index`. */
	numberOf(index: number): number;
	/** The n8n item behind the row, for pairedItem and itemIndex. */
	itemIndexOf(index: number): number;
	/** The row's request; `customId` undefined when ids are generated. Throws RowFieldError. */
	read(index: number): Omit<RowRequest, 'customId'> & { customId?: string };
	/** What to do when `field` is wrong on this row, e.g. which column to fill in. */
	fixFor?(field: string, index: number): string | undefined;
}

export interface BuildSettings {
	endpoint: BatchEndpoint;
	/** Generate `row-1`, `row-2`, ... instead of reading the custom ID of each row. */
	generateCustomIds: boolean;
	/** Cut into several parts when one batch cannot hold everything; otherwise going over is an error. */
	split: boolean;
	limits?: BatchLimits;
	problemCap?: number;
}

/** Pass one's result: what each part holds, and a fingerprint of every line to check pass two. */
export interface BuildPlan {
	endpoint: BatchEndpoint;
	parts: PartPlan[];
	totals: Counts;
	rows: number;
	/** 16 bytes per row: MD5 of its line (a change detector, not a security measure). */
	fingerprints: Buffer;
}

const FINGERPRINT_BYTES = 16;

/**
 * Pass one: builds and validates every line, checks custom_ids and counts the limits, keeping only
 * counts, ids and a 16-byte fingerprint per line. Throws one BuildProblemsError listing every problem
 * (up to the cap), so nothing is uploaded unless every line is valid.
 */
export function planBuild(source: RowSource, settings: BuildSettings): BuildPlan {
	const limits = settings.limits ?? IMPALA_BATCH_LIMITS;
	const problems = new ProblemList(settings.problemCap ?? DEFAULT_PROBLEM_CAP);
	const ids = new CustomIdRegistry();
	const planner = new PartPlanner(limits);
	const fingerprints = Buffer.alloc(source.size * FINGERPRINT_BYTES);

	for (let index = 0; index < source.size; index++) {
		const where = `${source.noun} ${source.numberOf(index)}`;
		const itemIndex = source.itemIndexOf(index);
		const built = buildRow(source, settings, index);
		// An ID already refused on this row (blank, too long...) is reported once, not again as a duplicate.
		const idRefused = !built.ok && built.issues.some((issue) => issue.field === 'Custom ID');
		if (built.customId && !idRefused) ids.add(built.customId, source.numberOf(index));
		if (!built.ok) {
			for (const issue of built.issues) {
				problems.add({
					where,
					field: issue.field,
					message: issue.message,
					fix: issue.fix ?? source.fixFor?.(baseField(issue.field), index),
					itemIndex,
				});
			}
			continue;
		}
		if (planner.tooBigAlone(built.line)) {
			problems.add({
				where,
				message: `is too big for any batch on its own: ${describeExceeded({ lines: 1, ...built.line }, limits).join(', ')}.`,
				fix: 'Make this row smaller (shorter text, fewer inputs).',
				itemIndex,
			});
			continue;
		}
		planner.add(index, built.line);
		fingerprint(built.line.text).copy(fingerprints, index * FINGERPRINT_BYTES);
	}

	for (const { customId, rows } of ids.duplicates()) {
		problems.add({
			where: `${source.noun}s ${formatNumberList(rows)}`,
			field: 'Custom ID',
			message: `all use the custom ID "${customId}"; each request needs its own.`,
			fix: settings.generateCustomIds
				? undefined
				: 'Make the values unique, or set Custom ID to "Generate" (row-1, row-2, ...).',
		});
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
	return { endpoint: settings.endpoint, parts: planner.parts, totals: planner.totals, rows: source.size, fingerprints };
}

/** Thrown in pass two when a row no longer builds the line pass one validated. */
export class RowChangedError extends Error {
	constructor(readonly where: string, readonly itemIndex: number) {
		super(
			`${where} built a different request the second time it was read, so the upload was stopped and no batch was created from it. ` +
				'Make its fields return the same value every time they are read (avoid $now, Math.random() and similar in expressions).',
		);
		this.name = 'RowChangedError';
	}
}

/**
 * Pass two: the lines of one part, rebuilt from the source and yielded in chunks of about
 * `chunkBytes` for the upload. Every line must match its pass-one fingerprint, so what is uploaded is
 * exactly what was validated and counted.
 */
export async function* partLines(
	source: RowSource,
	settings: BuildSettings,
	plan: BuildPlan,
	partIndex: number,
	chunkBytes = 64 * 1024,
): AsyncGenerator<string> {
	const part = plan.parts[partIndex];
	let chunk = '';
	for (let index = part.first; index < part.end; index++) {
		const built = buildRow(source, settings, index);
		const expected = plan.fingerprints.subarray(index * FINGERPRINT_BYTES, (index + 1) * FINGERPRINT_BYTES);
		if (!built.ok || !fingerprint(built.line.text).equals(expected)) {
			throw new RowChangedError(`${source.noun} ${source.numberOf(index)}`, source.itemIndexOf(index));
		}
		chunk += built.line.text;
		if (chunk.length >= chunkBytes) {
			yield chunk;
			chunk = '';
		}
	}
	if (chunk) yield chunk;
}

type RowResult =
	| { ok: true; customId: string; line: BuiltLine }
	| { ok: false; customId?: string; issues: Array<{ field: string; message: string; fix?: string }> };

function buildRow(source: RowSource, settings: BuildSettings, index: number): RowResult {
	let request: ReturnType<RowSource['read']>;
	try {
		request = source.read(index);
	} catch (error) {
		if (error instanceof RowFieldError) return { ok: false, issues: [{ field: error.field, message: error.message, fix: error.fix }] };
		throw error;
	}
	if (request.input.endpoint !== settings.endpoint) {
		throw new Error(`Row input is for ${request.input.endpoint}, the batch is for ${settings.endpoint}`);
	}
	const customId = settings.generateCustomIds ? generatedCustomId(index) : (request.customId ?? '');
	const result = buildRequestLine({ ...request, customId });
	return result.ok ? { ok: true, customId, line: result.line } : { ok: false, customId, issues: result.issues };
}

function fingerprint(text: string): Buffer {
	return createHash('md5').update(text, 'utf8').digest();
}

/** "Extra Messages (message 2)" -> "Extra Messages": the node field a hint is about. */
function baseField(field: string): string {
	const at = field.indexOf(' (');
	return at === -1 ? field : field.slice(0, at);
}
