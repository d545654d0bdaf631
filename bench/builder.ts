/**
 * Impala Batch Builder: build + upload of 50,000 rows against the emulator, through the real node in
 * n8n-core's engine. Each scenario runs in its own process (peak memory is per process); the emulator
 * runs in another, paced manually, so its work and memory do not count.
 *
 *   node --import tsx bench/builder.ts            all scenarios
 *   node --import tsx bench/builder.ts items      one of: items, csv, passes
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MB, round, runBench, startEmulatorProcess } from './shared';

const ROWS = 50_000;
const SCENARIOS = ['items', 'csv', 'passes'] as const;
type Scenario = (typeof SCENARIOS)[number];

/** A question of ~250 characters, different on every row, with some non-ASCII text. */
function question(i: number): string {
	return `Question ${i}: summarise the customer's note in one sentence. Note: "Ordered item #${i * 7} on day ${i % 365}; it arrived damaged (Karton eingedrückt, ½ missing). I would like a replacement or a refund — whichever is faster." Tone: polite.`;
}

/** Runs the builder node in this process and prints one line of figures. */
async function runScenario(scenario: Scenario, url: string, csvFile: string): Promise<void> {
	if (scenario === 'passes') return runPasses();
	// Loaded here, not at the top: the parent process only starts the emulator and the scenarios.
	const { runWorkflow, nodeOutput } = await import('../test/helpers/workflow');
	const { BUILDER, fileWorkflow, itemsWorkflow } = await import('../test/workflow/fixtures/builder/workflows');
	const builderParameters = {
		mode: 'createBatch',
		endpoint: '/v1/chat/completions',
		model: 'bench-model',
		systemMessage: 'Be brief.',
		customIdSource: 'field',
		options: { maxTokens: 64 },
	};
	const workflow =
		scenario === 'items'
			? itemsWorkflow(
					{ jsCode: `const q = ${question.toString()}; return Array.from({ length: ${ROWS} }, (_, i) => ({ json: { id: 'q' + i, text: q(i) } }));` },
					{ ...builderParameters, userMessage: '={{ $json.text }}', customId: '={{ $json.id }}' },
				)
			: fileWorkflow(csvFile, { ...builderParameters, userMessage: '{{text}}', customId: '{{id}}' });
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const baseRss = process.memoryUsage().rss;
	const run = await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl: url, apiKey: '' } } });
	const [batch] = nodeOutput(run, BUILDER);
	const seconds = (run.data.resultData.runData[BUILDER][0].executionTime ?? 0) / 1000;
	const summary = batch.json.summary as { rows: number; bytes: number };
	if (summary.rows !== ROWS) throw new Error(`expected ${ROWS} rows, got ${summary.rows}`);
	const peakRss = process.resourceUsage().maxRSS * 1024;
	process.stdout.write(
		`${scenario === 'items' ? 'n8n items (expressions)' : 'CSV file (templates)   '}: ${ROWS.toLocaleString('en-US')} rows, ` +
			`${round(summary.bytes / MB)} MB JSONL, builder node ${round(seconds, 2)} s = ` +
			`${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s, ${round(summary.bytes / MB / seconds)} MB/s; ` +
			`process peak RSS ${round(peakRss / MB)} MB (${round(baseRss / MB)} MB before the run, source rows included)\n`,
	);
}

/** The CSV of the file scenario, written by the parent so its making does not count. */
function writeCsv(dir: string): string {
	const file = path.join(dir, 'rows.csv');
	const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
	writeFileSync(file, `id;text\n${Array.from({ length: ROWS }, (_, i) => `q${i};${quote(question(i))}`).join('\n')}\n`);
	return file;
}

/** The two-pass design in numbers: pass one (validate, count) vs pass two (rebuild for upload), core only. */
async function runPasses(): Promise<void> {
	const { partLines, planBuild } = await import('../src/jsonl');
	const source = {
		size: ROWS,
		noun: 'Row' as const,
		numberOf: (i: number) => i + 2,
		itemIndexOf: () => 0,
		read: (i: number) => ({
			customId: `q${i}`,
			input: { endpoint: '/v1/chat/completions' as const, model: 'bench-model', systemMessage: 'Be brief.', userMessage: question(i), maxTokens: 64 },
		}),
	};
	const settings = { endpoint: '/v1/chat/completions' as const, generateCustomIds: false, split: false };
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const heap0 = process.memoryUsage().heapUsed;
	let t = process.hrtime.bigint();
	const plan = planBuild(source, settings);
	const pass1 = Number(process.hrtime.bigint() - t) / 1e9;
	gc?.();
	const planHeap = process.memoryUsage().heapUsed - heap0;
	t = process.hrtime.bigint();
	let bytes = 0;
	for await (const chunk of partLines(source, settings, plan, 0)) bytes += Buffer.byteLength(chunk);
	const pass2 = Number(process.hrtime.bigint() - t) / 1e9;
	gc?.();
	const heap1 = process.memoryUsage().heapUsed;
	const held: string[] = [];
	for await (const chunk of partLines(source, settings, plan, 0)) held.push(chunk);
	gc?.();
	const heldHeap = process.memoryUsage().heapUsed - heap1;
	process.stdout.write(
		`two passes, core only (${ROWS.toLocaleString('en-US')} chat rows, ${round(bytes / MB)} MB): pass one (build, validate, count, fingerprint) ` +
			`${round(pass1, 2)} s, pass two (rebuild + check) ${round(pass2, 2)} s; pass one keeps ~${round(planHeap / MB)} MB ` +
			`(ids, counts, ${round(plan.fingerprints.length / MB)} MB fingerprints) where holding the lines would keep ~${round(heldHeap / MB)} MB\n`,
	);
	if (held.length === 0) throw new Error('no lines');
}

async function main(): Promise<void> {
	const [scenario, url, csvFile] = process.argv.slice(2);
	if (url) return runScenario(scenario as Scenario, url, csvFile);
	const chosen = SCENARIOS.filter((s) => !scenario || s === scenario);
	const dir = mkdtempSync(path.join(tmpdir(), 'builder-bench-'));
	const emulator = await startEmulatorProcess({ pace: 'manual' });
	try {
		const file = writeCsv(dir);
		for (const s of chosen) {
			const args = ['--expose-gc', '--import', 'tsx', __filename, s, emulator.url, file];
			const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
			if (result.status !== 0) process.exitCode = 1;
		}
	} finally {
		await emulator.stop();
		rmSync(dir, { recursive: true, force: true });
	}
}

runBench(main);
