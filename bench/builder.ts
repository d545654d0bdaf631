/**
 * Impala Batch Builder side by side, in one run, as ratios (issue 12): 50,000 chat rows against
 *   - the floor: JSON.stringify of the same request lines + a loopback upload of the bytes to a server
 *     that discards them;
 *   - the DIY Code-node way: one JSONL string, base64 binary, multipart upload;
 *   - a prebuilt JSONL file uploaded with our client;
 *   - the Builder from a CSV file (kept by n8n on disk, its default binary data mode) and from n8n items
 *     (the real node in n8n-core's engine), with 2 mapped fields ({{ $json.text }}, read straight from the
 *     items) and with 2 expressions n8n evaluates;
 *   - n8n's parameter floor: n8n evaluating the same 2 fields once per item (getNodeParameter), for each;
 *   - the Builder with the 2 expressions and its parameter floor alternated in one process, in pairs of
 *     smaller runs (a ratio the machine's changes of speed sway less);
 *   - the Builder from a 200 MB CSV (memory).
 * Uploads go to a discard server in its own process (an upload and a create, nothing stored), so the
 * figures compare the client side. Each scenario runs in its own process (peak memory is per process).
 * Time: the floor from its line objects to the server's answer; a node from its start (after a gc) to its
 * end, so the nodes before it, the files' creation and n8n's setup are outside for both sides.
 * Memory: peak growth during the measured part (for the Builder, from the moment the node starts, so
 * n8n's own items and binary are not counted), as RSS and as heap + buffers (RSS can hide growth that
 * reuses pages freed before). Stall: the longest event-loop delay during it. Page faults: first touches of
 * fresh memory during it (the report prints what one costs here: on this project's VM, far more than on
 * most machines).
 * BENCH_CPU_PROF=<folder> writes a CPU profile of each scenario's measured part there (<scenario>.cpuprofile).
 *
 *   node --expose-gc --import tsx bench/builder.ts              all scenarios
 *   node --expose-gc --import tsx bench/builder.ts csv items    some of them
 *   node --expose-gc --import tsx bench/builder.ts --rounds 5   each scenario 5 times (default 3), interleaved; the fastest counts
 *   node --expose-gc --import tsx bench/builder.ts --tsx        the Builder through tsx instead of the tsc build
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MB, cpuProfile, heapWindow, memoryWindow, minorFaults, pageFaultMicros, round, runBench, stallMonitor, startDiscardServer } from './shared';

const ROWS = 50_000;
const SCENARIOS = ['floor', 'diy', 'prebuilt', 'csv', 'items', 'paramFloor', 'itemsEvaluated', 'paramFloorEvaluated', 'itemsEvaluatedPaired', 'csv200', 'itemsMemory'] as const;
/** Runs about memory held, sampled after full collections: run once, their time not compared. */
const MEMORY_RUNS: readonly Scenario[] = ['csv200', 'itemsMemory'];
/** Runs that measure their own pairs in one process: run once. */
const ONCE: readonly Scenario[] = [...MEMORY_RUNS, 'itemsEvaluatedPaired'];
/** The paired run: items per run and pairs of runs. */
const PAIRED_ROWS = 5_000;
const PAIRS = 16;
type Scenario = (typeof SCENARIOS)[number];
/** Each item scenario and the parameter floor it is compared with. */
const PARAM_FLOOR_OF: Partial<Record<Scenario, Scenario>> = {
	items: 'paramFloor',
	paramFloor: 'paramFloor',
	itemsEvaluated: 'paramFloorEvaluated',
	paramFloorEvaluated: 'paramFloorEvaluated',
};
interface Figures {
	seconds: number;
	/** CPU time of the bench process (all its threads) over the same part: less swayed by other work on the machine. */
	cpuSeconds?: number;
	growthMb: number;
	/** Peak growth of the JS heap + memory outside it (Buffers), which RSS may hide when freed pages are reused. */
	heapMb?: number;
	stallMs?: number;
	/** First touches of fresh 4 KB pages (see `pageFaultMicros`). */
	pageFaults?: number;
	bytes?: number;
	/** The paired run: each pair's Builder time ÷ its parameter floor time. */
	pairRatios?: number[];
}

