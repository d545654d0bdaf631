import type { Readable } from 'node:stream';
import type { ImpalaClient } from '../client';
import { SliceClock } from '../eventLoop';
import { LineSpool } from '../jsonl/spool';
import { fastCustomId, LineSplitter } from '../results';
import type { Batch } from '../schemas';
import { RetryError } from './errors';

const NEWLINE = Buffer.from('\n');
/** Lines are appended to the spool in chunks of about this size. */
const CHUNK_BYTES = 256 * 1024;

export interface RetryLines {
	/** The kept lines, each ended with `\n`; the caller disposes of it. */
	spool: LineSpool;
	lines: number;
}

/**
 * The lines of `batch`'s input file whose custom_id is in `ids`, in file order, byte for byte (`body.model`
 * replaced when `model` is given), kept in a LineSpool (memory up to its bound, then a temporary file).
 * The file is streamed and its size checked; a cut transfer is read again from the start.
 */
export async function collectRetryLines(
	client: ImpalaClient,
	batch: Batch,
	ids: ReadonlySet<string>,
	options: { model?: string; signal?: AbortSignal } = {},
): Promise<RetryLines> {
	let current: RetryLines | undefined;
	try {
		await client.files.readVerified(
			batch.input_file_id,
			async (stream) => {
				// Read again after a cut transfer: start over with an empty spool.
				await current?.spool.dispose();
				current = { spool: new LineSpool(), lines: 0 };
				await keepLines(stream, ids, options.model, current);
			},
			{ signal: options.signal },
		);
	} catch (error) {
		await current?.spool.dispose();
		throw error;
	}
	const result = current!;
	if (result.lines !== ids.size) {
		await result.spool.dispose();
		throw new RetryError(
			`Only ${result.lines} of the ${ids.size} requests to retry were found in the input file ${batch.input_file_id} of batch ${batch.id}`,
			'The input file no longer holds the lines the batch ran (it may have been replaced). Build the requests again and create a new batch. No file was uploaded and no batch was created.',
		);
	}
	return result;
}

async function keepLines(stream: Readable, ids: ReadonlySet<string>, model: string | undefined, into: RetryLines): Promise<void> {
	const splitter = new LineSplitter();
	const clock = new SliceClock();
	const seen = new Set<string>();
	const keep = async (): Promise<void> => {
		const { buf, start, end } = splitter;
		const id = fastCustomId(buf, start, end) ?? parsedCustomId(splitter);
		if (id === undefined || !ids.has(id) || seen.has(id)) return;
		seen.add(id);
		const line = model === undefined ? buf.subarray(start, end) : withModel(splitter, model);
		// Copied (the splitter's buffer is reused for the next line) into chunks of about CHUNK_BYTES: the
		// upload then streams a few large chunks rather than one per line.
		pending.push(Buffer.from(line), NEWLINE);
		pendingBytes += line.length + 1;
		into.lines++;
		if (pendingBytes >= CHUNK_BYTES) await flush();
	};
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	const flush = async (): Promise<void> => {
		if (pendingBytes === 0) return;
		const chunk = Buffer.concat(pending, pendingBytes);
		pending = [];
		pendingBytes = 0;
		await into.spool.append(chunk);
	};
	try {
		for await (const chunk of stream as AsyncIterable<Buffer>) {
			splitter.push(chunk);
			while (splitter.next()) {
				await keep();
				if (clock.due()) await clock.yield();
			}
		}
		if (splitter.finish()) await keep();
		await flush();
	} finally {
		if (!stream.destroyed) stream.destroy();
	}
	await into.spool.close();
}

function parseLine(splitter: LineSplitter): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(splitter.text());
		return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	} catch {
		return undefined;
	}
}

function parsedCustomId(splitter: LineSplitter): string | undefined {
	const id = parseLine(splitter)?.custom_id;
	return typeof id === 'string' ? id : undefined;
}

/** The line with `body.model` set to `model` (the rest as parsed: same keys, same order). */
function withModel(splitter: LineSplitter, model: string): Buffer {
	const line = parseLine(splitter);
	const body = line?.body;
	if (!line || body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw new RetryError(
			`Line ${splitter.lineNumber} of the input file has no request body, so its model cannot be replaced`,
			'Leave "New Model" empty to send the lines as they were, or build the requests again.',
		);
	}
	(body as Record<string, unknown>).model = model;
	return Buffer.from(JSON.stringify(line), 'utf8');
}
