/**
 * Memory and speed of a ~200 MB streamed upload and a ~200 MB streamed download through ImpalaClient.
 * The emulator runs in a child process so its memory does not count against the client's.
 * Run: node --import tsx --expose-gc bench/upload-download.ts   (--expose-gc makes the baseline steadier)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { ImpalaClient } from '../src/client';
import { LIMITS } from '../src/schemas';

const MB = 1_000_000;
const TARGET_BYTES = LIMITS.maxBatchFileBytes - 1_000_000; // just under the 200 MB limit
const LINE_COUNT = 49_000; // under the 50,000-line limit

export interface Figures {
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
	const skeleton = (i: number, text: string) =>
		`${JSON.stringify({ custom_id: `row-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'bench-model', messages: [{ role: 'user', content: text }] } })}\n`;
	let written = 0;
	for (let i = 0; i < lines; i++) {
		const remainingLines = lines - i;
		const budget = Math.floor((totalBytes - written) / remainingLines);
		const bare = skeleton(i, '');
		const line = skeleton(i, 'x'.repeat(Math.max(0, budget - Buffer.byteLength(bare))));
		written += Buffer.byteLength(line);
		yield line;
	}
}

async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
	const code = `require('./src/emulator').startEmulator({ port: 0 }).then((emu) => { process.stdout.write(emu.url + '\\n'); process.on('SIGTERM', () => emu.close().then(() => process.exit(0))); })`;
	const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: `${__dirname}/..`, stdio: ['ignore', 'pipe', 'inherit'] });
	const lines = createInterface({ input: child.stdout! });
	const [url] = (await once(lines, 'line')) as [string];
	return { url: url.trim(), child };
}

/** Samples memory every 20 ms while `work` runs and returns the peak growth over the baseline. */
async function measure(label: string, work: () => Promise<number>): Promise<Figures> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const base = process.memoryUsage();
	const peak = { rss: base.rss, heap: base.heapUsed, external: base.external };
	const sample = () => {
		const m = process.memoryUsage();
		peak.rss = Math.max(peak.rss, m.rss);
		peak.heap = Math.max(peak.heap, m.heapUsed);
		peak.external = Math.max(peak.external, m.external);
	};
	const timer = setInterval(sample, 20);
	const started = process.hrtime.bigint();
	const bytes = await work();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	clearInterval(timer);
	sample();
	return {
		label,
		bytes,
		seconds: round(seconds),
		mbPerSecond: round(bytes / MB / seconds),
		peakRssGrowthMb: round((peak.rss - base.rss) / MB),
		peakHeapGrowthMb: round((peak.heap - base.heapUsed) / MB),
		peakExternalGrowthMb: round((peak.external - base.external) / MB),
	};
}

const round = (n: number) => Math.round(n * 10) / 10;

export async function runUploadDownloadBench(): Promise<Figures[]> {
	const { url, child } = await startEmulatorProcess();
	try {
		const client = new ImpalaClient({ baseUrl: url, maxRetries: 0 });
		let fileId = '';
		const upload = await measure('upload ~200 MB (streamed JSONL lines)', async () => {
			const file = await client.files.upload({ file: Readable.from(jsonlLines(TARGET_BYTES, LINE_COUNT)), filename: 'bench.jsonl' });
			fileId = file.id;
			if (file.bytes !== TARGET_BYTES) throw new Error(`Uploaded ${file.bytes} bytes, expected ${TARGET_BYTES}`);
			return file.bytes;
		});
		const download = await measure('download ~200 MB (file content stream)', async () => {
			const body = await client.files.content(fileId);
			let bytes = 0;
			for await (const chunk of body) bytes += (chunk as Buffer).length;
			if (bytes !== TARGET_BYTES) throw new Error(`Downloaded ${bytes} bytes, expected ${TARGET_BYTES}`);
			return bytes;
		});
		await client.files.delete(fileId);
		return [upload, download];
	} finally {
		child.kill('SIGTERM');
		await once(child, 'exit');
	}
}

if (require.main === module) {
	runUploadDownloadBench().then(
		(figures) => {
			for (const f of figures) {
				process.stdout.write(
					`${f.label}: ${(f.bytes / MB).toFixed(1)} MB in ${f.seconds} s (${f.mbPerSecond} MB/s); ` +
						`peak growth rss ${f.peakRssGrowthMb} MB, heap ${f.peakHeapGrowthMb} MB, external ${f.peakExternalGrowthMb} MB\n`,
				);
			}
		},
		(error) => {
			process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
			process.exitCode = 1;
		},
	);
}