/** A question of ~250 characters, different on every row, with some non-ASCII text. */
function question(i: number): string {
	return `Question ${i}: summarise the customer's note in one sentence. Note: "Ordered item #${i * 7} on day ${i % 365}; it arrived damaged (Karton eingedrückt, ½ missing). I would like a replacement or a refund — whichever is faster." Tone: polite.`;
}

/** The ~4 KB question of the 200 MB CSV. */
function longQuestion(i: number): string {
	return `${question(i)} ${'Context: the parcel was left at the door, the box was wet and torn. '.repeat(55)}`;
}

const PARAMETERS = {
	mode: 'createBatch',
	endpoint: '/v1/chat/completions',
	model: 'bench-model',
	systemMessage: 'Be brief.',
	customIdSource: 'field',
	options: { maxTokens: 64 },
};

/** The request line the Builder makes for row i: the floor and the DIY way build the same. */
function requestLine(id: string, text: string) {
	return {
		custom_id: id,
		method: 'POST',
		url: '/v1/chat/completions',
		body: { model: 'bench-model', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: text }], max_tokens: 64 },
	};
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1e6;
}

async function timed(name: string, work: () => Promise<number | void>): Promise<Figures> {
	const gc = (globalThis as { gc?: () => void }).gc;
	gc?.();
	const memory = memoryWindow();
	const heap = heapWindow();
	const stall = stallMonitor();
	const profile = cpuProfile(name);
	const cpu = process.cpuUsage();
	const faults = minorFaults();
	const started = process.hrtime.bigint();
	const bytes = await work();
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const pageFaults = minorFaults() - faults;
	const cpuSeconds = cpuSecondsSince(cpu);
	profile.stop();
	return { seconds, cpuSeconds, growthMb: memory.stop(), heapMb: heap.stop(), stallMs: stall.stop(), pageFaults, ...(typeof bytes === 'number' && { bytes }) };
}

/** Bytes of each of the floor's two send buffers. */
const FLOOR_BUFFER_BYTES = 256 * 1024;

/**
 * JSON.stringify of every line, streamed to the discard server as it is made. The line objects (and their
 * texts) exist before the clock starts: the floor is the stringify and the upload, nothing else. Each
 * line's UTF-8 is written into one of two buffers, sent while the other fills, so the floor takes no new
 * memory per piece. (Until 2026-12-04 the floor glued lines into 256 KB strings, whose text went to V8's
 * large-object space with fresh pages each time, and stringified ropes: 2×–4× slower on this machine.)
 */
async function floor(url: string): Promise<Figures> {
	// Through JSON and back, so every text is one flat string, as the Builder's texts (from a CSV or n8n's
	// items) are: a template literal's text is a rope, which stringify would flatten on the clock.
	const lines = Array.from({ length: ROWS }, (_, i) => JSON.parse(JSON.stringify(requestLine(`q${i}`, question(i)))) as ReturnType<typeof requestLine>);
	return timed('floor', async () => {
		const req = request(`${url}/discard`, { method: 'POST', headers: { 'content-type': 'application/jsonl' } });
		const answered = once(req, 'response');
		const buffers = [Buffer.allocUnsafe(FLOOR_BUFFER_BYTES), Buffer.allocUnsafe(FLOOR_BUFFER_BYTES)];
		let filling = 0;
		let used = 0;
		let bytes = 0;
		let sending: Promise<void> = Promise.resolve();
		const send = async () => {
			const piece = buffers[filling].subarray(0, used);
			bytes += used;
			await sending; // the other buffer is free again once its piece is written
			sending = new Promise<void>((resolve, reject) => req.write(piece, (error) => (error ? reject(error) : resolve())));
			filling ^= 1;
			used = 0;
		};
		for (let i = 0; i < ROWS; i++) {
			const json = JSON.stringify(lines[i]);
			if (used + json.length * 3 + 1 > FLOOR_BUFFER_BYTES) await send();
			used += buffers[filling].write(json, used, 'utf8');
			buffers[filling][used++] = 0x0a;
		}
		if (used > 0) await send();
		await sending;
		req.end();
		const [res] = (await answered) as [import('node:http').IncomingMessage];
		res.resume();
		return bytes;
	});
}

