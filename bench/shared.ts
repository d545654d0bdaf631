// Shared by the benchmarks: the emulator in its own process, memory/time sampling and figure rounding.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { getHeapStatistics } from 'node:v8';
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
	return serverProcess(spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: path.join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] }));
}

/** A child process that prints its URL on its first line and stops on SIGTERM. */
async function serverProcess(child: ChildProcess): Promise<EmulatorProcess> {
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

/**
 * A server on loopback (in its own process) that reads and discards what it is sent: the floor's upload
 * target (`POST /discard`), and just enough of Impala for an upload and a create (`POST /v1/files`,
 * `POST /v1/batches`), so the Builder's figures compare with the floor's and not with a server's disk.
 */
export async function startDiscardServer(): Promise<EmulatorProcess> {
	const code = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => {
	let bytes = 0; const chunks = [];
	req.on('data', (c) => { bytes += c.length; if (req.url === '/v1/batches') chunks.push(c); });
	req.on('end', () => {
		const now = Math.floor(Date.now() / 1000);
		const json = (body) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(body)); };
		if (req.method === 'POST' && req.url === '/discard') { res.writeHead(204); return res.end(); }
		if (req.method === 'POST' && req.url === '/v1/files') return json({ id: 'file-' + ++n, object: 'file', bytes, created_at: now, filename: 'upload.jsonl', purpose: 'batch' });
		if (req.method === 'POST' && req.url === '/v1/batches') {
			const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			return json({ id: 'batch-' + ++n, object: 'batch', endpoint: body.endpoint, input_file_id: body.input_file_id, completion_window: body.completion_window, status: 'validating', created_at: now, metadata: body.metadata ?? null });
		}
		res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"error":{"message":"not here","type":"invalid_request_error"}}');
	});
});
server.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));`;
	return serverProcess(spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] }));
}

/**
 * An HTTP proxy on loopback (in its own process) that forwards to `target` and sends each answer at no more
 * than `bytesPerSecond`, per connection: a link whose every download is capped (as over a long network
 * path), while several downloads at once each get the full rate.
 */
export async function startCappedProxy(target: string, bytesPerSecond: number): Promise<EmulatorProcess> {
	const code = `
const http = require('node:http');
const target = new URL(${JSON.stringify(target)});
const rate = ${bytesPerSecond};
const server = http.createServer((req, res) => {
	const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
		res.writeHead(answer.statusCode, answer.headers);
		const started = Date.now();
		let sent = 0;
		answer.on('data', (chunk) => {
			sent += chunk.length;
			const drained = res.write(chunk);
			const early = started + (sent / rate) * 1000 - Date.now();
			if (drained && early <= 0) return;
			// Paused until the client took the chunk and the rate allows the next one.
			answer.pause();
			let waits = 0;
			const go = () => { if (--waits === 0) answer.resume(); };
			if (!drained) { waits++; res.once('drain', go); }
			if (early > 0) { waits++; setTimeout(go, early); }
		});
		answer.on('end', () => res.end());
	});
	up.on('error', () => res.destroy());
	req.pipe(up);
});
server.listen(0, '127.0.0.1', () => process.stdout.write('http://127.0.0.1:' + server.address().port + '\\n'));
process.on('SIGTERM', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });`;
	return serverProcess(spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] }));
}

/** The longest event-loop stall while `work` runs, in ms (perf_hooks.monitorEventLoopDelay). */
export function stallMonitor(): { stop(): number } {
	const histogram = monitorEventLoopDelay({ resolution: 5 });
	histogram.enable();
	return {
		stop() {
			histogram.disable();
			return round(histogram.max / 1e6);
		},
	};
}

/** Peak RSS growth over the RSS when started, sampled every 10 ms. */
export function memoryWindow(): { stop(): number } {
	// The cheapest reads (a sample costs the measured work): RSS alone, and V8's own heap figures below.
	const base = process.memoryUsage.rss();
	let peak = base;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
	return {
		stop() {
			clearInterval(timer);
			peak = Math.max(peak, process.memoryUsage.rss());
			return round((peak - base) / MB);
		},
	};
}

/**
 * Peak growth of heapUsed + external (Buffers and other memory outside the JS heap), sampled every 10 ms:
 * what the work itself holds, even where RSS reuses pages freed before. The larger of the peak over the
 * start and the largest rise over the lowest point seen before it: memory held at the start and freed
 * during the work (an earlier node's buffer collected late) cannot hide the work's own growth.
 * With `live` (and --expose-gc), each sample is taken right after a full collection: the memory the work
 * holds, without garbage not yet collected (slows the work: use it where time is not compared).
 */
export function heapWindow(options: { live?: boolean } = {}): { stop(): number } {
	const gc = options.live ? (globalThis as { gc?: () => void }).gc : undefined;
	const now = () => {
		gc?.();
		const heap = getHeapStatistics();
		return heap.used_heap_size + heap.external_memory;
	};
	const base = now();
	let peak = base;
	let low = base;
	let rise = 0;
	const sample = () => {
		const value = now();
		peak = Math.max(peak, value);
		low = Math.min(low, value);
		rise = Math.max(rise, value - low);
	};
	const timer = setInterval(sample, gc ? 50 : 10);
	return {
		stop() {
			clearInterval(timer);
			sample();
			return round(Math.max(peak - base, rise) / MB);
		},
	};
}

/**
 * With BENCH_CPU_PROF=<folder>: a V8 CPU profile of the measured part only (not the process's start or
 * setup), written to <folder>/<name>.cpuprofile when stopped. Without it, does nothing.
 */
export function cpuProfile(name: string): { stop(): void } {
	const folder = process.env.BENCH_CPU_PROF;
	if (!folder) return { stop() {} };
	const session = new Session();
	session.connect();
	session.post('Profiler.enable');
	session.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_CPU_PROF_US) || 250 });
	session.post('Profiler.start');
	return {
		stop() {
			session.post('Profiler.stop', (error, result) => {
				if (!error) writeFileSync(path.join(folder, `${name}.cpuprofile`), JSON.stringify(result.profile));
				session.disconnect();
			});
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
	/** First touches of fresh 4 KB pages during the work (see `pageFaultMicros`). */
	pageFaults: number;
}

/** Minor page faults of this process so far: each one a first touch of a fresh 4 KB page. */
export const minorFaults = (): number => process.resourceUsage().minorPageFault;

/**
 * Microseconds one minor page fault costs on this machine (best of 3 writes of a fresh 64 MB buffer,
 * divided by the faults they took). Well under 1 µs on ordinary hardware; 10-20 µs on some VMs, where
 * memory a run holds (its pages touched for the first time) becomes a large part of its time.
 */
export function pageFaultMicros(): number {
	let best = Infinity;
	for (let i = 0; i < 3; i++) {
		const faults = minorFaults();
		const started = process.hrtime.bigint();
		Buffer.allocUnsafeSlow(64 * 1024 * 1024).fill(1);
		const micros = Number(process.hrtime.bigint() - started) / 1e3;
		best = Math.min(best, micros / Math.max(1, minorFaults() - faults));
		(globalThis as { gc?: () => void }).gc?.();
	}
	return best;
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
	const faults = minorFaults();
	const started = process.hrtime.bigint();
	let result: T;
	try {
		result = await work();
	} finally {
		clearInterval(timer);
	}
	const exactSeconds = Number(process.hrtime.bigint() - started) / 1e9;
	const pageFaults = minorFaults() - faults;
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
			pageFaults,
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
