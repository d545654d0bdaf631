import { Transform, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	FileDeletedSchema,
	FileObjectSchema,
	listEnvelopeSchema,
	type FileDeleted,
	type FileObject,
	type ListEnvelope,
} from '../schemas';
import { transferCut } from './errorMapping';
import { isImpalaApiError } from './errors';
import { idPath, requireId } from './ids';
import { encodeMultipart, type MultipartBody } from './multipart';
import { paginate } from './pagination';
import { createdAtFloor, isUnknownOutcome, lookTwice, RECONCILE_MAX_ITEMS, uniqueFileName, type ReconcileSettings } from './reconcile';
import { retryDelayMs } from './retry';
import type { ApiCall, Transport } from './transport';
import type { ListFilesParams, ReadVerifiedOptions, RequestOptions, UploadFileParams, UploadOnceResult } from './types';

const FileListSchema = listEnvelopeSchema(FileObjectSchema);

const CONTENT_TYPES: Record<string, string> = {
	jsonl: 'application/jsonl',
	json: 'application/json',
	csv: 'text/csv',
	txt: 'text/plain',
	pdf: 'application/pdf',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
};

/** `/v1/files`: upload, get, list, content, delete. */
export class Files {
	readonly #transport: Transport;
	readonly #reconcile: ReconcileSettings;

	constructor(transport: Transport, reconcile: ReconcileSettings = { delayMs: 2_000 }) {
		this.#transport = transport;
		this.#reconcile = reconcile;
	}

	/**
	 * Streams the file as multipart/form-data. A Buffer or a factory (called again for each attempt) can be
	 * sent again on 429 or when the connection was never made; a bare stream only while it was not read.
	 */
	async upload(params: UploadFileParams): Promise<FileObject> {
		const { call } = this.#uploadCall(params);
		return this.#transport.json(call, FileObjectSchema);
	}

