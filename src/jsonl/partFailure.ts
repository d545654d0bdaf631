/**
 * A failure after something was already uploaded or started: says which, so nothing is lost.
 * `done`: what was made before, e.g. "batch batch_1 (part 1/3)". `part`: the failing part, "2/3".
 * `uploadedFileId`: this part's file, uploaded but with no batch started from it.
 */
export class PartFailedError extends Error {
	constructor(
		readonly cause: unknown,
		readonly done: string[],
		readonly part: string,
		readonly uploadedFileId?: string,
	) {
		super(cause instanceof Error ? cause.message : String(cause));
		this.name = 'PartFailedError';
	}
}
