import type { ImpalaClient, UploadSource } from '../client';
import { ImpalaApiError } from '../client/errors';
import type { Batch, CreateBatchBody, ExpiresAfter, FileObject } from '../schemas';
import { describe, hintOf, SubmitBatchError } from './errors';

export interface SubmitBatchParams {
	/** Called for each send of the file, so even a stream can be sent again (429, never connected). */
	file: () => UploadSource;
	filename: string;
	body: Omit<CreateBatchBody, 'input_file_id'>;
	expiresAfter?: ExpiresAfter;
	signal?: AbortSignal;
	/** Called once the file is on Impala (log its ID). */
	onFileUploaded?(file: FileObject): void;
	/** Called the moment the batch exists (log its ID before anything else can fail). */
	onBatchCreated?(batch: Batch): void;
}

export interface SubmitBatchResult {
	file: FileObject;
	batch: Batch;
	/** True where the answer was lost and the file or batch was found by looking for it. */
	recovered: { upload: boolean; create: boolean };
}

/**
 * Uploads the batch input once and creates the batch from it once (see `files.uploadOnce` and
 * `batches.createOnce`). When the create fails in a way that proves no batch exists (Impala refused it,
 * for example a 422 for a completion window the deployment does not take), the uploaded file is deleted
 * and the error says so. When the outcome stays unknown, the error names the file and what was checked.
 */
export async function submitBatch(client: ImpalaClient, params: SubmitBatchParams): Promise<SubmitBatchResult> {
	const { signal } = params;
	const upload = await client.files.uploadOnce({
		file: params.file,
		filename: params.filename,
		purpose: 'batch',
		expiresAfter: params.expiresAfter,
		signal,
	});
	const file = upload.file;
	params.onFileUploaded?.(file);
	let created: { batch: Batch; recovered: boolean };
	try {
		created = await client.batches.createOnce({ ...params.body, input_file_id: file.id } as CreateBatchBody, { signal });
	} catch (error) {
		throw await createFailed(client, file, error);
	}
	params.onBatchCreated?.(created.batch);
	return { file, batch: created.batch, recovered: { upload: upload.recovered, create: created.recovered } };
}

async function createFailed(client: ImpalaClient, file: FileObject, error: unknown): Promise<SubmitBatchError> {
	const reason = describe(error);
	const uploaded = `the file ${file.id} ("${file.filename}") was uploaded`;
	if (!provesNoBatch(error)) {
		const unknownHint = error instanceof ImpalaApiError && error.hint ? error.hint.replace(/\.$/, '') : 'it is not known whether a batch was created from it';
		return new SubmitBatchError(
			`The batch could not be confirmed: ${uploaded}, then ${reason}`,
			`${unknownHint}. The file ${file.id} is kept: look at the list of batches (newest first) for one made from it before creating one`,
			error,
			file,
			false,
		);
	}
	try {
		await client.files.delete(file.id);
	} catch (deleteError) {
		return new SubmitBatchError(
			`No batch was created: ${reason}`,
			`${hintOf(error)}. ${capitalise(uploaded)} and could not be deleted (${describe(deleteError)}): delete it with Impala → File → Delete, or create the batch from it with Impala → Batch → Create`,
			error,
			file,
			false,
		);
	}
	return new SubmitBatchError(
		`No batch was created: ${reason}`,
		`${hintOf(error)}. The uploaded file ${file.id} was deleted, so nothing is left behind`,
		error,
		file,
		true,
	);
}

/**
 * True when the create certainly did not happen: Impala answered with a refusal (4xx) to a create that
 * was never sent before without an answer, or the request provably never reached it.
 */
function provesNoBatch(error: unknown): boolean {
	if (!(error instanceof ImpalaApiError) || error.outcomeUnknown || error.afterUnknownAttempt) return false;
	if (error.kind === 'http') return error.status !== undefined && error.status >= 400 && error.status < 500;
	return error.kind === 'network' || error.kind === 'timeout';
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
