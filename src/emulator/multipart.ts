import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

export class MultipartError extends Error {
	constructor(
		message: string,
		readonly tooLarge = false,
	) {
		super(message);
	}
}

export interface MultipartFile {
	filename: string;
	bytes: number;
	path: string;
}

export interface MultipartResult {
	fields: Record<string, string>;
	file?: MultipartFile;
}

export interface MultipartOptions {
	/** The part named `fileField` is streamed to this path; nothing else of it is kept. */
	filePath: string;
	fileField: string;
	maxFileBytes: number;
}

const MAX_HEADER_BYTES = 16_384;
const MAX_FIELD_BYTES = 65_536;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

export function boundaryOf(contentType: string | undefined): string | undefined {
	if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

interface PartHeaders {
	name?: string;
	filename?: string;
}

function parsePartHeaders(text: string): PartHeaders {
	const headers: PartHeaders = {};
	for (const line of text.split('\r\n')) {
		if (!/^content-disposition:/i.test(line)) continue;
		const name = /\bname="([^"]*)"/i.exec(line);
		const filename = /\bfilename="([^"]*)"/i.exec(line);
		if (name) headers.name = name[1];
		if (filename) headers.filename = filename[1];
	}
	return headers;
}

type PartSink =
	| { kind: 'file'; stream: WriteStream; bytes: number; filename: string }
	| { kind: 'field'; name: string; chunks: Buffer[]; bytes: number }
	| { kind: 'ignore' };

/**
 * Streams a multipart/form-data body: the file part goes straight to disk with backpressure, so
 * memory stays at a few chunks whatever the file size. Text fields are kept (small).
 */
export async function parseMultipart(
	body: Readable,
	boundary: string,
	options: MultipartOptions,
): Promise<MultipartResult> {
	const firstDelimiter = Buffer.from(`--${boundary}`);
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	const fields: Record<string, string> = {};
	let file: MultipartFile | undefined;
	let state: 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'done' = 'preamble';
	let buffer: Buffer = Buffer.alloc(0);
	let sink: PartSink = { kind: 'ignore' };
	let fileStream: WriteStream | undefined;

	const write = async (data: Buffer) => {
		if (data.length === 0) return;
		if (sink.kind === 'file') {
			sink.bytes += data.length;
			if (sink.bytes > options.maxFileBytes) {
				throw new MultipartError(`The file is larger than the ${options.maxFileBytes} bytes this server accepts.`, true);
			}
			if (!sink.stream.write(data)) await once(sink.stream, 'drain');
		} else if (sink.kind === 'field') {
			sink.bytes += data.length;
			if (sink.bytes > MAX_FIELD_BYTES) throw new MultipartError(`The form field '${sink.name}' is too long.`);
			sink.chunks.push(Buffer.from(data));
		}
	};

	const finishPart = async () => {
		if (sink.kind === 'file') {
			const stream = sink.stream;
			stream.end();
			await once(stream, 'finish');
			file = { filename: sink.filename, bytes: sink.bytes, path: options.filePath };
		} else if (sink.kind === 'field') {
			fields[sink.name] = Buffer.concat(sink.chunks).toString('utf8');
		}
		sink = { kind: 'ignore' };
	};

	const startPart = (headers: PartHeaders) => {
		// The file part is streamed to disk even when a client omits its filename.
		if (headers.name === options.fileField && !fileStream) {
			fileStream = createWriteStream(options.filePath);
			sink = { kind: 'file', stream: fileStream, bytes: 0, filename: headers.filename || 'upload.jsonl' };
		} else if (headers.name !== undefined && headers.filename === undefined) {
			sink = { kind: 'field', name: headers.name, chunks: [], bytes: 0 };
		} else {
			sink = { kind: 'ignore' };
		}
	};

	try {
		for await (const chunk of body as AsyncIterable<Buffer>) {
			buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
			let progressed = true;
			while (progressed && state !== 'done') {
				progressed = false;
				if (state === 'preamble') {
					const at = buffer.indexOf(firstDelimiter);
					if (at >= 0) {
						buffer = buffer.subarray(at + firstDelimiter.length);
						state = 'afterDelimiter';
						progressed = true;
					} else if (buffer.length > MAX_HEADER_BYTES) {
						throw new MultipartError('The multipart body does not start with its boundary.');
					}
				} else if (state === 'afterDelimiter') {
					if (buffer.length < 2) break;
					if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
						state = 'done';
					} else {
						const eol = buffer.indexOf(CRLF);
						if (eol < 0) break;
						buffer = buffer.subarray(eol + 2);
						state = 'headers';
						progressed = true;
					}
				} else if (state === 'headers') {
					const end = buffer.indexOf(HEADER_END);
					// A part with no headers at all starts directly with the blank line.
					const noHeaders = buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a;
					if (noHeaders) {
						startPart({});
						buffer = buffer.subarray(2);
						state = 'body';
						progressed = true;
					} else if (end >= 0) {
						startPart(parsePartHeaders(buffer.subarray(0, end).toString('utf8')));
						buffer = buffer.subarray(end + HEADER_END.length);
						state = 'body';
						progressed = true;
					} else if (buffer.length > MAX_HEADER_BYTES) {
						throw new MultipartError('A multipart part has headers that are too long.');
					}
				} else if (state === 'body') {
					const at = buffer.indexOf(delimiter);
					if (at >= 0) {
						await write(buffer.subarray(0, at));
						await finishPart();
						buffer = buffer.subarray(at + delimiter.length);
						state = 'afterDelimiter';
						progressed = true;
					} else {
						// Keep a tail that could be the start of a delimiter split across chunks.
						const safe = buffer.length - (delimiter.length - 1);
						if (safe > 0) {
							await write(buffer.subarray(0, safe));
							buffer = buffer.subarray(safe);
						}
					}
				}
			}
			// Copy the small remainder so the big chunk it points into can be freed.
			if (buffer.length > 0 && buffer.length < 4096) buffer = Buffer.from(buffer);
		}
		if (state !== 'done') throw new MultipartError('The multipart body ended before its closing boundary.');
		return { fields, file };
	} catch (error) {
		fileStream?.destroy();
		throw error;
	}
}
