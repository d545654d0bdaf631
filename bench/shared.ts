// Shared by the benchmarks: the emulator in its own process, memory/time sampling and figure rounding.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { EmulatorOptions } from '../src/emulator';

export const MB = 1_000_000;

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface EmulatorProcess {
	url: string;
	child: ChildProcess;
	stop(): Promise<void>;
}

/** Starts the emulator (port 0) in a child process, so its work and memory do not count against the bench's. */
export async function startEmulatorProcess(options: Omit<EmulatorOptions, 'port'> = {}): Promise<EmulatorProcess> {
	const code = `require('./src/emulator').startEmulator({ ...${JSON.stringify(options)}, port: 0 }).then((emu) => { process.stdout.write(emu.url + '\\n'); process.on('SIGTERM', () => emu.close().then(() => process.exit(0))); })`;
	const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
	const [url] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
	return {
		url: url.trim(),
		child,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await once(child, 'exit');
		},
	};
}

/** A chat request line (user message only, model "bench-model"), ended with \n. */
export function benchChatLine(customId: string, text: string): string {
	return `${JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'bench-model', messages: [{ role: 'user', content: text }] } })}\n`;
}

export interface Peak {
	seconds: number;
	peakRssGrowthMb: number;
	peakHeapGrowthMb: number;
	peakExternalGrowthMb: number;
	/** Heap still held after the work, with its result alive (after gc). */
	retainedHeapMb: number;
}

/** Runs `work`, sampling memory every 10 ms; figures are growth over the baseline taken just before (after gc when --expose-gc). */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; exactSeconds: number; figures: Peak }> {
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
	const timer = setInterval(sample, 10);
	const started = process.hrtime.bigint();
	let result: T;
	try {
		result = await work();
	} finally {
		clearInterval(timer);
	}
	const exactSeconds = Number(process.hrtime.bigint() - started) / 1e9;
	sample();
	gc?.();
	const retained = process.memoryUsage().heapUsed - base.heapUsed;
	return {
		result,
		exactSeconds,
		figures: {
			seconds: round(exactSeconds),
			peakRssGrowthMb: round((peak.rss - base.rss) / MB),
			peakHeapGrowthMb: round((peak.heap - base.heapUsed) / MB),
			peakExternalGrowthMb: round((peak.external - base.external) / MB),
			retainedHeapMb: round(retained / MB),
		},
	};
}

/** Runs a bench's main and reports a failure on stderr with a non-zero exit code. */
export function runBench(main: () => Promise<void>): void {
	main().catch((error) => {
		process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
		process.exitCode = 1;
	});
}
