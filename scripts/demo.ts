// `npm run demo`: runs examples/product-reviews.workflow.json in-process with n8n-core's engine against a
// local Impala emulator set to fail a few requests and break a few answers, then shows the typed table of
// the first round, the retry round, the merged table and the cost summary, and stops what it started.
import { removeDemoUserFolder } from './demo/n8nEnvironment';
import path from 'node:path';
import type { IDataObject, IRun } from 'n8n-workflow';
import { ImpalaClient } from '../src/client';
import { startEmulator } from '../src/emulator';
import type { Batch } from '../src/schemas';
import { loadWorkflowFile, nodeOutput, runWorkflow } from '../test/helpers/workflow';
import { DEMO_FAULTS } from './demo/faults';
import { formatTable, type Column } from './demo/table';
import { watchNewestBatch } from './demo/watchBatch';

const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');
const WORKFLOW_FILE = path.join(EXAMPLES_DIR, 'product-reviews.workflow.json');
const CSV_FILE = path.join(EXAMPLES_DIR, 'data', 'product-reviews.csv');
const WATCHED_NODES = new Set(['Impala Batch Builder', 'Retry Failed Requests']);
// Slow enough to watch the batches move, fast enough to finish in a few seconds.
const PACE = { stepMs: 200, requestsPerStep: 5 };

const out = (text: string) => process.stdout.write(text);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const text = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

function describeBatch(batch: Batch): string {
	const counts = batch.request_counts;
	if (!counts || counts.total === 0) return batch.status;
	const done = counts.completed + counts.failed;
	return `${batch.status}, ${done}/${counts.total} requests answered (${counts.failed} failed)`;
}

/** The node that failed and its message (with n8n's description, which holds our hints). */
function failureOf(run: IRun): string {
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
		const error = runs[runs.length - 1]?.error;
		if (error) return `node "${name}" failed: ${error.message}${error.description ? `\n  ${error.description}` : ''}`;
	}
	const error = run.data.resultData.error;
	return error ? error.message : `the workflow ended with status "${run.status}"`;
}

const errorText = (json: IDataObject) => `${String(json.status).toUpperCase()}: ${text((json.error as IDataObject | undefined)?.message ?? json.error)}`;

/** The reviews as a table: the first round's typed columns, or the merged table with the round each answer came from. */
function reviewsTable(run: IRun, node: 'First Results' | 'Reviews Table', width: number): string {
	const merged = node === 'Reviews Table';
	const rows = nodeOutput(run, node).map(({ json }) => ({
		id: text(merged ? json.id : json.custom_id),
		round: text(json.round),
		status: text(json.status),
		sentiment: text(json.sentiment),
		score: text(json.score),
		summary: json.status === 'succeeded' ? text(json.summary) : errorText(json),
	}));
	const columns: Column[] = [
		{ key: 'id', header: 'id' },
		...(merged ? [{ key: 'round', header: 'round' }] : []),
		{ key: 'status', header: 'status' },
		{ key: 'sentiment', header: 'sentiment' },
		{ key: 'score', header: 'score' },
		{ key: 'summary', header: merged ? 'summary' : 'summary (or why the row needs a retry)' },
	];
	return formatTable(columns, rows, width);
}

function retryLine(run: IRun): string {
	const [retry] = nodeOutput(run, 'Retry Failed Requests').map((item) => item.json);
	if (!retry.id) return `Retry round: ${text(retry.message)}\n`;
	const parts = [
		['failed', retry.retried_failed],
		['missing', retry.retried_missing],
		['invalid', retry.retried_invalid],
	]
		.filter(([, n]) => Number(n) > 0)
		.map(([label, n]) => `${String(n)} ${String(label)}`);
	return (
		`Retry round ${text(retry.round)}: batch ${text(retry.id)} sent ${text(retry.retried)} requests again` +
		`${parts.length ? ` (${parts.join(', ')})` : ''}, linked to ${text(retry.retry_of)} by its metadata (retry_of).\n`
	);
}

/** "18 succeeded, 2 failed": the counts a summary has (invalid only when the answers were checked). */
function outcomeOf(json: IDataObject): string {
	return (['succeeded', 'failed', 'invalid', 'missing'] as const)
		.filter((key) => typeof json[key] === 'number' && (key === 'succeeded' || (json[key] as number) > 0))
		.map((key) => `${text(json[key])} ${key}`)
		.join(', ');
}

/** The Builder's estimate (before anything was uploaded) next to what Impala counted for the first batch. */
function estimateLine(run: IRun, maxCost: unknown): string {
	const [created] = nodeOutput(run, 'Impala Batch Builder').map((item) => item.json);
	const estimate = (created?.summary as IDataObject | undefined)?.estimate as IDataObject | undefined;
	const [first] = nodeOutput(run, 'Wait for Batch').map((item) => item.json);
	const usage = first?.usage as IDataObject | undefined;
	if (!estimate) return '';
	const cost = typeof estimate.estimated_cost_usd === 'number' ? `, about $${estimate.estimated_cost_usd.toFixed(6)} at $${text(estimate.price_per_million_input_tokens)} per million` : '';
	return (
		`Before uploading, the Builder estimated ${text(estimate.input_tokens)} input tokens${cost}${maxCost === undefined ? '' : ` (Maximum Estimated Cost: $${text(maxCost)})`};` +
		` Impala counted ${text(usage?.prompt_tokens)} prompt tokens for that batch.\n`
	);
}

