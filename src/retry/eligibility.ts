import { isTerminalStatus, type Batch } from '../schemas';
import { RetryError } from './errors';

/**
 * Why `batch` cannot be retried (still running, or its input file was rejected), or undefined when it
 * can: completed (with or without failures), expired or cancelled.
 */
export function retryRefusal(batch: Batch): RetryError | undefined {
	if (batch.status === 'failed') {
		return new RetryError(
			`Batch ${batch.id} failed as a whole: Impala rejected its input file, so none of its requests ran and there is nothing to retry`,
			'Look at the batch\'s errors (Impala → Batch → Get) to see which lines were rejected, fix them in the input file, upload it again and create a new batch.',
		);
	}
	if (!isTerminalStatus(batch.status)) {
		return new RetryError(
			`Batch ${batch.id} is still "${batch.status}": only a finished batch (completed, expired or cancelled) can be retried`,
			'Wait until the batch ends: turn on "Wait for Completion" on the step that creates it, or start this workflow with the Impala Batch Trigger, which fires when the batch ends. To stop it now, cancel it (Impala → Batch → Cancel) and retry it then.',
		);
	}
	return undefined;
}
