import type { Readable } from 'node:stream';
import {
	FileDeletedSchema,
	FileObjectSchema,
	listEnvelopeSchema,
	type FileDeleted,
	type FileObject,
	type ListEnvelope,
} from '../schemas';
import { idPath, requireId } from './ids';
import { encodeMultipart } from './multipart';
import { paginate } from './pagination';
import type { ApiCall, Transport } from './transport';
import type { ListFilesParams, RequestOptions, UploadFileParams } from './types';

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

	constructor(transport: Transport) {
		this.#transport = transport;
	}

	/** Streams the file as multipart/form-data; only a Buffer (or a stream not yet read) is ever sent twice. */
	async upload(params: UploadFileParams): Promise<FileObject> {
		const { file, filename, purpose = 'batch', expiresAfter, signal } = params;
		if (!filename || !filename.trim()) throw new Error('The file name is empty: give the upload a file name such as batch.jsonl');
		const fields: Array<[string, string]> = [['purpose', purpose]];
		if (expiresAfter) {
			fields.push(['expires_after[anchor]', expiresAfter.anchor]);
			fields.push(['expires_after[seconds]', String(expiresAfter.seconds)]);
		}
		const multipart = encodeMultipart(fields, { field: 'file', filename, contentType: contentTypeOf(filename), source: file });
		return this.#transport.json(
			{
				method: 'POST',
				path: '/files',
				multipart,
				signal,
				action: `upload the file "${filename}"`,
				checkBeforeRepeating: 'look at the list of files',
			},
			FileObjectSchema,
		);
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

	/** The raw bytes (JSONL for batch files), unread: the caller consumes or destroys the stream. */
	async content(id: string, options: RequestOptions = {}): Promise<Readable> {
		const fileId = requireId(id, 'file');
		return this.#transport.stream({
			method: 'GET',
			path: `/files/${idPath(fileId)}/content`,
			signal: options.signal,
			action: "download the file's content",
			resource: 'file',
			id: fileId,
		});
	}

	async delete(id: string, options: RequestOptions = {}): Promise<FileDeleted> {
		const fileId = requireId(id, 'file');
		return this.#transport.json(
			{ method: 'DELETE', path: `/files/${idPath(fileId)}`, signal: options.signal, action: 'delete the file', resource: 'file', id: fileId },
			FileDeletedSchema,
		);
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

function contentTypeOf(filename: string): string {
	const extension = filename.toLowerCase().split('.').pop() ?? '';
	return CONTENT_TYPES[extension] ?? 'application/jsonl';
}
