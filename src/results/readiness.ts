import { isTerminalStatus, type Batch } from '../schemas';

export interface Unavailable {
	message: string;
	/** What the user should do. */
	hint: string;
}

/** Why a batch's results cannot be read yet (or at all), or undefined when they can. */
export function resultsUnavailable(batch: Batch): Unavailable | undefined {
	if (batch.status === 'failed') {
		const errors = batch.errors?.data ?? [];
		const problems = errors
			.slice(0, 5)
			// Impala's messages may already start with "Line 3:"; the line is named once.
			.map((e) => `${e.line != null ? `line ${e.line}: ` : ''}${(e.message ?? e.code ?? 'unknown problem').replace(/^line \d+:\s*/i, '')}`)
			.join('; ');
		// Every line named is for another endpoint, the first line too: the Endpoint was wrong, not the file.
		const wrongEndpoint = errors.some((e) => e.line === 1) && errors.every((e) => e.code === 'mismatched_url');
		return {
			message: `Batch ${batch.id} failed: Impala rejected its input file${problems ? ` (${problems})` : ''}`,
			hint: wrongEndpoint
				? `The batch was created with the endpoint ${batch.endpoint}, but the file's lines are for another one. Create a new batch from the same input file with "Endpoint" set to the endpoint in the lines' url. A failed batch has no results.`
				: 'Fix the input file lines named above, upload it again and create a new batch. A failed batch has no results.',
		};
	}
	if (!isTerminalStatus(batch.status)) {
		return {
			message: `Batch ${batch.id} is still "${batch.status}": its results can be read once it is completed, expired or cancelled`,
			hint: 'Turn on "Wait for Completion" on the step that creates or gets the batch, or start a workflow with the Impala Batch Trigger, which fires when the batch ends.',
		};
	}
	return undefined;
}