/** What a Code node + HTTP Request node do: one JSONL string, kept as base64 binary, sent as multipart. */
async function diy(url: string): Promise<Figures> {
	return timed('diy', async () => {
		const text = Array.from({ length: ROWS }, (_, i) => JSON.stringify(requestLine(`q${i}`, question(i)))).join('\n') + '\n';
		const base64 = Buffer.from(text, 'utf8').toString('base64');
		const bytes = Buffer.from(base64, 'base64');
		const form = new FormData();
		form.append('purpose', 'batch');
		form.append('file', new Blob([bytes]), 'batch.jsonl');
		const res = await fetch(`${url}/v1/files`, { method: 'POST', body: form });
		await res.arrayBuffer();
		return bytes.length;
	});
}

async function prebuilt(url: string, jsonlFile: string): Promise<Figures> {
	const { ImpalaClient } = await import('../src/client');
	const client = new ImpalaClient({ baseUrl: url });
	return timed('prebuilt', async () => {
		const file = await client.files.upload({ file: createReadStream(jsonlFile), filename: 'batch.jsonl', purpose: 'batch' });
		return file.bytes;
	});
}

/** The Builder compiled by tsc (as published), not run through tsx. */
const BUILD_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'impala-bench-build');
const BUILDER_TYPE = 'n8n-nodes-impala.impalaBatchBuilder';

/**
 * Makes the test runner load the Builder from the tsc build: tsx's transform adds work the published
 * JavaScript does not have (a getter on every call into another module, `__name` on every inner
 * function), while n8n's own code (the floor) is compiled JavaScript. Both sides then run as shipped.
 */
let builtBuilderInUse = false;
function useBuiltBuilder(): void {
	if (!process.env.BENCH_BUILD || builtBuilderInUse) return;
	builtBuilderInUse = true;
	const { TestNodeTypes } = require('../test/helpers/workflow') as typeof import('../test/helpers/workflow');
	const original = TestNodeTypes.prototype.getByName;
	const file = path.join(process.env.BENCH_BUILD, 'nodes', 'ImpalaBatchBuilder', 'ImpalaBatchBuilder.node.js');
	const built = new (require(file) as { ImpalaBatchBuilder: new () => ReturnType<typeof original> }).ImpalaBatchBuilder();
	// n8n asks for the node type on every getNodeParameter call: answer without work.
	TestNodeTypes.prototype.getByName = function (name: string) {
		return name === BUILDER_TYPE ? built : original.call(this, name);
	};
}

/** Compiles the package with tsc into BUILD_DIR (inside node_modules, so its imports resolve). */
function buildPackage(): void {
	rmSync(BUILD_DIR, { recursive: true, force: true });
	const tsc = require.resolve('typescript/bin/tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--outDir', BUILD_DIR], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
	if (result.status !== 0) throw new Error('tsc failed: the bench measures the compiled package');
}

/**
 * Runs a workflow and measures the node named `measured` only: from its start (after a gc, which n8n's
 * own clock would count) to its end, so the nodes before it (making the items, reading the file) and
 * n8n's setup are outside, as they are outside the floor.
 */
