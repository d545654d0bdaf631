import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { stripFileBom } from '../schemas';

export interface TextLine {
	/** 1-based line number in the file, blank lines counted. */
	lineNumber: number;
	text: string;
}

export type LineSource = Readable | AsyncIterable<string | Uint8Array>;

/**
 * The non-blank lines of a JSONL stream, one at a time: never the whole file in memory.
 * Handles `\r\n`, blank lines, a missing final newline and a byte-order mark at the start of the file.
 */
export async function* readLines(source: LineSource): AsyncGenerator<TextLine> {
	const input = source instanceof Readable ? source : Readable.from(source);
	const lines = createInterface({ input, crlfDelay: Infinity });
	let lineNumber = 0;
	try {
		for await (const line of lines) {
			lineNumber++;
			const text = lineNumber === 1 ? stripFileBom(line) : line;
			if (text.trim() === '') continue;
			yield { lineNumber, text };
		}
	} finally {
		lines.close();
		// A consumer that stops early must not leave the HTTP body half-read.
		if (!input.destroyed) input.destroy();
	}
}