	/**
	 * Uploads under a unique name (`name.<random>.ext`) so that, when the answer is lost (outcome
	 * unknown), the file can be found again by its name and size instead of being sent twice. Not found
	 * after two looks: sent once more (a Buffer or a factory), then a clear error saying what was checked.
	 */
	async uploadOnce(params: UploadFileParams): Promise<UploadOnceResult> {
		const filename = uniqueFileName(checkFileName(params.filename));
		const { call, multipart } = this.#uploadCall({ ...params, filename });
		const started = Date.now();
		for (let round = 1; ; round++) {
			try {
				return { file: await this.#transport.json(call, FileObjectSchema), recovered: false };
			} catch (error) {
				if (!isUnknownOutcome(error, params.signal)) throw error;
				const bytes = multipart.fileBytes();
				const found = await lookTwice(() => this.#findUpload(filename, bytes, started, params), this.#reconcile, params.signal);
				const size = bytes === undefined ? '' : ` with ${bytes} bytes`;
				if (found) {
					this.#transport.logger?.warn(`Impala upload of "${filename}": the answer was lost; found the file ${found.id} by its name`, { fileId: found.id });
					return { file: found, recovered: true };
				}
				const checked = `the package looked twice for a file named "${filename}"${size} among the files uploaded since, and found none`;
				if (round >= 2 || !multipart.replayable()) {
					const advice =
						round >= 2
							? 'it was sent twice and both answers were lost: check the network or proxy between n8n and Impala, then upload the file again'
							: 'no copy of it exists on Impala, so uploading it again is safe';
					throw this.#transport.checked(error, call.action, checked, advice);
				}
				this.#transport.logger?.warn(`Impala upload of "${filename}": the answer was lost and no such file exists; uploading it again`, {});
				call.afterUnknownAttempt = true;
			}
		}
	}

	async get(id: string, options: RequestOptions = {}): Promise<FileObject> {
		const fileId = requireId(id, 'file');
		return this.#transport.json(
			{ method: 'GET', path: `/files/${idPath(fileId)}`, signal: options.signal, action: 'get the file', resource: 'file', id: fileId },
			FileObjectSchema,
		);
	}

	/** One page of files. */
	async listPage(params: ListFilesParams = {}): Promise<ListEnvelope<FileObject>> {
		return this.#transport.json(this.#listCall(params, params.after), FileListSchema);
	}

	/** Every file, page after page; stop early with `break`. */
	list(params: ListFilesParams = {}): AsyncIterableIterator<FileObject> {
		return paginate(
			(after) => this.#transport.json(this.#listCall(params, after), FileListSchema),
			params.after,
			(cursor, problem) => this.#transport.invalid(this.#listCall(params, cursor), problem),
		);
	}

	/** The raw bytes (JSONL for batch files), unread: the caller consumes or destroys the stream. Not checked: see readVerified. */
	async content(id: string, options: RequestOptions = {}): Promise<Readable> {
		return (await this.#transport.download(this.#contentCall(requireId(id, 'file'), options.signal))).body;
	}

	/**
	 * Runs `consume` on the file's bytes and checks they all arrived: the count must equal Content-Length
	 * (when sent) and the file's `bytes` (`expectedBytes`, or fetched first). A cut, broken or replaced
	 * transfer throws `consume`'s result away and reads again (as many times as other reads are retried),
	 * then fails with "the transfer was cut"; never a success with data missing. `consume` must read the
	 * whole stream and be restartable (build its state inside).
	 */
	async readVerified<T>(id: string, consume: (stream: Readable) => Promise<T>, options: ReadVerifiedOptions = {}): Promise<T> {
		const fileId = requireId(id, 'file');
		const { signal } = options;
		const expected = options.expectedBytes ?? (await this.get(fileId, { signal })).bytes;
		const call = this.#contentCall(fileId, signal);
		const { maxRetries } = this.#transport.settings;
		let last = { received: 0, announced: undefined as number | undefined, broken: undefined as unknown };
		for (let attempt = 1; ; attempt++) {
			const download = await this.#transport.download(call);
			const counted = countBytes(download.body);
			let result: T | undefined;
			let consumeError: unknown;
			try {
				result = await consume(counted.stream);
			} catch (error) {
				consumeError = error;
			}
			// A `consume` that failed on data that arrived intact (the stream neither ended nor broke) failed on
			// the file itself: a cut only ever shows at the end, as a break or a short count.
			if (consumeError === undefined) await counted.finish();
			const received = counted.bytes();
			const broken = counted.error();
			const whole = counted.ended();
			if (!whole) download.body.destroy();
			const cut =
				broken !== undefined ||
				(download.contentLength !== undefined && download.contentLength !== expected) ||
				(whole && (received !== expected || (download.contentLength !== undefined && received !== download.contentLength)));
			if (!cut) {
				if (consumeError !== undefined) throw consumeError;
				return result as T;
			}
			if (signal?.aborted) throw isImpalaApiError(broken) ? broken : (consumeError ?? broken);
			last = { received, announced: download.contentLength, broken };
			this.#transport.logger?.debug(`Impala download of file ${fileId} was cut: ${received} of ${expected} bytes (attempt ${attempt})`, {
				fileId,
				received,
				expected,
				attempt,
			});
			if (attempt > maxRetries) break;
			const delayMs = retryDelayMs(attempt, this.#transport.settings) ?? 0;
			await sleep(delayMs, undefined, { signal }).catch(() => undefined);
		}
		throw this.#transport.failure(call, (ctx, secret) =>
			transferCut(ctx, { fileId, expected, received: last.received, announced: last.announced, attempts: maxRetries + 1, cause: last.broken }, secret),
		);
	}

