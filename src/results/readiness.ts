import { isTerminalStatus, type Batch } from '../schemas';

export interface Unavailable {
	message: string;
	/** What the user should do. */
	hint: string;
}

/** Why a batch's results cannot be read yet (or at all), or undefined when they can. */
export function resultsUnavailable(batch: Batch): Unavailable | undefined {
	if (batch.status === 'failed') {
		const problems = (batch.errors?.data ?? [])
			.slice(0, 5)
			.map((e) => `${e.line != null ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'unknown problem'}`)
			.join('; ');
		return {
			message: `Batch ${batch.id} failed: Impala rejected its input file${problems ? ` (${problems})` : ''}`,
			hint: 'Fix the input file lines named above, upload it again and create a new batch. A failed batch has no results.',
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
