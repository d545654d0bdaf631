/** One thing wrong with the input, said so a user can find it and fix it. */
export interface Problem {
	/** Where: "Row 5", "Item 3", "Rows 3, 7 and 9", "The file". */
	where: string;
	/** The node field (or column) at fault, e.g. "User Message". */
	field?: string;
	message: string;
	/** What to do about it. */
	fix?: string;
	/** The n8n item at fault, when exactly one is. */
	itemIndex?: number;
}

export const DEFAULT_PROBLEM_CAP = 20;

/** Problems found in the input, all gathered into one error instead of stopping at the first. */
export class BuildProblemsError extends Error {
	readonly description: string;

	constructor(
		readonly problems: readonly Problem[],
		readonly total: number,
		headline?: string,
	) {
		const count = total === 1 ? '1 problem' : `${total.toLocaleString('en-US')} problems`;
		super(headline ?? `Found ${count} in the input; nothing was uploaded`);
		this.name = 'BuildProblemsError';
		const lines = problems.map(formatProblem);
		if (total > problems.length) lines.push(`... and ${(total - problems.length).toLocaleString('en-US')} more`);
		this.description = lines.join('\n');
	}

	/** The n8n item at fault when a single one is, so n8n can point at it. */
	get itemIndex(): number | undefined {
		const indexes = new Set(this.problems.map((p) => p.itemIndex));
		if (this.total !== this.problems.length || indexes.size !== 1) return undefined;
		return [...indexes][0];
	}
}

function formatProblem(p: Problem): string {
	const where = p.field ? `${p.where}, ${p.field}` : p.where;
	return `${where}: ${p.message}${p.fix ? ` ${p.fix}` : ''}`;
}

/** Collects problems up to a cap while counting all of them. */
export class ProblemList {
	private readonly listed: Problem[] = [];
	private count = 0;

	constructor(private readonly cap = DEFAULT_PROBLEM_CAP) {}

	/** A function is only called when the problem is listed (for problems whose text costs to make). */
	add(problem: Problem | (() => Problem)): void {
		this.count++;
		if (this.listed.length < this.cap) this.listed.push(typeof problem === 'function' ? problem() : problem);
	}

	get total(): number {
		return this.count;
	}

	get isEmpty(): boolean {
		return this.count === 0;
	}

	/** Throws one error holding every problem so far, if there is any. */
	throwIfAny(headline?: string): void {
		if (this.count > 0) throw new BuildProblemsError(this.listed, this.count, headline);
	}
}

/** Runs listed before the rest is only counted ("... and 1,234 more"). */
const LISTED_RUNS = 10;

/** "2", "2 and 5", "2, 5 and 9", with runs shortened: "2-40, 52 and 60"; past 10 runs, "and 1,234 more". */
export function formatNumberList(numbers: readonly number[]): string {
	const sorted = [...new Set(numbers)].sort((a, b) => a - b);
	const parts: string[] = [];
	let i = 0;
	while (i < sorted.length && parts.length < LISTED_RUNS) {
		let j = i;
		while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
		parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
		if (j - i === 1) parts.push(String(sorted[j]));
		i = j + 1;
	}
	if (i < sorted.length) return `${parts.join(', ')} and ${(sorted.length - i).toLocaleString('en-US')} more`;
	if (parts.length <= 1) return parts.join('');
	return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
