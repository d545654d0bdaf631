/**
 * Get Results over a 50,000-line batch: peak memory of the streaming join (output + error + input files read
 * line by line over HTTP, rows in input order) against the file sizes, and against reading the output whole.
 * The emulator runs in a child process so its memory does not count.
 * Run: node --import tsx --expose-gc bench/results.ts   (or `npm run bench -- results`)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { ImpalaClient } from '../src/client';
import { fetchBatchResults, type ResultRow } from '../src/results';
import { presentFileId, type Batch } from '../src/schemas';
import { loadWorkflowFile, nodeOutput, runWorkflow } from '../test/helpers/workflow';

const MB = 1_000_000;
const LINES = 50_000;
const TEXT_CHARS = 400;

function* inputLines(): Generator<string> {
	for (let i = 0; i < LINES; i++) {
		// Every 40th request fails (error file); the text makes each answer ~TEXT_CHARS long.
		const text = `${i % 40 === 0 ? '[[fail]] ' : ''}question ${i} ${'x'.repeat(TEXT_CHARS)}`;
		yield `${JSON.stringify({ custom_id: `row-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'bench-model', messages: [{ role: 'user', content: text }] } })}\n`;
	}
}

async function startEmulatorProcess(): Promise<{ url: string; child: ChildProcess }> {
	const code = `require('./src/emulator').startEmulator({ port: 0, pace: { stepMs: 10 } }).then((emu) => { process.stdout.write(emu.url + '\\n'); process.on('SIGTERM', () => emu.close().then(() => process.exit(0))); })`;
	const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: `${__dirname}/..`, stdio: ['ignore', 'pipe', 'inherit'] });
	const lines = createInterface({ input: child.stdout! });
	const [url] = (await once(lines, 'line')) as [string];
	return { url: url.trim(), child };
}

interface Peak {
	seconds: number;
	peakRssGrowthMb: number;
	peakHeapGrowthMb: number;
	/** Heap still held after the work, with its result alive (after gc). */
	retainedHeapMb: number;
}

async function measure<T>(work: () => Promise<T>): Promise<{ result: T; figures: Peak }> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const base = process.memoryUsage();
	const peak = { rss: base.rss, heap: base.heapUsed };
	const sample = () => {
		const m = process.memoryUsage();
		peak.rss = Math.max(peak.rss, m.rss);
		peak.heap = Math.max(peak.heap, m.heapUsed);
	};
	const timer = setInterval(sample, 10);
	const started = process.hrtime.bigint();
	const result = await work();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	clearInterval(timer);
	sample();
	gc?.();
	const retained = process.memoryUsage().heapUsed - base.heapUsed;
	return {
		result,
		figures: {
			seconds: round(seconds),
			peakRssGrowthMb: round((peak.rss - base.rss) / MB),
			peakHeapGrowthMb: round((peak.heap - base.heapUsed) / MB),
			retainedHeapMb: round(retained / MB),
		},
	};
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main() {
	const { url, child } = await startEmulatorProcess();
	try {
		const client = new ImpalaClient({ baseUrl: url });
		const input = await client.files.upload({ file: Readable.from(inputLines()), filename: 'bench.jsonl' });
		let batch: Batch = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions' });
		while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			batch = await client.batches.get(batch.id);
		}
		if (batch.status !== 'completed') throw new Error(`bench batch ended ${batch.status}`);
		const outputId = presentFileId(batch.output_file_id)!;
		const errorId = presentFileId(batch.error_file_id);
		const sizes = {
			inputMb: round(input.bytes / MB),
			outputMb: round((await client.files.get(outputId)).bytes / MB),
			errorMb: errorId ? round((await client.files.get(errorId)).bytes / MB) : 0,
		};

		const streamed = await measure(async () => {
			const rows: ResultRow[] = [];
			for await (const row of fetchBatchResults(client, batch)) rows.push(row);
			return rows;
		});
		const rows = streamed.result;
		if (rows.length !== LINES || rows[0].custom_id !== 'row-0' || rows[LINES - 1].custom_id !== `row-${LINES - 1}`) {
			throw new Error('rows are not complete or not in input order');
		}
		const failed = rows.filter((r) => r.status === 'failed').length;
		streamed.result.length = 0;

		// For comparison only: what reading the output file whole and parsing every line would hold.
		const whole = await measure(async () => {
			const text = await (await client.files.content(outputId)).setEncoding('utf8').toArray().then((parts: string[]) => parts.join(''));
			return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
		});
		const wholeCount = whole.result.length;

		// The real Impala node (Get Results) through n8n-core's WorkflowExecute: what a user's execution holds.
		const workflow = loadWorkflowFile(`${__dirname}/../test/workflow/fixtures/impala/single-operation.json`, {
			'"__PARAMETERS__"': JSON.stringify({ resource: 'batch', operation: 'getResults', batchId: { __rl: true, mode: 'id', value: batch.id } }),
			__ON_ERROR__: 'stopWorkflow',
			__ITEMS_CODE__: 'return [{json:{}}];',
		});
		const node = await measure(async () => {
			const run = await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl: url, apiKey: '' } } });
			return nodeOutput(run, 'Impala');
		});
		const nodeItems = node.result.length;
		if (nodeItems !== LINES) throw new Error(`the node gave ${nodeItems} items`);

		const report = {
			lines: LINES,
			failed,
			files: sizes,
			streamingJoin: streamed.figures,
			impalaNodeGetResults: { ...node.figures, items: nodeItems },
			readWholeOutputAndParse: { ...whole.figures, lines: wholeCount },
		};
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	} finally {
		child.kill('SIGTERM');
	}
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exitCode = 1;
});
