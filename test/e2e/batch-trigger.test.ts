import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Papa from 'papaparse';
import { ImpalaClient } from '../../src/client';
import type { Emulator } from '../../src/emulator';
import type { Batch } from '../../src/schemas';
import { E2E_API_KEY, emulatorWithCredential } from './harness/emulatorCredential';
import { loadExample } from './harness/examples';
import { N8nInstance, type N8nServer } from './harness/n8nInstance';
import { N8nRest } from './harness/rest';
import { waitFor } from '../helpers/waitFor';

// The trigger polls once a minute (n8n refuses anything shorter), so this file takes one to two
// minutes: activation poll, the batch finishes, the next poll fires, one more poll must not fire again.
const TERMINAL = new Set(['completed', 'failed', 'expired', 'cancelled']);
const UNFINISHED = new Set(['new', 'running', 'waiting']);
const WATCHED_METADATA = { source: 'n8n spreadsheet example' };

let n8n: N8nInstance;
let emu: Emulator;
let server: N8nServer | undefined;
before(async () => {
	n8n = N8nInstance.create();
	emu = await emulatorWithCredential(n8n, { pace: 'manual' });
});
after(async () => {
	await server?.stop();
	await emu?.close();
	await n8n?.dispose();
});

async function createBatch(client: ImpalaClient, metadata: Record<string, string>): Promise<Batch> {
	const lines = ['first', 'second [[fail]]', 'third'].map((text, index) =>
		JSON.stringify({
			custom_id: `req-${index + 1}`,
			method: 'POST',
			url: '/v1/chat/completions',
			body: { model: 'impala-demo-model', messages: [{ role: 'user', content: text }] },
		}),
	);
	const file = await client.files.upload({ file: Buffer.from(lines.join('\n') + '\n'), filename: 'e2e.jsonl' });
	return await client.batches.create({
		input_file_id: file.id,
		endpoint: '/v1/chat/completions',
		completion_window: 'unlimited',
		metadata,
	});
}

const batchListCalls = () => emu.requests.filter((request) => request.method === 'GET' && /\/v1\/batches\/?(\?|$)/.test(request.path)).length;

test('examples/batch-trigger-write-back: a published workflow fires once when a watched batch completes and writes its results', async () => {
	const workflow = loadExample('batch-trigger-write-back.workflow.json', { __OUTPUT_DIR__: n8n.filesDir });
	await n8n.importWorkflow(workflow);
	await n8n.publish(workflow.id);

	const client = new ImpalaClient({ baseUrl: emu.url, apiKey: E2E_API_KEY });
	const watched = await createBatch(client, WATCHED_METADATA);
	const other = await createBatch(client, { source: 'something else' });

	server = await n8n.start();
	// Activation polls once: it only records the unfinished batch.
	await waitFor('the activation poll', () => (batchListCalls() > 0 ? true : undefined));
	for (const batch of [watched, other]) {
		let current = batch;
		for (let step = 0; step < 10 && !TERMINAL.has(current.status); step++) current = await emu.advance(batch.id);
		assert.equal(current.status, 'completed');
	}
	const pollsBeforeFire = batchListCalls();

	const resultsFile = path.join(n8n.filesDir, `impala-results-${watched.id}.csv`);
	await waitFor(`${resultsFile} (written by the workflow the trigger starts)`, () =>
		existsSync(resultsFile) ? true : undefined,
	);
	const rows = Papa.parse<Record<string, string>>(readFileSync(resultsFile, 'utf8'), { header: true, skipEmptyLines: true }).data;
	assert.deepEqual(
		rows.map((row) => [row.batch_id, row.id, row.status]),
		[
			[watched.id, 'req-1', 'succeeded'],
			[watched.id, 'req-2', 'failed'],
			[watched.id, 'req-3', 'succeeded'],
		],
	);
	assert.equal(rows[0].answer, 'Answer to: first');
	assert.ok(rows[1].error.length > 0, 'the failed request says why');
	assert.ok(!existsSync(path.join(n8n.filesDir, `impala-results-${other.id}.csv`)), 'a batch outside the watched metadata does not fire');

	const rest = await N8nRest.asOwner(server);
	// One more scheduled poll after the firing one: the same completion must not start the workflow again.
	await waitFor('the next scheduled poll', () => (batchListCalls() > pollsBeforeFire + 1 ? true : undefined));
	const executions = await waitFor('the trigger execution to be saved', async () => {
		const found = await rest.executions(workflow.id);
		return found.length > 0 && found.every((execution) => !UNFINISHED.has(execution.status)) ? found : undefined;
	});
	assert.equal(executions.length, 1, `executions: ${JSON.stringify(executions)}`);
	assert.equal(executions[0].mode, 'trigger');
	assert.equal(executions[0].status, 'success');
});
