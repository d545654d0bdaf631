import { createReadStream } from 'node:fs';
import { stripFileBom } from '../schemas';

export interface FileLine {
	/** The line without its line break (a trailing `\r` is dropped too). */
	text: string;
	/** 1-based physical line number, blank lines included. */
	lineNumber: number;
	/** Byte offset where the next line starts: resume reading here. */
	nextOffset: number;
}

export interface ReadPosition {
	offset: number;
	/** Line number of the line starting at `offset`. */
	lineNumber: number;
}

const NEWLINE = 0x0a;

/**
 * Reads a file line by line from a byte offset, holding one line at a time. Unlike readline it
 * reports where each line ends, so a batch can resume processing where the previous step stopped.
 */
export async function* readLines(path: string, from: ReadPosition = { offset: 0, lineNumber: 1 }): AsyncGenerator<FileLine> {
	let offset = from.offset;
	let lineNumber = from.lineNumber;
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	const stream = createReadStream(path, { start: from.offset, highWaterMark: 256 * 1024 });
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			let start = 0;
			for (let at = chunk.indexOf(NEWLINE); at >= 0; at = chunk.indexOf(NEWLINE, start)) {
				const piece = chunk.subarray(start, at);
				const bytes = pendingBytes + piece.length;
				const line = pending.length > 0 ? Buffer.concat([...pending, piece]) : piece;
				pending = [];
				pendingBytes = 0;
				const lineStart = offset;
				offset += bytes + 1;
				yield { text: decode(line, lineStart), lineNumber, nextOffset: offset };
				lineNumber++;
				start = at + 1;
			}
			if (start < chunk.length) {
				pending.push(chunk.subarray(start));
				pendingBytes += chunk.length - start;
			}
		}
		if (pendingBytes > 0) {
			const lineStart = offset;
			offset += pendingBytes;
			yield { text: decode(Buffer.concat(pending), lineStart), lineNumber, nextOffset: offset };
		}
	} finally {
		stream.destroy();
	}
}

function decode(line: Buffer, lineStart: number): string {
	let text = line.toString('utf8');
	if (text.endsWith('\r')) text = text.slice(0, -1);
	return lineStart === 0 ? stripFileBom(text) : text;
}
