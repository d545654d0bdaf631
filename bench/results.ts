/**
 * Get Results over a 50,000-line batch: peak memory of the streaming join (output + error + input files read
 * line by line over HTTP, rows in input order) against the file sizes, and against reading the output whole.
 * The emulator runs in a child process so its memory does not count.
 * Run: node --import tsx --expose-gc bench/results.ts   (or `npm run bench -- results`)
 */
import { Readable } from 'node:stream';
import { waitForBatch } from '../src/batches';
import { ImpalaClient } from '../src/client';
import { fetchBatchResults, type ResultRow } from '../src/results';
import { presentFileId } from '../src/schemas';
import { loadWorkflowFile, nodeOutput, runWorkflow } from '../test/helpers/workflow';
import { benchChatLine, MB, measure, round, runBench, startEmulatorProcess, type Peak } from './shared';

const LINES = 50_000;
const TEXT_CHARS = 400;

function* inputLines(): Generator<string> {
	for (let i = 0; i < LINES; i++) {
		// Every 40th request fails (error file); the text makes each answer ~TEXT_CHARS long.
		const text = `${i % 40 === 0 ? '[[fail]] ' : ''}question ${i} ${'x'.repeat(TEXT_CHARS)}`;
		yield benchChatLine(`row-${i}`, text);
	}
}

/** The figures of `measure` this report has always shown. */
const shown = ({ seconds, peakRssGrowthMb, peakHeapGrowthMb, retainedHeapMb }: Peak) => ({ seconds, peakRssGrowthMb, peakHeapGrowthMb, retainedHeapMb });

async function main() {
	const emulator = await startEmulatorProcess({ pace: { stepMs: 10 } });
	try {
		const client = new ImpalaClient({ baseUrl: emulator.url });
		const input = await client.files.upload({ file: Readable.from(inputLines()), filename: 'bench.jsonl' });
		const created = await client.batches.create({ input_file_id: input.id, endpoint: '/v1/chat/completions' });
		const { batch } = await waitForBatch(client, created, { pollIntervalMs: 100, maxWaitMs: 10 * 60_000 });
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
			const run = await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl: emulator.url, apiKey: '' } } });
			return nodeOutput(run, 'Impala');
		});
		const nodeItems = node.result.length;
		if (nodeItems !== LINES) throw new Error(`the node gave ${nodeItems} items`);

		const report = {
			lines: LINES,
			failed,
			files: sizes,
			streamingJoin: shown(streamed.figures),
			impalaNodeGetResults: { ...shown(node.figures), items: nodeItems },
			readWholeOutputAndParse: { ...shown(whole.figures), lines: wholeCount },
		};
		process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
	} finally {
		await emulator.stop();
	}
}

runBench(main);