async function measureNode(
	scenario: Scenario,
	workflow: Parameters<typeof import('../test/helpers/workflow').runWorkflow>[0],
	url: string,
	measured: string,
): Promise<Figures> {
	const { runWorkflow, nodeOutput } = await import('../test/helpers/workflow');
	useBuiltBuilder();
	let memory: { stop(): number } | undefined;
	let heap: { stop(): number } | undefined;
	let stall: { stop(): number } | undefined;
	let profile: { stop(): void } | undefined;
	let started = 0n;
	let cpu: NodeJS.CpuUsage | undefined;
	let faults = 0;
	const figures: Partial<Figures> = {};
	const run = await runWorkflow(workflow, {
		credentials: { impalaApi: { baseUrl: url, apiKey: '' } },
		onNodeStart: (name) => {
			if (name !== measured) return;
			(globalThis as { gc?: () => void }).gc?.();
			memory = memoryWindow();
			// A memory run: what the node holds, sampled after full collections.
			heap = heapWindow({ live: MEMORY_RUNS.includes(scenario) });
			stall = stallMonitor();
			profile = cpuProfile(scenario);
			cpu = process.cpuUsage();
			faults = minorFaults();
			started = process.hrtime.bigint();
		},
		onNodeEnd: (name) => {
			if (name !== measured) return;
			figures.seconds = Number(process.hrtime.bigint() - started) / 1e9;
			figures.pageFaults = minorFaults() - faults;
			figures.cpuSeconds = cpu && cpuSecondsSince(cpu);
			profile?.stop();
			figures.growthMb = memory?.stop();
			figures.heapMb = heap?.stop();
			figures.stallMs = stall?.stop();
		},
	});
	const items = nodeOutput(run, measured);
	const summaries = items.map((item) => item.json.summary as { rows: number; bytes: number } | undefined);
	const bytes = summaries.reduce((sum, s) => sum + (s?.bytes ?? 0), 0);
	return { seconds: figures.seconds ?? 0, cpuSeconds: figures.cpuSeconds, growthMb: figures.growthMb ?? 0, heapMb: figures.heapMb, stallMs: figures.stallMs, pageFaults: figures.pageFaults, ...(bytes > 0 && { bytes }) };
}

const itemsCode = (rows: number) => `const q = ${question.toString()}; return Array.from({ length: ${rows} }, (_, i) => ({ json: { id: 'q' + i, text: q(i) } }));`;
/**
 * The two expression fields: columns mapped as they are dragged in (`{{ $json.text }}`, which the Builder
 * reads straight from the item), or expressions n8n has to evaluate for every item.
 */
const ITEM_FIELDS = {
	mapped: { userMessage: '={{ $json.text }}', customId: '={{ $json.id }}' },
	evaluated: { userMessage: '={{ $json.text.trim() }}', customId: "={{ 'q-' + $json.id }}" },
};
type ItemFields = keyof typeof ITEM_FIELDS;

async function builderFromItems(url: string, scenario: 'items' | 'itemsMemory' | 'itemsEvaluated'): Promise<Figures> {
	const { BUILDER, itemsWorkflow } = await import('../test/workflow/fixtures/builder/workflows');
	const fields = ITEM_FIELDS[scenario === 'itemsEvaluated' ? 'evaluated' : 'mapped'];
	return measureNode(scenario, itemsWorkflow({ jsCode: itemsCode(ROWS) }, { ...PARAMETERS, ...fields }), url, BUILDER);
}

/**
 * n8n's own cost of the Builder's expression fields: a node that only calls getNodeParameter for them, once
 * per item. It has the Builder's own description and the same saved parameters as the items run, so n8n's
 * work per call (the expression, then the check of the value against the field's description) is the
 * same work the Builder's calls cause; only the Builder's own work is left out.
 */
async function paramFloor(url: string, fieldsOf: ItemFields): Promise<Figures> {
	const { BUILDER } = await import('../test/workflow/fixtures/builder/workflows');
	return measureNode(fieldsOf === 'mapped' ? 'paramFloor' : 'paramFloorEvaluated', await paramFloorWorkflow(fieldsOf, ROWS), url, BUILDER);
}

const FLOOR_TYPE = 'bench.parameterFloor';
/** The fields the parameter floor's node type was registered for (one kind per process). */
let floorTypeFields: ItemFields | undefined;

