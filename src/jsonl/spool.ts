import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

/** Bytes kept in memory before the spool moves to a temporary file. */
export const SPOOL_MEMORY_BYTES = 32 * 1024 * 1024;

export interface SpoolOptions {
	/** Default SPOOL_MEMORY_BYTES. */
	memoryBytes?: number;
	/** Where the temporary folder is made; default the system's temp folder. */
	tempDir?: string;
}

/**
 * Holds the built lines until every row is checked: in memory up to a bound, then in a temporary
 * file. Any byte range can be read back as often as needed (an upload retried on 429 replays it).
 * `dispose()` removes the file; call it in a `finally`, whatever happened.
 */
export class LineSpool {
	/** Bytes kept in memory before moving to a file. */
	readonly memoryBytes: number;
	private chunks: Buffer[] = [];
	private file?: { dir: string; path: string; stream: WriteStream };
	private closed = false;
	private disposed = false;
	private writeError?: Error;
	size = 0;

	constructor(private readonly options: SpoolOptions = {}) {
		this.memoryBytes = options.memoryBytes ?? SPOOL_MEMORY_BYTES;
	}

	/** The temporary file, once the spool has moved to one. */
	get filePath(): string | undefined {
		return this.file?.path;
	}

	async append(bytes: Buffer): Promise<void> {
		if (this.closed || this.disposed) throw new Error('The spool is closed');
		this.size += bytes.length;
		if (!this.file && this.size <= this.memoryBytes) {
			this.chunks.push(bytes);
			return;
		}
		if (!this.file) await this.moveToFile();
		await this.write(bytes);
	}

	/** Call once every line is in: flushes the file. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		const file = this.file;
		if (file) {
			file.stream.end();
			if (!file.stream.closed) await once(file.stream, 'close');
			if (this.writeError) throw this.writeError;
		}
	}

	/** Bytes `start` (inclusive) to `end` (exclusive), as a fresh stream each time. */
	read(start = 0, end = this.size): Readable {
		if (!this.closed) throw new Error('Close the spool before reading it');
		if (this.disposed) throw new Error('The spool was removed');
		if (end <= start) return Readable.from([]);
		if (this.file) return createReadStream(this.file.path, { start, end: end - 1, highWaterMark: 256 * 1024 });
		return Readable.from(sliceChunks(this.chunks, start, end));
	}

	/** Forgets the bytes and removes the temporary file. Safe to call more than once. */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		this.chunks = [];
		const file = this.file;
		if (!file) return;
		if (!file.stream.closed) {
			file.stream.destroy();
			await once(file.stream, 'close').catch(() => undefined);
		}
		await rm(file.dir, { recursive: true, force: true });
	}

	private async moveToFile(): Promise<void> {
		const dir = await mkdtemp(path.join(this.options.tempDir ?? tmpdir(), 'impala-batch-'));
		const filePath = path.join(dir, 'lines.jsonl');
		const stream = createWriteStream(filePath);
		stream.on('error', (error) => (this.writeError = error));
		this.file = { dir, path: filePath, stream };
		if (this.disposed) {
			// Disposed while the folder was being made: nothing may stay behind.
			this.disposed = false;
			await this.dispose();
			throw new Error('The spool was removed');
		}
		const held = this.chunks;
		this.chunks = [];
		for (const chunk of held) await this.write(chunk);
	}

	private async write(bytes: Buffer): Promise<void> {
		const stream = this.file!.stream;
		if (this.writeError) throw this.writeError;
		if (!stream.write(bytes)) {
			await new Promise<void>((resolve, reject) => {
				const done = (error?: Error) => {
					stream.off('drain', done);
					stream.off('error', done);
					if (error) reject(error);
					else resolve();
				};
				stream.on('drain', done);
				stream.on('error', done);
			});
		}
	}
}

function* sliceChunks(chunks: readonly Buffer[], start: number, end: number): Generator<Buffer> {
	let offset = 0;
	for (const chunk of chunks) {
		const chunkEnd = offset + chunk.length;
		if (chunkEnd > start && offset < end) yield chunk.subarray(Math.max(0, start - offset), Math.min(chunk.length, end - offset));
		offset = chunkEnd;
		if (offset >= end) return;
	}
}
