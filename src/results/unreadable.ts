import type { ImpalaApiError } from '../client';
import { ResultFileError } from './parseLine';
import type { Unavailable } from './readiness';

/**
 * A file of a finished batch that Impala no longer has (it expired or was deleted). Trying again cannot
 * help, unlike a network error or a 5xx. `message` says what happened; `description` what to do.
 */
export class ResultFileGoneError extends Error {
	readonly summary: string;
	readonly hint: string;
	/** Shown by n8n under the message (the nodes' error mapper reads it). */
	readonly description: string;

	constructor(
		readonly batchId: string,
		/** "output file", "error file", "input file" */
		readonly role: string,
		readonly fileId: string,
		readonly cause: ImpalaApiError,
	) {
		const summary =
			`The ${role} ${fileId} of batch ${batchId} is no longer available (output and error files expire after 30 days ` +
			`by default, sooner when the batch was created with "output_expires_after", and files can be deleted): ${cause.summary}`;
		super(summary);
		this.name = 'ResultFileGoneError';
		this.summary = summary;
		this.hint = `The results of batch ${batchId} in that file cannot be read any more: create a new batch from the same input to get them again.`;
		this.description = this.hint;
	}
}

/**
 * Why a batch's results can never be read, when `error` (thrown while reading them) is a lasting problem
 * of the batch's own files: a file gone (404) or malformed. Undefined for anything worth trying again
 * (network, timeout, 5xx, 429, 401, ...).
 */
export function resultsUnreadable(error: unknown, batchId: string): Unavailable | undefined {
	if (error instanceof ResultFileGoneError) return { message: error.summary, hint: error.hint };
	if (error instanceof ResultFileError) {
		return {
			message: `The results of batch ${batchId} cannot be read: ${error.message}`,
			hint: 'The file itself is malformed, so reading it again will not help: download it to look at that line, and create a new batch if you need these results.',
		};
	}
	return undefined;
}