/** The items workflow with the parameter floor's node in the Builder's place (its type registered once). */
async function paramFloorWorkflow(fieldsOf: ItemFields, rows: number) {
	const { TestNodeTypes } = await import('../test/helpers/workflow');
	const { BUILDER, itemsWorkflow } = await import('../test/workflow/fixtures/builder/workflows');
	if (floorTypeFields === undefined) {
		floorTypeFields = fieldsOf;
		const original = TestNodeTypes.prototype.getByName;
		let floorType: ReturnType<typeof original> | undefined;
		// n8n asks for the node type on every getNodeParameter call: made once, answered without work.
		TestNodeTypes.prototype.getByName = function (name: string) {
			if (name !== FLOOR_TYPE) return original.call(this, name);
			return (floorType ??= floorNodeType((original.call(this, BUILDER_TYPE) as import('n8n-workflow').INodeType).description, fieldsOf));
		};
	} else if (floorTypeFields !== fieldsOf) {
		throw new Error(`the parameter floor is registered for the ${floorTypeFields} fields, not the ${fieldsOf} ones`);
	}
	const workflow = itemsWorkflow({ jsCode: itemsCode(rows) }, { ...PARAMETERS, ...ITEM_FIELDS[fieldsOf] });
	workflow.nodes.find((n) => n.name === BUILDER)!.type = FLOOR_TYPE;
	return workflow;
}

/**
 * The Builder and n8n's parameter floor, both with the expressions n8n evaluates, alternated in one
 * process on PAIRED_ROWS items at a time (PAIRS pairs, which side goes first alternating): the machine's
 * slow and fast spells (its speed changes by up to 2× between runs) fall on both sides alike, so the
 * ratio is steadier than one between the fastest runs of separate processes. Smaller runs count the
 * Builder's fixed costs (the upload's start, the batch's creation) more, not less.
 */
async function pairedItemsEvaluated(url: string): Promise<Figures> {
	const { BUILDER, itemsWorkflow } = await import('../test/workflow/fixtures/builder/workflows');
	const builder = itemsWorkflow({ jsCode: itemsCode(PAIRED_ROWS) }, { ...PARAMETERS, ...ITEM_FIELDS.evaluated });
	const floorWorkflow = await paramFloorWorkflow('evaluated', PAIRED_ROWS);
	const pairRatios: number[] = [];
	let builderSeconds = 0;
	let stallMs = 0;
	for (let pair = 0; pair < PAIRS; pair++) {
		const seconds = { floor: 0, builder: 0 };
		for (const side of pair % 2 === 0 ? (['floor', 'builder'] as const) : (['builder', 'floor'] as const)) {
			const run = await measureNode('itemsEvaluatedPaired', side === 'builder' ? builder : floorWorkflow, url, BUILDER);
			seconds[side] = run.seconds;
			if (side === 'builder') stallMs = Math.max(stallMs, run.stallMs ?? 0);
		}
		pairRatios.push(seconds.builder / seconds.floor);
		builderSeconds += seconds.builder;
	}
	return { seconds: builderSeconds, growthMb: 0, stallMs, pairRatios };
}

function floorNodeType(description: import('n8n-workflow').INodeTypeDescription, fieldsOf: ItemFields): import('n8n-workflow').INodeType {
	const fields = Object.keys(ITEM_FIELDS[fieldsOf]);
	return {
		description,
		async execute(this: import('n8n-workflow').IExecuteFunctions) {
			const items = this.getInputData();
			let chars = 0;
			for (let i = 0; i < items.length; i++) {
				for (const field of fields) chars += String(this.getNodeParameter(field, i)).length;
			}
			return [[{ json: { chars }, pairedItem: { item: 0 } }]];
		},
	};
}

/**
 * n8n 2.x keeps binary data on disk unless told otherwise (filesystem mode; database mode in queue mode):
 * the CSV is then streamed from there, as most users' files are, not decoded from base64 held in memory.
 * Call before n8n's modules are first loaded (they read the mode once).
 */
async function useBinaryDataOnDisk(work: string): Promise<void> {
	process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	process.env.N8N_BINARY_DATA_STORAGE_PATH = mkdtempSync(path.join(work, 'binary-'));
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	await Container.get(BinaryDataService).init();
}

async function builderFromCsv(url: string, csvFile: string, work: string, split = false): Promise<Figures> {
	await useBinaryDataOnDisk(work);
	const { BUILDER, fileWorkflow } = await import('../test/workflow/fixtures/builder/workflows');
	return measureNode(split ? 'csv200' : 'csv', fileWorkflow(csvFile, { ...PARAMETERS, split, userMessage: '{text}', customId: '{id}' }), url, BUILDER);
}

