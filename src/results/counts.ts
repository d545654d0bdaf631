/** What the batch says about its requests (`request_counts`), and what the files held. */
export interface CountCheck {
	batchId: string;
	/** The batch's `request_counts`; no check without them. */
	requestCounts?: { total: number; completed: number; failed: number } | null;
}

export interface FoundCounts {
	/** Distinct requests answered in the output and error files. */
	answered: number;
	/** Requests in the input file, when it was read. */
	inputRows?: number;
}

/**
 * The files of a batch hold fewer answers (or requests) than the batch's `request_counts` say, also after
 * reading them again: rows would be reported `missing` that the batch says were answered, so nothing is
 * returned. Not a lasting problem of the batch (a later read may work), so `resultsUnreadable` leaves it.
 */
export class ResultCountMismatchError extends Error {
	readonly description: string;

	constructor(
		readonly batchId: string,
		readonly expected: { total: number; completed: number; failed: number },
		readonly found: FoundCounts,
		readonly problem: string,
	) {
		super(`The results of batch ${batchId} are incomplete: ${problem}, also after reading the files a second time`);
		this.name = 'ResultCountMismatchError';
		this.description =
			'No results were returned, so that no answered request is reported as missing. ' +
			'The files were probably cut short on the way: run the step again later. If it keeps happening, ' +
			'download the output and error files (File → Download) to see what they hold.';
	}
}

/** Why what was found does not add up to the batch's counts, or undefined when it does. */
export function countProblem(check: CountCheck | undefined, found: FoundCounts): string | undefined {
	const counts = check?.requestCounts;
	if (!counts) return undefined;
	const { total, completed, failed } = counts;
	if (found.answered < completed + failed) {
		return (
			`the batch says ${completed + failed} requests were answered (${completed} completed, ${failed} failed), ` +
			`but its output and error files hold answers for only ${found.answered}`
		);
	}
	if (found.inputRows !== undefined && total > 0 && found.inputRows !== total) {
		return `the batch says it has ${total} requests, but its input file holds ${found.inputRows}`;
	}
	return undefined;
}
