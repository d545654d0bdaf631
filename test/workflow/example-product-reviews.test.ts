import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import Papa from 'papaparse';
import type { INodeProperties } from 'n8n-workflow';
import { compileAnswerSchema } from '../../src/structured';
import { DEMO_FAULTS } from '../../scripts/demo/faults';
import { call, fileLines, useEmulator } from '../helpers/emulator';
import { TestNodeTypes, loadWorkflowFile, nodeOutput, runWorkflow } from '../helpers/workflow';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const WORKFLOW_FILE = path.join(EXAMPLES_DIR, 'product-reviews.workflow.json');
const CSV_FILE = path.join(EXAMPLES_DIR, 'data', 'product-reviews.csv');

type CsvRow = Record<string, string>;
const csvRows = (): CsvRow[] => Papa.parse<CsvRow>(readFileSync(CSV_FILE, 'utf8'), { header: true, skipEmptyLines: true }).data;
const loadExample = () => loadWorkflowFile(WORKFLOW_FILE, { __EXAMPLES_DIR__: EXAMPLES_DIR });
const builderOf = () => loadExample().nodes.find((node) => node.type === 'n8n-nodes-impala.impalaBatchBuilder')!;
const exampleSchema = () => JSON.parse(String(builderOf().parameters.jsonSchema)) as Record<string, unknown>;

/** Parameter names (and the names inside collections) a node accepts. */
function knownNames(properties: INodeProperties[]): Map<string, Set<string> | undefined> {
	const names = new Map<string, Set<string> | undefined>();
	for (const property of properties) {
		const inner = property.type === 'collection' ? new Set((property.options ?? []).map((o) => (o as { name: string }).name)) : undefined;
		const before = names.get(property.name);
		names.set(property.name, before && inner ? new Set([...before, ...inner]) : (inner ?? before));
	}
	return names;
}

test('the example CSV has about 20 reviews with unique ids, and the schema asks for sentiment, a score 1-5 and a summary', () => {
	const rows = csvRows();
	assert.ok(rows.length >= 15 && rows.length <= 30, `${rows.length} rows`);
	assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'ids are unique');
	assert.ok(rows.every((r) => r.product && r.review && !r.review.includes('[[')), 'real reviews, no emulator markers');
	const schema = exampleSchema() as { properties: Record<string, any>; required: string[] };
	assert.deepEqual(schema.required, ['sentiment', 'score', 'summary']);
	assert.deepEqual([schema.properties.score.minimum, schema.properties.score.maximum], [1, 5]);
	compileAnswerSchema(schema);
});

test('every parameter and option the example sets on our nodes exists on that node', () => {
	const nodeTypes = new TestNodeTypes();
	const ours = loadExample().nodes.filter((node) => node.type.startsWith('n8n-nodes-impala.'));
	assert.equal(ours.length, 6);
	for (const node of ours) {
		const known = knownNames(nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.properties);
		for (const [name, value] of Object.entries(node.parameters)) {
			assert.ok(known.has(name), `${node.name}: unknown parameter "${name}"`);
			const inner = known.get(name);
			if (inner && value && typeof value === 'object') {
				for (const key of Object.keys(value)) assert.ok(inner.has(key), `${node.name}: unknown option "${name}.${key}"`);
			}
		}
		assert.deepEqual(node.credentials, { impalaApi: { id: 'impala-demo', name: 'Impala (local emulator)' } });
	}
});

