import { randomBytes } from 'node:crypto';
import type { UploadSource } from './types';

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	source: UploadSource;
}

/** A multipart/form-data body written by hand so the file is streamed, never held whole in memory. */
export interface MultipartBody {
	contentType: string;
	/** Known only when the file is a Buffer/Uint8Array; streams go out chunked. */
	contentLength?: number;
	/** A fresh body. Call again for a retry only while `replayable()` is true. */
	open(): AsyncIterable<Uint8Array>;
	/** True for in-memory files, and for streams that have not been read from yet. */
	replayable(): boolean;
}

const CRLF = '\r\n';

/** Per the HTML spec's multipart/form-data encoding: quotes and line breaks in names are percent-escaped. */
function escapeName(name: string): string {
	return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function encodeMultipart(
	fields: ReadonlyArray<readonly [string, string]>,
	file: MultipartFile,
	boundary = `----ImpalaFormBoundary${randomBytes(16).toString('hex')}`,
): MultipartBody {
	let head = '';
	for (const [name, value] of fields) {
		head += `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(name)}"${CRLF}${CRLF}${value}${CRLF}`;
	}
	head +=
		`--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeName(file.field)}"; filename="${escapeName(file.filename)}"${CRLF}` +
		`Content-Type: ${file.contentType}${CRLF}${CRLF}`;
	const headBytes = Buffer.from(head, 'utf8');
	const tailBytes = Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'utf8');

	const inMemory = file.source instanceof Uint8Array ? toBuffer(file.source) : undefined;
	if (!inMemory && !isAsyncIterable(file.source)) {
		throw new TypeError('The file to upload must be a Buffer, a readable stream or an async iterable of text or bytes');
	}
	let touched = false;

	async function* chunksOfSource(): AsyncGenerator<Uint8Array> {
		if (inMemory) {
			yield inMemory;
			return;
		}
		touched = true;
		for await (const chunk of file.source as AsyncIterable<unknown>) {
			const bytes = chunkToBytes(chunk);
			if (bytes.length) yield bytes;
		}
	}

	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		contentLength: inMemory ? headBytes.length + inMemory.length + tailBytes.length : undefined,
		replayable: () => inMemory !== undefined || !touched,
		open: async function* () {
			if (touched && !inMemory) throw new Error('A streamed upload cannot be sent twice');
			yield headBytes;
			yield* chunksOfSource();
			yield tailBytes;
		},
	};
}

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function chunkToBytes(chunk: unknown): Buffer {
	if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
	if (chunk instanceof Uint8Array) return toBuffer(chunk);
	throw new TypeError(
		`The file to upload produced a chunk of type ${chunk === null ? 'null' : typeof chunk}: only text and bytes can be uploaded`,
	);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
	return !!value && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}
