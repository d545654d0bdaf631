import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import Papa from 'papaparse';
import { useEmulator } from '../helpers/emulator';
import { TestNodeTypes, loadWorkflowFile, nodeOutput, runWorkflow } from '../helpers/workflow';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const WORKFLOW_FILE = path.join(EXAMPLES_DIR, 'spreadsheet-to-batch.workflow.json');
const CSV_FILE = path.join(EXAMPLES_DIR, 'data', 'spreadsheet-rows.csv');

type CsvRow = Record<string, string>;
const csvRows = (): CsvRow[] => Papa.parse<CsvRow>(readFileSync(CSV_FILE, 'utf8'), { header: true, skipEmptyLines: true }).data;
const isFailRow = (row: CsvRow) => Object.values(row).some((value) => value.includes('[[fail]]'));
const loadExample = () => loadWorkflowFile(WORKFLOW_FILE, { __EXAMPLES_DIR__: EXAMPLES_DIR });

/** The user message the builder should send for a row: the example's template with the row's columns. */
function userMessageFor(row: CsvRow): string {
	const builder = loadExample().nodes.find((node) => node.type === 'n8n-nodes-impala.impalaBatchBuilder');
	const template = String(builder?.parameters.userMessage);
	// `{column}`, or the older `{{column}}`.
	return template.replace(/\{\{\s*([^}]+?)\s*\}\}|\{([^{}"\\\n]+)\}/g, (_, double: string | undefined, single: string | undefined) => {
		const column = (double ?? single ?? '').trim();
		assert.ok(column in row, `the template names column "${column}", which the CSV lacks`);
		return row[column];
	});
}

test('the example CSV has about 20 rows with unique ids, some marked to fail', () => {
	const rows = csvRows();
	assert.ok(rows.length >= 15 && rows.length <= 30, `${rows.length} rows`);
	assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'ids are unique');
	const failing = rows.filter(isFailRow).length;
	assert.ok(failing > 0 && failing < rows.length, 'some rows fail and some succeed');
});

test('every parameter the example sets on our nodes exists on that node, and credentials are referenced by name', () => {
	const nodeTypes = new TestNodeTypes();
	const workflow = loadExample();
	const ours = workflow.nodes.filter((node) => node.type.startsWith('n8n-nodes-impala.'));
	assert.equal(ours.length, 3);
	for (const node of ours) {
		const known = new Set(nodeTypes.getByNameAndVersion(node.type, node.typeVersion).description.properties.map((p) => p.name));
		for (const name of Object.keys(node.parameters)) assert.ok(known.has(name), `${node.name}: unknown parameter "${name}"`);
		assert.deepEqual(node.credentials, { impalaApi: { id: 'impala-demo', name: 'Impala (local emulator)' } });
	}
	assert.ok(readFileSync(WORKFLOW_FILE, 'utf8').includes('__EXAMPLES_DIR__/data/spreadsheet-rows.csv'));
});

test('the spreadsheet example runs end to end: one result per CSV row, in order, failed rows with their error', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(loadExample(), { credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } });
	assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error));

	const rows = csvRows();
	const failing = rows.filter(isFailRow).length;
	const [batch] = nodeOutput(run, 'Wait for Batch').map((item) => item.json as Record<string, any>);
	assert.equal(batch.status, 'completed');
	assert.deepEqual(batch.request_counts, { total: rows.length, completed: rows.length - failing, failed: failing });
	assert.equal(batch.model, 'impala-demo-model');

	const table = nodeOutput(run, 'Results Table').map((item) => item.json);
	assert.deepEqual(
		table.map((r) => r.id),
		rows.map((r) => r.id),
		'one result per row, in CSV order',
	);
	rows.forEach((row, i) => {
		const result = table[i];
		const text = userMessageFor(row);
		assert.equal(result.text, text, `${row.id}: the text sent`);
		if (isFailRow(row)) {
			assert.equal(result.status, 'failed', row.id);
			assert.equal(result.answer, '', row.id);
			assert.match(String(result.error), /marked to fail/, `${row.id}: the error says why`);
		} else {
			assert.equal(result.status, 'succeeded', row.id);
			assert.equal(result.answer, `Answer to: ${text}`, row.id);
			assert.equal(result.error, '', row.id);
		}
	});
});
