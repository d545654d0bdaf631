import { Readable } from 'node:stream';
import { SliceClock } from '../eventLoop';
import { LineSplitter } from './lineSplitter';

export interface TextLine {
	/** 1-based line number in the file, blank lines counted. */
	lineNumber: number;
	text: string;
}

export type LineSource = Readable | AsyncIterable<string | Uint8Array>;

/**
 * Calls `onLine` for each non-blank line of a JSONL stream (see `LineSplitter`), chunk by chunk: never
 * the whole file in memory, and never more than a slice of the clock without yielding to the event loop.
 * The stream is destroyed at the end, also when `onLine` throws (a half-read HTTP body is not left open),
 * and when `signal` is aborted (checked per chunk).
 */
export async function forEachLine(source: LineSource, clock: SliceClock, onLine: (line: LineSplitter) => void, signal?: AbortSignal): Promise<void> {
	const splitter = new LineSplitter();
	try {
		for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
			signal?.throwIfAborted();
			splitter.push(toBuffer(chunk));
			while (splitter.next()) {
				onLine(splitter);
				if (clock.due()) await clock.yield();
			}
		}
		if (splitter.finish()) onLine(splitter);
	} finally {
		if (source instanceof Readable && !source.destroyed) source.destroy();
	}
}

/**
 * The non-blank lines of a JSONL stream as text, one at a time (`forEachLine` is the fast way).
 * Handles `\r\n`, blank lines, a missing final newline and a byte-order mark at the start of the file.
 */
export async function* readLines(source: LineSource): AsyncGenerator<TextLine> {
	const input = source instanceof Readable ? source : Readable.from(source);
	const splitter = new LineSplitter();
	const clock = new SliceClock();
	try {
		for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
			splitter.push(toBuffer(chunk));
			while (splitter.next()) {
				yield { lineNumber: splitter.lineNumber, text: splitter.text() };
				if (clock.due()) await clock.yield();
			}
		}
		if (splitter.finish()) yield { lineNumber: splitter.lineNumber, text: splitter.text() };
	} finally {
		// A consumer that stops early must not leave the HTTP body half-read.
		if (!input.destroyed) input.destroy();
	}
}

function toBuffer(chunk: string | Uint8Array): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
	return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
