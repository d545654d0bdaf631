import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stableHash } from './ids';

const WINDOW = 64;

/**
 * Appends JSONL lines to a file in an order different from the order they were added (a
 * deterministic shuffle within small windows), because the real service guarantees no order.
 * Memory stays at one window.
 */
export class ShuffledLineWriter {
	private window: Array<{ key: string; json: string }> = [];
	private stream?: WriteStream;
	private written = 0;
	private writtenBytes = 0;

	constructor(readonly path: string) {}

	/** Bytes written to the file so far (all of them once `close()` resolved). */
	get bytes(): number {
		return this.writtenBytes;
	}

	async add(key: string, json: string): Promise<void> {
		this.window.push({ key, json });
		if (this.window.length >= WINDOW) await this.flush();
	}

	async flush(): Promise<void> {
		if (this.window.length === 0) return;
		const lines = shuffle(this.window);
		this.window = [];
		this.stream ??= createWriteStream(this.path, { flags: 'a' });
		for (const line of lines) {
			const text = `${line.json}\n`;
			this.written++;
			this.writtenBytes += Buffer.byteLength(text);
			if (!this.stream.write(text)) await once(this.stream, 'drain');
		}
	}

	/** Flushes and closes; true when the file holds at least one line. */
	async close(): Promise<boolean> {
		await this.flush();
		if (this.stream) {
			const stream = this.stream;
			this.stream = undefined;
			stream.end();
			await once(stream, 'close');
		}
		return this.written > 0;
	}

	destroy(): void {
		this.stream?.destroy();
		this.stream = undefined;
	}
}

function shuffle<T extends { key: string }>(items: T[]): T[] {
	const ordered = items
		.map((item, index) => ({ item, index, rank: stableHash(item.key, 12) }))
		.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.index - b.index));
	// A hash order can match the input order by chance; never hand back the input order.
	if (ordered.every((entry, i) => entry.index === i)) ordered.reverse();
	return ordered.map((entry) => entry.item);
}
