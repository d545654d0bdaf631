// `npm run demo`: runs examples/spreadsheet-to-batch.workflow.json in-process with n8n-core's engine
// against a local Impala emulator, shows progress and the results table, then stops what it started.
import { removeDemoUserFolder } from './demo/n8nEnvironment';
import path from 'node:path';
import type { IRun } from 'n8n-workflow';
import { ImpalaClient } from '../src/client';
import { startEmulator } from '../src/emulator';
import type { Batch } from '../src/schemas';
import { loadWorkflowFile, nodeOutput, runWorkflow } from '../test/helpers/workflow';
import { formatTable, type ResultRow } from './demo/table';
import { watchNewestBatch } from './demo/watchBatch';

const EXAMPLES_DIR = path.resolve(__dirname, '..', 'examples');
const WORKFLOW_FILE = path.join(EXAMPLES_DIR, 'spreadsheet-to-batch.workflow.json');
const CSV_FILE = path.join(EXAMPLES_DIR, 'data', 'spreadsheet-rows.csv');
const BUILDER_TYPE = 'n8n-nodes-impala.impalaBatchBuilder';
const TABLE_NODE = 'Results Table';
// Slow enough to watch the batch move, fast enough to finish in a few seconds.
const PACE = { stepMs: 200, requestsPerStep: 4 };

const out = (text: string) => process.stdout.write(text);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describeBatch(batch: Batch): string {
	const counts = batch.request_counts;
	if (!counts || counts.total === 0) return batch.status;
	const done = counts.completed + counts.failed;
	return `${batch.status}, ${done}/${counts.total} requests answered (${counts.failed} failed)`;
}

function tableRows(run: IRun): ResultRow[] {
	return nodeOutput(run, TABLE_NODE).map(({ json }) => {
		const answer = typeof json.answer === 'string' ? json.answer : JSON.stringify(json.answer ?? '');
		return {
			id: String(json.id),
			status: String(json.status),
			text: String(json.text ?? ''),
			outcome: json.status === 'succeeded' ? answer : `ERROR: ${String(json.error ?? '')}`,
		};
	});
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

async function main(signal: AbortSignal): Promise<number> {
	const started = Date.now();
	const clock = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(4)} s]`;
	const emu = await startEmulator({ host: '127.0.0.1', port: 0, pace: PACE });
	const watching = new AbortController();
	let watcher: Promise<void> | undefined;
	try {
		out(`Impala batch demo: every row of ${path.relative(process.cwd(), CSV_FILE)} becomes one chat request.\n`);
		out(`Impala emulator running at ${emu.url} (answers ${PACE.requestsPerStep} requests every ${PACE.stepMs} ms).\n`);
		out(`Running ${path.relative(process.cwd(), WORKFLOW_FILE)} with n8n-core's workflow engine:\n\n`);

		const workflow = loadWorkflowFile(WORKFLOW_FILE, { __EXAMPLES_DIR__: EXAMPLES_DIR });
		const builderName = workflow.nodes.find((node) => node.type === BUILDER_TYPE)?.name;
		const client = new ImpalaClient({ baseUrl: emu.url, maxRetries: 0 });
		const runStarted = Date.now();
		const run = await runWorkflow(workflow, {
			credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
			signal,
			onNodeStart: (name) => out(`${clock()} ${name}: started\n`),
			onNodeEnd: (name, count, error) => {
				out(`${clock()} ${name}: ${error ? `FAILED: ${error}` : `done, ${count} item${count === 1 ? '' : 's'} out`}\n`);
				if (name === builderName && !error) {
					const report = (batch: Batch) => out(`${clock()}   batch ${batch.id}: ${describeBatch(batch)}\n`);
					watcher = watchNewestBatch(client, report, { intervalMs: 100, signal: watching.signal });
				}
			},
		});
		const runMs = Date.now() - runStarted;
		watching.abort();
		await watcher?.catch(() => undefined);

		if (signal.aborted) {
			process.stderr.write('\nDemo stopped before the end.\n');
			return 130;
		}
		if (run.status !== 'success' || run.data.resultData.error) {
			process.stderr.write(`\nThe demo did not finish: ${failureOf(run)}\n`);
			return 1;
		}

		const rows = tableRows(run);
		const width = process.stdout.isTTY ? Math.min(Math.max(process.stdout.columns ?? 110, 80), 160) : 110;
		out(`\nResults (${TABLE_NODE} node), in the order of the CSV:\n\n`);
		out(formatTable(rows, width));
		const succeeded = rows.filter((r) => r.status === 'succeeded').length;
		const failed = rows.filter((r) => r.status === 'failed').length;
		const missing = rows.length - succeeded - failed;
		out(
			`\n${rows.length} rows: ${succeeded} succeeded, ${failed} failed${missing ? `, ${missing} missing` : ''}.` +
				` Workflow ${seconds(runMs)}, whole demo ${seconds(Date.now() - started)}.\n`,
		);
		out('Rows containing [[fail]] fail on the emulator on purpose: failed rows keep their id and carry the error.\n');
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
