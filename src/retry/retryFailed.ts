import type { ImpalaClient } from '../client';
import { submitBatch } from '../batches';
import { CreateBatchBodySchema, type Batch, type CreateBatchBody, type FileObject } from '../schemas';
import { countFileLines } from './countLines';
import { retryRefusal } from './eligibility';
import { RetryError } from './errors';
import { findRetriesOf } from './findRetries';
import { retryLinks, retryMetadata } from './metadata';
import { collectRetryLines } from './retryLines';
import { selectRequestsToRetry, type SelectOptions } from './selectFailed';
import { settleRetries } from './settle';

export interface RetryOptions extends SelectOptions {
	/** Sent as `body.model` of every retried line instead of the original model. */
	model?: string;
	/** The job of the retry batch; default the original's. */
	jobId?: string;
	signal?: AbortSignal;
	/** Called once the retry's input file is on Impala. */
	onFileUploaded?(file: FileObject): void;
	/** Called the moment the retry batch exists. */
	onBatchCreated?(batch: Batch): void;
}

export interface RetryResult {
	/** The retry batch: made now, or found (`existing`). Absent when nothing needed a retry. */
	batch?: Batch;
	/** The retry's input file, when uploaded by this call. */
	file?: FileObject;
	/** How many requests the retry batch holds (0: nothing needed a retry). */
	retried: number;
	/** An answer was lost on the way and the file or batch was found on Impala instead. */
	recovered?: boolean;
	/** The batch had been retried before: that retry is returned and nothing was created. */
	existing?: boolean;
	/** The batch retried, the first batch of the chain, and the round of the retry (1 = first retry). */
	retryOf: string;
	root: string;
	round: number;
	/** Of the requests selected now: failed, missing (no answer), invalid answers. Absent for an existing retry. */
	counts?: { failed: number; missing: number; invalid: number };
	/** What else happened, in plain words (a second retry cancelled, ...). */
	notes: string[];
}

/**
 * Sends again the requests of a finished batch that failed, got no answer or (with `includeInvalid`) gave
 * an invalid answer: their original input lines, byte for byte (`body.model` replaced when `model` is
 * given), become a new batch with the original's endpoint, completion window, job (or `jobId`) and
 * metadata plus `retry_of`, `retry_root` and `retry_round`.
 *
 * Exactly once per batch and round: a batch already retried (a batch whose metadata says `retry_of` = this
 * batch, found newest first down to this batch's creation) gives that retry back (`existing`), nothing is
 * created; a second retry made at the same moment is cancelled (the oldest stands). Uploads and creates go
 * through `submitBatch` (answers lost on the way are reconciled, never blindly repeated).
 */
export async function retryFailedRequests(client: ImpalaClient, batch: Batch, options: RetryOptions = {}): Promise<RetryResult> {
	const { signal } = options;
	const refusal = retryRefusal(batch);
	if (refusal) throw refusal;
	const links = retryLinks(batch);
	const base = { retryOf: batch.id, root: links.root, round: links.round + 1 };

	const earlier = await findRetriesOf(client, batch, signal);
	if (earlier.length > 0) {
		const { kept, notes } = await settleRetries(client, earlier, signal);
		return { ...base, batch: kept, existing: true, retried: await requestCount(client, kept, signal), notes };
	}

	const selection = await selectRequestsToRetry(client, batch, options);
	const counts = { failed: selection.failed, missing: selection.missing, invalid: selection.invalid };
	if (selection.ids.size === 0) return { ...base, retried: 0, counts, notes: [] };

	const body = retryBody(batch, options.jobId);
	const { spool, lines } = await collectRetryLines(client, batch, selection.ids, { model: options.model, signal });
	let submitted;
	try {
		submitted = await submitBatch(client, {
			file: () => spool.read(),
			filename: `retry-${base.round}-of-${batch.id}.jsonl`,
			body,
			signal,
			onFileUploaded: options.onFileUploaded,
			onBatchCreated: options.onBatchCreated,
		});
	} finally {
		await spool.dispose();
	}
	const recovered = submitted.recovered.upload || submitted.recovered.create;

	// A create delivered twice, or another run retrying the same batch meanwhile: the oldest retry stands.
	const retries = await findRetriesOf(client, batch, signal);
	if (!retries.some((retry) => retry.id === submitted.batch.id)) retries.push(submitted.batch);
	const { kept, notes } = await settleRetries(client, retries, signal);
	if (kept.id !== submitted.batch.id) {
		return { ...base, batch: kept, existing: true, retried: await requestCount(client, kept, signal), counts, notes };
	}
	return { ...base, batch: submitted.batch, file: submitted.file, retried: lines, counts, notes, ...(recovered && { recovered }) };
}

/** The create body of the retry: the original's settings, its job or the new one, and the retry links. */
function retryBody(batch: Batch, newJobId: string | undefined): Omit<CreateBatchBody, 'input_file_id'> {
	const jobId = newJobId?.trim() || batch.job_id || undefined;
	if (jobId !== undefined) {
		const checked = CreateBatchBodySchema.shape.job_id.safeParse(jobId);
		if (!checked.success) {
			throw new RetryError(`The job ID is not valid: ${checked.error.issues[0].message}`, 'Copy the job ID (job-...) from the Impala console, or leave "New Job ID" empty to keep the job of the original batch.');
		}
	}
	// Impala does not show a batch's output expiry today; a deployment that does has it kept.
	const expiry = CreateBatchBodySchema.shape.output_expires_after.safeParse((batch as { output_expires_after?: unknown }).output_expires_after);
	const outputExpiry = expiry.success ? expiry.data : undefined;
	return {
		endpoint: batch.endpoint as CreateBatchBody['endpoint'],
		completion_window: batch.completion_window || undefined,
		...(jobId !== undefined && { job_id: jobId }),
		metadata: retryMetadata(batch),
		...(outputExpiry && { output_expires_after: outputExpiry }),
	};
}

/** The requests a retry batch holds: its counts once Impala has read its file, else its file's lines. */
async function requestCount(client: ImpalaClient, batch: Batch, signal?: AbortSignal): Promise<number> {
	const total = batch.request_counts?.total ?? 0;
	return total > 0 ? total : await countFileLines(client, batch.input_file_id, signal);
}