async function writeLines(file: string, count: number, line: (i: number) => string): Promise<void> {
	const out = createWriteStream(file);
	for (let i = 0; i < count; i++) if (!out.write(line(i))) await once(out, 'drain');
	out.end();
	await once(out, 'close');
}

const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function runScenario(scenario: Scenario, url: string, dir: string): Promise<Figures> {
	const file = (name: string) => path.join(dir, name);
	switch (scenario) {
		case 'floor':
			return floor(url);
		case 'diy':
			return diy(url);
		case 'prebuilt':
			return prebuilt(url, file('lines.jsonl'));
		case 'csv':
			return builderFromCsv(url, file('rows.csv'), dir);
		case 'items':
		case 'itemsEvaluated':
		case 'itemsMemory':
			return builderFromItems(url, scenario);
		case 'paramFloor':
			return paramFloor(url, 'mapped');
		case 'paramFloorEvaluated':
			return paramFloor(url, 'evaluated');
		case 'itemsEvaluatedPaired':
			return pairedItemsEvaluated(url);
		case 'csv200':
			return builderFromCsv(url, file('rows-200mb.csv'), dir, true);
	}
}

const LABELS: Record<Scenario, string> = {
	floor: 'floor (stringify + loopback upload)',
	diy: 'DIY Code node (string, base64, multipart)',
	prebuilt: 'prebuilt file, our client',
	csv: 'Builder, CSV source',
	items: 'Builder, n8n items (2 mapped fields: {{ $json.text }}, {{ $json.id }})',
	paramFloor: "n8n's parameter floor: n8n evaluating the 2 mapped fields once per item",
	itemsEvaluated: 'Builder, n8n items (2 expressions n8n evaluates: {{ $json.text.trim() }}, {{ \'q-\' + $json.id }})',
	paramFloorEvaluated: "n8n's parameter floor: n8n evaluating those 2 expressions once per item",
	itemsEvaluatedPaired: `Builder, n8n items (those 2 expressions) against its parameter floor, alternated in one process, ${PAIRS} pairs of ${PAIRED_ROWS.toLocaleString('en-US')} items`,
	csv200: 'Builder, 200 MB CSV (split in 2; memory held, after a full GC every 50 ms: time not comparable)',
	itemsMemory: 'Builder, n8n items (memory held beyond the items, after a full GC every 50 ms)',
};

async function main(): Promise<void> {
	const [flag, first, url, dir] = process.argv.slice(2);
	if (flag === '--scenario') {
		const figures = await runScenario(first as Scenario, url, dir);
		process.stdout.write(`RESULT ${JSON.stringify(figures)}\n`);
		return;
	}
	const chosen = SCENARIOS.filter((s) => !process.argv.slice(2).some((a) => SCENARIOS.includes(a as Scenario)) || process.argv.slice(2).includes(s));
	// --rounds N (default 3): the scenarios run N times, interleaved; each keeps its fastest run (and the memory and
	// stall of that run), so a busy moment on a shared machine does not decide a ratio.
	const roundsAt = process.argv.indexOf('--rounds');
	const rounds = roundsAt === -1 ? 3 : Math.max(1, Number(process.argv[roundsAt + 1]) || 1);
	const work = mkdtempSync(path.join(tmpdir(), 'builder-bench-'));
	// --tsx: the Builder run through tsx, as the tests run it (slower than what ships).
	const compiled = !process.argv.includes('--tsx') && chosen.some((s) => ['csv', 'items', 'itemsEvaluated', 'itemsEvaluatedPaired', 'csv200', 'itemsMemory'].includes(s));
	if (compiled) buildPackage();
	const server = await startDiscardServer();
	try {
		await writeLines(path.join(work, 'lines.jsonl'), ROWS, (i) => `${JSON.stringify(requestLine(`q${i}`, question(i)))}\n`);
		await writeLines(path.join(work, 'rows.csv'), ROWS + 1, (i) => (i === 0 ? 'id;text\n' : `q${i - 1};${quote(question(i - 1))}\n`));
		if (chosen.includes('csv200')) {
			await writeLines(path.join(work, 'rows-200mb.csv'), ROWS + 1, (i) => (i === 0 ? 'id;text\n' : `q${i - 1};${quote(longQuestion(i - 1))}\n`));
		}
		const results = new Map<Scenario, Figures>();
		for (let round = 0; round < rounds; round++) for (const scenario of chosen) {
			// Memory held is not what a busy moment changes: the (slow) memory run runs once; so does the paired run.
			if (ONCE.includes(scenario) && round > 0) continue;
			const args = ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', __filename, '--scenario', scenario, server.url, work];
			const env = compiled ? { ...process.env, BENCH_BUILD: BUILD_DIR } : process.env;
			const child = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * MB, env });
			const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
			if (child.status !== 0 || !line) {
				process.stdout.write(`${LABELS[scenario]}: failed\n${child.stdout}\n`);
				process.exitCode = 1;
				continue;
			}
			const figures = JSON.parse(line.slice('RESULT '.length)) as Figures;
			const best = results.get(scenario);
			if (!best || figures.seconds < best.seconds) results.set(scenario, figures);
		}
		report(results, pageFaultMicros());
	} finally {
		await server.stop();
		rmSync(work, { recursive: true, force: true });
	}
}