function costTable(run: IRun, width: number): string {
	const usd = (value: unknown) => (typeof value === 'number' ? `$${value.toFixed(6)}` : '');
	const rows = nodeOutput(run, 'Cost Summary').map(({ json }) => ({
		batch: json.line === 'total' ? `total (${text(json.batches)} batches)` : text(json.batch_id),
		requests: text(json.requests),
		outcome: json.line === 'total' ? '' : outcomeOf(json),
		prompt: text(json.prompt_tokens),
		completion: text(json.completion_tokens),
		total: text(json.total_tokens),
		cost: usd(json.processing_cost),
		price: typeof json.price_1m_tokens === 'number' ? `$${json.price_1m_tokens}/1M` : '',
	}));
	const columns: Column[] = [
		{ key: 'batch', header: 'batch' },
		{ key: 'requests', header: 'requests' },
		{ key: 'outcome', header: 'requests answered' },
		{ key: 'prompt', header: 'prompt tok' },
		{ key: 'completion', header: 'completion tok' },
		{ key: 'total', header: 'total tok' },
		{ key: 'cost', header: 'cost' },
		{ key: 'price', header: 'price' },
	];
	return formatTable(columns, rows, width);
}

async function main(signal: AbortSignal): Promise<number> {
	const started = Date.now();
	const clock = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(4)} s]`;
	const emu = await startEmulator({ host: '127.0.0.1', port: 0, pace: PACE, answerFaults: DEMO_FAULTS });
	const watching = new AbortController();
	const watchers: Array<Promise<void>> = [];
	try {
		out(`Impala batch demo: every review in ${path.relative(process.cwd(), CSV_FILE)} becomes one chat request asking for JSON\n`);
		out('that follows a schema: sentiment (positive, mixed, negative), score (1 to 5) and a one-line summary.\n');
		out(`Impala emulator running at ${emu.url} (answers ${PACE.requestsPerStep} requests every ${PACE.stepMs} ms).\n`);
		out('In the first batch only, the emulator fails the requests of rev-04 and rev-15, breaks the schema in the\n');
		out('answers of rev-07 and rev-12, and answers rev-18 with text that is not JSON: the retry is answered normally.\n');
		out(`Running ${path.relative(process.cwd(), WORKFLOW_FILE)} with n8n-core's workflow engine:\n\n`);

		const workflow = loadWorkflowFile(WORKFLOW_FILE, { __EXAMPLES_DIR__: EXAMPLES_DIR });
		const builder = workflow.nodes.find((node) => node.type === 'n8n-nodes-impala.impalaBatchBuilder');
		const client = new ImpalaClient({ baseUrl: emu.url, maxRetries: 0 });
		const runStarted = Date.now();
		const run = await runWorkflow(workflow, {
			credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
			signal,
			onNodeStart: (name) => out(`${clock()} ${name}: started\n`),
			onNodeEnd: (name, count, error) => {
				out(`${clock()} ${name}: ${error ? `FAILED: ${error}` : `done, ${count} item${count === 1 ? '' : 's'} out`}\n`);
				if (WATCHED_NODES.has(name) && !error) {
					const report = (batch: Batch) => out(`${clock()}   batch ${batch.id}: ${describeBatch(batch)}\n`);
					watchers.push(watchNewestBatch(client, report, { intervalMs: 100, signal: watching.signal }));
				}
			},
		});
		const runMs = Date.now() - runStarted;
		watching.abort();
		await Promise.allSettled(watchers);

		if (signal.aborted) {
			process.stderr.write('\nDemo stopped before the end.\n');
			return 130;
		}
		if (run.status !== 'success' || run.data.resultData.error) {
			process.stderr.write(`\nThe demo did not finish: ${failureOf(run)}\n`);
			return 1;
		}

		const width = process.stdout.isTTY ? Math.min(Math.max(process.stdout.columns ?? 110, 80), 160) : 110;
		out('\nFirst round (First Results node): the answers as typed columns, in the order of the sheet. The emulator makes\n');
		out('each answer from the schema (choices vary with the review), it does not read the reviews:\n\n');
		out(reviewsTable(run, 'First Results', width));
		out(`\n${retryLine(run)}`);
		out('\nOne table (Final Table node with Include Retries, then Reviews Table): every review once, with its latest answer:\n\n');
		out(reviewsTable(run, 'Reviews Table', width));
		out('\nCost summary (Cost Summary node: token sums of the rows\' usage, cost and price as Impala reports them):\n\n');
		out(costTable(run, width));
		out(`\n${estimateLine(run, (builder?.parameters.batchOptions as IDataObject | undefined)?.maxEstimatedCost)}`);
		out(`\nWorkflow ${seconds(runMs)}, whole demo ${seconds(Date.now() - started)}.\n`);
		out(`To run it in n8n, import ${path.relative(process.cwd(), WORKFLOW_FILE)} and follow its sticky note.\n`);
		return 0;
	} finally {
		watching.abort();
		await emu.close();
	}
}

const stop = new AbortController();
const onSignal = () => stop.abort();
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
main(stop.signal)
	.catch((error: unknown) => {
		process.stderr.write(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
		return 1;
	})
	.then((code) => {
		removeDemoUserFolder();
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.exitCode = code;
	});
