import { randomBytes } from 'node:crypto';
import type { UploadSource } from './types';

export interface MultipartFile {
	field: string;
	filename: string;
	contentType: string;
	/** A factory is called for every pass, which makes even a stream replayable. */
	source: UploadSource | (() => UploadSource);
}

/** A multipart/form-data body written by hand so the file is streamed, never held whole in memory. */
export interface MultipartBody {
	contentType: string;
	/** Known only when the file is a Buffer/Uint8Array; streams go out chunked. */
	contentLength?: number;
	/** A fresh body. Call again for a retry only while `replayable()` is true. */
	open(): AsyncIterable<Uint8Array>;
	/** True for in-memory files, factories, and streams that have not been read from yet. */
	replayable(): boolean;
	/** Bytes of the file in the last pass that reached its end; undefined until one did. */
	fileBytes(): number | undefined;
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

	const factory = typeof file.source === 'function' ? file.source : undefined;
	const first = factory ? undefined : (file.source as UploadSource);
	const inMemory = first instanceof Uint8Array ? toBuffer(first) : undefined;
	if (first !== undefined && !inMemory && !isAsyncIterable(first)) throw notASource();
	let touched = false;
	let completeBytes: number | undefined = inMemory?.length;

	async function* chunksOfSource(): AsyncGenerator<Uint8Array> {
		if (inMemory) {
			yield inMemory;
			return;
		}
		const source = factory ? factory() : first;
		if (source instanceof Uint8Array) {
			completeBytes = source.length;
			yield toBuffer(source);
			return;
		}
		if (!isAsyncIterable(source)) throw notASource();
		touched = true;
		let count = 0;
		for await (const chunk of source) {
			const bytes = chunkToBytes(chunk);
			count += bytes.length;
			if (bytes.length) yield bytes;
		}
		completeBytes = count;
	}

	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		contentLength: inMemory ? headBytes.length + inMemory.length + tailBytes.length : undefined,
		replayable: () => inMemory !== undefined || factory !== undefined || !touched,
		fileBytes: () => completeBytes,
		open: async function* () {
			if (touched && !inMemory && !factory) throw new Error('A streamed upload cannot be sent twice');
			yield headBytes;
			yield* chunksOfSource();
			yield tailBytes;
		},
	};
}

function notASource(): TypeError {
	return new TypeError('The file to upload must be a Buffer, a readable stream or an async iterable of text or bytes');
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