function report(results: Map<Scenario, Figures>, faultMicros: number): void {
	const floor = results.get('floor');
	const floorCpu = floor?.cpuSeconds;
	process.stdout.write(`${ROWS.toLocaleString('en-US')} chat rows, one run, ratios to figures of this run (each scenario's fastest of its rounds)\n`);
	process.stdout.write(
		'| scenario | seconds | × floor | × n8n parameter floor | CPU seconds (× its floor) | peak RSS growth | peak heap + buffers growth | longest stall | page faults |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n',
	);
	for (const [scenario, f] of results) {
		if (f.pairRatios) {
			const sorted = [...f.pairRatios].sort((a, b) => a - b);
			const median = sorted[Math.floor(sorted.length / 2)];
			process.stdout.write(
				`| ${LABELS[scenario]} | | | ${round(median, 2)}× (median of the pairs; middle half ${round(sorted[Math.floor(sorted.length / 4)], 2)}×–${round(sorted[Math.floor((3 * sorted.length) / 4)], 2)}×) | | | | ${f.stallMs ?? ''} ms | |\n`,
			);
			continue;
		}
		const comparable = !MEMORY_RUNS.includes(scenario);
		const vsFloor = floor && comparable ? `${round(f.seconds / floor.seconds, 2)}×` : '';
		const paramFloor = PARAM_FLOOR_OF[scenario] && results.get(PARAM_FLOOR_OF[scenario]);
		const vsParams = paramFloor ? `${round(f.seconds / paramFloor.seconds, 2)}×` : '';
		const faults = f.pageFaults === undefined || !comparable ? '—' : f.pageFaults.toLocaleString('en-US');
		const bytes = f.bytes ? ` (${round(f.bytes / MB)} MB)` : '';
		const cpuFloor = PARAM_FLOOR_OF[scenario] ? paramFloor?.cpuSeconds : !comparable ? undefined : floorCpu;
		const cpu = f.cpuSeconds === undefined ? '' : `${round(f.cpuSeconds, 2)}${cpuFloor ? ` (${round(f.cpuSeconds / cpuFloor, 2)}×)` : ''}`;
		// The memory run's forced collections make its time and stalls meaningless.
		process.stdout.write(
			`| ${LABELS[scenario]}${bytes} | ${comparable ? round(f.seconds, 2) : '—'} | ${vsFloor} | ${vsParams} | ${comparable ? cpu : '—'} | +${f.growthMb} MB | +${f.heapMb ?? ''} MB | ${comparable ? `${f.stallMs ?? ''} ms` : '—'} | ${faults} |\n`,
		);
	}
	process.stdout.write(
		`Page faults: first touches of fresh 4 KB pages during the measured part; one costs about ${round(faultMicros, 1)} µs on this machine (a 64 MB buffer written once).\n`,
	);
	process.stdout.write('Targets: CSV ≤ 1.3× floor, ≤ 64 MB growth at 200 MB; items ≤ 1.1× the parameter floor, ≤ 64 MB beyond n8n\'s items; stall ≤ 100 ms.\n');
}

runBench(main);