test('the product reviews example: typed columns, the failed and invalid rows retried once, one table, the cost', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 }, answerFaults: DEMO_FAULTS });
	const run = await runWorkflow(loadExample(), { credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } });
	assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error));
	const rows = csvRows();
	const ids = rows.map((r) => r.id);
	const check = compileAnswerSchema(exampleSchema());
	const failing = ['rev-04', 'rev-15'];
	const invalid = ['rev-07', 'rev-12', 'rev-18'];

	const [first] = nodeOutput(run, 'Wait for Batch').map((item) => item.json as Record<string, any>);
	assert.equal(first.status, 'completed');
	assert.deepEqual(first.request_counts, { total: rows.length, completed: rows.length - failing.length, failed: failing.length });
	// The requests asked for the schema, the way chat completions expects it.
	const input = await fileLines(emu, first.input_file_id);
	const format = input[0].body.response_format;
	assert.equal(format.type, 'json_schema');
	assert.equal(format.json_schema.name, 'review');
	assert.deepEqual(format.json_schema.schema, exampleSchema());
	assert.equal(format.json_schema.strict, true);

	// First round: typed columns; failed and invalid rows carry why.
	const firstRound = nodeOutput(run, 'First Results').map((item) => item.json as Record<string, any>);
	assert.deepEqual(firstRound.map((r) => r.custom_id), ids, 'one row per review, in the order of the sheet');
	for (const row of firstRound) {
		if (failing.includes(row.custom_id)) assert.equal(row.status, 'failed', row.custom_id);
		else if (invalid.includes(row.custom_id)) {
			assert.equal(row.status, 'invalid', row.custom_id);
			assert.equal(row.error.code, 'invalid_answer');
			assert.match(row.error.message, row.custom_id === 'rev-18' ? /not JSON/ : /schema/);
		} else {
			assert.equal(row.status, 'succeeded', row.custom_id);
			const { sentiment, score, summary } = row;
			assert.equal(check({ sentiment, score, summary }), undefined, `${row.custom_id}: ${JSON.stringify({ sentiment, score, summary })}`);
		}
	}

	// The retry: only the failed and invalid requests, their input lines as they were, linked by metadata.
	const [retry] = nodeOutput(run, 'Retry Failed Requests').map((item) => item.json as Record<string, any>);
	assert.equal(retry.retried, failing.length + invalid.length);
	assert.equal(retry.metadata.retry_of, first.id);
	assert.equal(retry.metadata.retry_round, '1');
	const originalLines = new Map(input.map((line) => [line.custom_id, line]));
	const retryLines = await fileLines(emu, retry.input_file_id);
	assert.deepEqual(retryLines.map((l) => l.custom_id).sort(), [...failing, ...invalid].sort());
	for (const line of retryLines) assert.deepEqual(line, originalLines.get(line.custom_id));
	const [retried] = nodeOutput(run, 'Wait for Retry').map((item) => item.json as Record<string, any>);
	assert.equal(retried.id, retry.id);
	assert.equal(retried.status, 'completed');

	// One table: every review once, answered, typed, with the round that answered it.
	const table = nodeOutput(run, 'Reviews Table').map((item) => item.json as Record<string, any>);
	assert.deepEqual(table.map((r) => r.id), ids);
	for (const row of table) {
		assert.equal(row.status, 'succeeded', `${row.id}: ${row.error}`);
		assert.equal(row.round, [...failing, ...invalid].includes(row.id) ? 1 : 0, row.id);
		assert.equal(check({ sentiment: row.sentiment, score: row.score, summary: row.summary }), undefined, row.id);
	}

	// The cost: one line per batch as Impala reports it, then the total.
	const cost = nodeOutput(run, 'Cost Summary').map((item) => item.json as Record<string, any>);
	const batches = await Promise.all([first.id, retry.id].map(async (id) => (await call(emu, 'GET', `/v1/batches/${id}`)).body));
	const lines = cost.filter((line) => line.line === 'batch');
	assert.deepEqual(lines.map((l) => l.batch_id).sort(), batches.map((b) => b.id).sort());
	for (const batch of batches) {
		const line = lines.find((l) => l.batch_id === batch.id)!;
		assert.equal(line.total_tokens, batch.usage.total_tokens, 'the rows\' usage adds up to the batch usage');
		assert.equal(line.processing_cost, batch.processing_cost);
	}
	const total = cost.find((line) => line.line === 'total')!;
	assert.equal(total.total_tokens, batches[0].usage.total_tokens + batches[1].usage.total_tokens);
	assert.ok(Math.abs(total.processing_cost - (batches[0].processing_cost + batches[1].processing_cost)) < 1e-12);
	assert.equal(total.requests, rows.length + retry.retried);
});

test('the example with nothing to retry: no retry batch, the table is the first round', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const run = await runWorkflow(loadExample(), { credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } });
	assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error));
	const [retry] = nodeOutput(run, 'Retry Failed Requests').map((item) => item.json as Record<string, any>);
	assert.equal(retry.retried, 0);
	assert.equal(retry.id, undefined);
	const listed = await call(emu, 'GET', '/v1/batches');
	assert.equal(listed.body.data.length, 1, 'no retry batch was created');
	const table = nodeOutput(run, 'Reviews Table').map((item) => item.json as Record<string, any>);
	assert.deepEqual(table.map((r) => r.id), csvRows().map((r) => r.id));
	assert.ok(table.every((r) => r.status === 'succeeded' && r.round === 0));
});

test('npm run demo: exits 0 and prints the typed table, the retry round, the merged table and the cost summary', async () => {
	const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
		cwd: ROOT,
		env: { ...process.env, NO_COLOR: '1' },
		timeout: 120_000,
	});
	const rows = csvRows();
	const [firstPart, rest] = stdout.split(/^Retry round/m);
	assert.ok(rest, stdout);
	const lines = (text: string) => text.split('\n');
	for (const row of rows) {
		const before = lines(firstPart).find((l) => l.startsWith(`${row.id} `));
		assert.ok(before, `the first table has ${row.id}`);
		const expected = ['rev-04', 'rev-15'].includes(row.id) ? /\sfailed\s+FAILED: / : ['rev-07', 'rev-12', 'rev-18'].includes(row.id) ? /\sinvalid\s+INVALID: / : /\ssucceeded\s+(positive|mixed|negative)\s+[1-5]\s+Summary: /;
		assert.match(before, expected);
		const after = lines(rest).find((l) => l.startsWith(`${row.id} `));
		assert.ok(after, `the merged table has ${row.id}`);
		assert.match(after, /^\S+\s+[01]\s+succeeded\s+(positive|mixed|negative)\s+[1-5]\s+Summary: /);
	}
	assert.match(rest, /^ 1: batch \S+ sent 5 requests again \(2 failed, 3 invalid\)/);
	assert.match(stdout, /Cost summary/);
	assert.match(stdout, /^total \(2 batches\)\s+25\s/m);
	assert.match(stdout, /\$0\.\d{6}/);
	assert.match(stdout, /the Builder estimated \d+ input tokens, about \$0\.\d+ at \$0\.5 per million/);
});