	/** A 404 on a retry after an attempt whose answer was lost means that attempt deleted it: a success. */
	async delete(id: string, options: RequestOptions = {}): Promise<FileDeleted> {
		const fileId = requireId(id, 'file');
		try {
			return await this.#transport.json(
				{ method: 'DELETE', path: `/files/${idPath(fileId)}`, signal: options.signal, action: 'delete the file', resource: 'file', id: fileId },
				FileDeletedSchema,
			);
		} catch (error) {
			if (isImpalaApiError(error) && error.status === 404 && error.afterUnknownAttempt) {
				this.#transport.logger?.debug(`Impala file ${fileId} was already deleted by an earlier attempt whose answer was lost`, { fileId });
				return { id: fileId, object: 'file', deleted: true };
			}
			// Every answer was lost (timeouts, cut or dripped answers): the file tells whether a delete happened.
			if (isImpalaApiError(error) && (error.kind === 'timeout' || error.kind === 'network' || error.kind === 'invalid_response')) {
				const gone = await this.get(fileId, options).then(() => false, (check: unknown) => isImpalaApiError(check) && check.status === 404);
				if (gone) {
					this.#transport.logger?.debug(`Impala file ${fileId} is gone after a delete whose answers were lost`, { fileId });
					return { id: fileId, object: 'file', deleted: true };
				}
			}
			throw error;
		}
	}

	#uploadCall(params: UploadFileParams): { call: ApiCall; multipart: MultipartBody } {
		const { file, purpose = 'batch', expiresAfter, signal } = params;
		const filename = checkFileName(params.filename);
		const fields: Array<[string, string]> = [['purpose', purpose]];
		if (expiresAfter) {
			fields.push(['expires_after[anchor]', expiresAfter.anchor]);
			fields.push(['expires_after[seconds]', String(expiresAfter.seconds)]);
		}
		const multipart = encodeMultipart(fields, { field: 'file', filename, contentType: contentTypeOf(filename), source: file });
		return {
			multipart,
			call: {
				method: 'POST',
				path: '/files',
				multipart,
				signal,
				action: `upload the file "${filename}"`,
				checkBeforeRepeating: `look at the list of files for "${filename}"`,
			},
		};
	}

	async #findUpload(filename: string, bytes: number | undefined, started: number, params: UploadFileParams): Promise<FileObject | undefined> {
		let floor: number | undefined;
		let seen = 0;
		for await (const file of this.list({ order: 'desc', limit: 100, purpose: params.purpose ?? 'batch', signal: params.signal })) {
			floor ??= createdAtFloor(this.#transport, started);
			if (file.filename === filename && (bytes === undefined || file.bytes === bytes)) return file;
			if (file.created_at < floor || ++seen >= RECONCILE_MAX_ITEMS) return undefined;
		}
		return undefined;
	}

	#contentCall(fileId: string, signal: AbortSignal | undefined): ApiCall {
		return {
			method: 'GET',
			path: `/files/${idPath(fileId)}/content`,
			signal,
			action: "download the file's content",
			resource: 'file',
			id: fileId,
		};
	}

	#listCall(params: ListFilesParams, after: string | undefined): ApiCall {
		return {
			method: 'GET',
			path: '/files',
			query: { purpose: params.purpose, order: params.order, limit: params.limit, after },
			signal: params.signal,
			action: 'list the files',
		};
	}
}

function checkFileName(filename: string): string {
	if (!filename || !filename.trim()) throw new Error('The file name is empty: give the upload a file name such as batch.jsonl');
	return filename;
}

function contentTypeOf(filename: string): string {
	const extension = filename.toLowerCase().split('.').pop() ?? '';
	return CONTENT_TYPES[extension] ?? 'application/jsonl';
}

/** The body as a stream that counts what passes and remembers whether it ended or broke. */
function countBytes(body: Readable): { stream: Readable; bytes: () => number; ended: () => boolean; error: () => unknown; finish: () => Promise<void> } {
	let count = 0;
	let broken: unknown;
	let ended = false;
	const counter = new Transform({
		transform(chunk: Buffer, _encoding, done) {
			count += chunk.length;
			done(null, chunk);
		},
	});
	counter.on('end', () => {
		ended = true;
	});
	body.on('error', (error) => {
		broken ??= error;
		counter.destroy(error);
	});
	body.pipe(counter);
	return {
		stream: counter,
		bytes: () => count,
		ended: () => ended,
		error: () => broken,
		// A `consume` that returned without reading everything: read the rest, so the count is complete.
		finish: async () => {
			if (ended || broken !== undefined || counter.destroyed) return;
			counter.resume();
			await finished(counter).catch((error: unknown) => {
				broken ??= error;
			});
		},
	};
}
