/**
 * Memory and speed of a ~200 MB streamed upload and a ~200 MB streamed download through ImpalaClient.
 * The emulator runs in a child process so its memory does not count against the client's.
 * Run: node --import tsx --expose-gc bench/upload-download.ts   (--expose-gc makes the baseline steadier)
 */
import { Readable } from 'node:stream';
import { ImpalaClient } from '../src/client';
import { LIMITS } from '../src/schemas';
import { benchChatLine, MB, measure, round, runBench, startEmulatorProcess } from './shared';

const TARGET_BYTES = LIMITS.maxBatchFileBytes - 1_000_000; // just under the 200 MB limit
const LINE_COUNT = 49_000; // under the 50,000-line limit

interface Figures {
	label: string;
	bytes: number;
	seconds: number;
	mbPerSecond: number;
	peakRssGrowthMb: number;
	peakHeapGrowthMb: number;
	peakExternalGrowthMb: number;
}

/** Lines of a valid chat batch, padded so the whole file is `TARGET_BYTES` long; generated lazily. */
function* jsonlLines(totalBytes: number, lines: number): Generator<string> {
	let written = 0;
	for (let i = 0; i < lines; i++) {
		const remainingLines = lines - i;
		const budget = Math.floor((totalBytes - written) / remainingLines);
		const bare = benchChatLine(`row-${i}`, '');
		const line = benchChatLine(`row-${i}`, 'x'.repeat(Math.max(0, budget - Buffer.byteLength(bare))));
		written += Buffer.byteLength(line);
		yield line;
	}
}

/** Time and peak memory growth of `work`, which returns the bytes it moved. */
async function figuresOf(label: string, work: () => Promise<number>): Promise<Figures> {
	const { result: bytes, exactSeconds, figures } = await measure(work);
	const { seconds, peakRssGrowthMb, peakHeapGrowthMb, peakExternalGrowthMb } = figures;
	return { label, bytes, seconds, mbPerSecond: round(bytes / MB / exactSeconds), peakRssGrowthMb, peakHeapGrowthMb, peakExternalGrowthMb };
}

async function main(): Promise<void> {
	const emulator = await startEmulatorProcess();
	try {
		const client = new ImpalaClient({ baseUrl: emulator.url, maxRetries: 0 });
		let fileId = '';
		const upload = await figuresOf('upload ~200 MB (streamed JSONL lines)', async () => {
			const file = await client.files.upload({ file: Readable.from(jsonlLines(TARGET_BYTES, LINE_COUNT)), filename: 'bench.jsonl' });
			fileId = file.id;
			if (file.bytes !== TARGET_BYTES) throw new Error(`Uploaded ${file.bytes} bytes, expected ${TARGET_BYTES}`);
			return file.bytes;
		});
		const download = await figuresOf('download ~200 MB (file content stream)', async () => {
			const body = await client.files.content(fileId);
			let bytes = 0;
			for await (const chunk of body) bytes += (chunk as Buffer).length;
			if (bytes !== TARGET_BYTES) throw new Error(`Downloaded ${bytes} bytes, expected ${TARGET_BYTES}`);
			return bytes;
		});
		await client.files.delete(fileId);
		for (const f of [upload, download]) {
			process.stdout.write(
				`${f.label}: ${(f.bytes / MB).toFixed(1)} MB in ${f.seconds} s (${f.mbPerSecond} MB/s); ` +
					`peak growth rss ${f.peakRssGrowthMb} MB, heap ${f.peakHeapGrowthMb} MB, external ${f.peakExternalGrowthMb} MB\n`,
			);
		}
	} finally {
		await emulator.stop();
	}
}

runBench(main);
