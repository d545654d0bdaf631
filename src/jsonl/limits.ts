import { LIMITS } from '../schemas';

/** What one batch input file may hold. Tests pass smaller numbers; the node uses Impala's. */
export interface BatchLimits {
	maxLines: number;
	maxBytes: number;
	maxEmbeddingInputs: number;
}

export const IMPALA_BATCH_LIMITS: BatchLimits = {
	maxLines: LIMITS.maxRequestsPerBatch,
	maxBytes: LIMITS.maxBatchFileBytes,
	maxEmbeddingInputs: LIMITS.maxEmbeddingInputsPerBatch,
};

export interface Counts {
	lines: number;
	bytes: number;
	embeddingInputs: number;
}

/** One batch's share of the rows: source rows `first` (inclusive) to `end` (exclusive). */
export interface PartPlan extends Counts {
	first: number;
	end: number;
}

function emptyCounts(): Counts {
	return { lines: 0, bytes: 0, embeddingInputs: 0 };
}

function addCounts(to: Counts, line: { bytes: number; embeddingInputs: number }): void {
	to.lines += 1;
	to.bytes += line.bytes;
	to.embeddingInputs += line.embeddingInputs;
}

/** Each limit the counts go over, said in plain words; empty when they fit one batch. */
export function describeExceeded(counts: Counts, limits: BatchLimits): string[] {
	const n = (x: number) => x.toLocaleString('en-US');
	const out: string[] = [];
	if (counts.lines > limits.maxLines) out.push(`${n(counts.lines)} requests (at most ${n(limits.maxLines)} per batch)`);
	if (counts.bytes > limits.maxBytes) {
		out.push(`${formatBytes(counts.bytes)} (${n(counts.bytes)} bytes; at most ${formatBytes(limits.maxBytes)} per batch file)`);
	}
	if (counts.embeddingInputs > limits.maxEmbeddingInputs) {
		out.push(`${n(counts.embeddingInputs)} embedding inputs (at most ${n(limits.maxEmbeddingInputs)} per batch)`);
	}
	return out;
}

function formatBytes(bytes: number): string {
	if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
	if (bytes >= 1_000) return `${(bytes / 1_000).toFixed(1)} kB`;
	return `${bytes} bytes`;
}

/**
 * Cuts rows into consecutive parts, each within the limits: a row goes to the current part unless
 * it would push it over one, then it starts the next. Rows keep their order.
 */
export class PartPlanner {
	readonly parts: PartPlan[] = [];
	readonly totals: Counts = emptyCounts();
	private current: PartPlan | undefined;

	constructor(private readonly limits: BatchLimits) {}

	/** True when a single line is too big for any batch (it cannot be split further). */
	tooBigAlone(line: { bytes: number; embeddingInputs: number }): boolean {
		return line.bytes > this.limits.maxBytes || line.embeddingInputs > this.limits.maxEmbeddingInputs;
	}

	add(index: number, line: { bytes: number; embeddingInputs: number }): void {
		addCounts(this.totals, line);
		const part = this.current;
		if (
			!part ||
			part.lines + 1 > this.limits.maxLines ||
			part.bytes + line.bytes > this.limits.maxBytes ||
			part.embeddingInputs + line.embeddingInputs > this.limits.maxEmbeddingInputs
		) {
			this.current = { first: index, end: index, ...emptyCounts() };
			this.parts.push(this.current);
		}
		const target = this.current!;
		addCounts(target, line);
		target.end = index + 1;
	}
}
