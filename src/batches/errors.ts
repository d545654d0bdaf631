import { ImpalaApiError, type ImpalaApiErrorFields } from '../client/errors';
import { composeError, errorFields } from '../client/errorMapping';
import type { Batch, FileObject } from '../schemas';

/**
 * A failure after a batch exists (waiting for it, a status poll): the message names the batch and says it
 * was created, so nobody creates it a second time. An ImpalaApiError, so nodes map it like any other.
 */
export class BatchExistsError extends ImpalaApiError {
	readonly batchId: string;
	/** The batch as last seen. */
	readonly batch?: Batch;

	constructor(batch: Batch | string, cause: unknown) {
		const batchId = typeof batch === 'string' ? batch : batch.id;
		const built = composeError(`Batch ${batchId} was created, but ${describe(cause)}`, {
			...baseFields(cause),
			hint: `the batch was created; do not create it again. ${hintOf(cause)}; follow it with Impala → Batch → Get and the ID ${batchId}`,
		});
		super(built.message, fieldsOf(built));
		this.name = 'BatchExistsError';
		this.batchId = batchId;
		if (typeof batch !== 'string') this.batch = batch;
		this.cause = cause;
	}
}

/**
 * A failed submission (upload + create). `fileId` names the uploaded file when there is one;
 * `fileDeleted` is true when the create failed in a way that proves no batch exists and the file was
 * deleted so nothing is left behind.
 */
export class SubmitBatchError extends ImpalaApiError {
	readonly file?: FileObject;
	readonly fileId?: string;
	readonly fileDeleted: boolean;

	constructor(summary: string, hint: string, cause: unknown, file: FileObject | undefined, fileDeleted: boolean) {
		const built = composeError(summary, { ...baseFields(cause), hint });
		super(built.message, fieldsOf(built));
		this.name = 'SubmitBatchError';
		this.file = file;
		this.fileId = file?.id;
		this.fileDeleted = fileDeleted;
		this.cause = cause;
	}
}

function baseFields(cause: unknown): Omit<ImpalaApiErrorFields, 'summary'> {
	if (cause instanceof ImpalaApiError) return errorFields(cause);
	const aborted = (cause as { name?: unknown } | undefined)?.name === 'AbortError';
	return { kind: aborted ? 'aborted' : 'network', hint: '', retryable: false };
}

function fieldsOf(error: ImpalaApiError): ImpalaApiErrorFields {
	return { ...errorFields(error), summary: error.summary };
}

/** "the status check failed: Impala had a problem ..." from a cause's summary, as a clause. */
export function describe(cause: unknown): string {
	const text = cause instanceof ImpalaApiError ? cause.summary : cause instanceof Error ? cause.message : String(cause);
	const clause = text.trim().replace(/\.$/, '');
	// Addresses and names (Impala, a batch or file ID) keep their case.
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(clause) || /^(Impala|Batch|File)\b/.test(clause)) return clause;
	return clause.charAt(0).toLowerCase() + clause.slice(1);
}

export function hintOf(cause: unknown): string {
	const hint = cause instanceof ImpalaApiError ? cause.hint.trim().replace(/\.$/, '') : '';
	return hint ? hint.charAt(0).toUpperCase() + hint.slice(1) : 'Try again later';
}
