import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ImpalaClient } from '../../src/client';
import type { Emulator } from '../../src/emulator';
import { E2E_API_KEY, emulatorWithCredential } from './harness/emulatorCredential';
import { N8nInstance, type N8nServer } from './harness/n8nInstance';
import { startQueueServices, type QueueServices } from './harness/queueServices';
import { N8nRest } from './harness/rest';
import { waitFor } from '../helpers/waitFor';

// n8n in queue mode as a team would run it: real Redis and Postgres (Debian packages,
// scripts/e2e/install-queue-services.sh), one main (`n8n start`) that takes the webhook and two
// workers (`n8n worker`) that run executions. All three share one user folder, so one install of the
// package in its `nodes` folder serves them all; binary data is kept in the database (queue mode's
// default, set here explicitly). A webhook starts a workflow whose Code node makes 50,000 items and
// whose Batch Builder turns them into one batch on the emulator. A worker renews its job lock every
// 10 s and loses the job after 60 s without a renewal: a Builder that blocks the event loop that long
// fails here while it passes in the main process.
const ROWS = 50_000;
// Generous bounds: on a quiet 2-core machine the whole test takes about N s (see scripts/e2e/README.md).
const WEBHOOK_TIMEOUT_MS = 420_000;

let services: QueueServices;
let n8n: N8nInstance;
let emu: Emulator;
let main: N8nServer | undefined;
const workers: N8nServer[] = [];

before(async () => {
	services = await startQueueServices();
	n8n = N8nInstance.create({ env: { ...services.env, N8N_DEFAULT_BINARY_DATA_MODE: 'database' } });
	emu = await emulatorWithCredential(n8n);
});
after(async () => {
	if (process.env.E2E_KEEP_RUNS) {
		for (const [name, server] of [['main', main], ...workers.map((w, i) => [`worker-${i + 1}`, w] as const)] as const) {
			if (server) writeFileSync(path.join(n8n.root, `${name}.log`), server.logs);
		}
	}
	await Promise.all([main, ...workers].map((server) => server?.stop()));
	await emu?.close();
	await n8n?.dispose();
	await services?.stop();
});

interface BuiltBatch {
	id: string;
	input_file_id: string;
	request_counts?: { total: number };
}

/**
 * POSTs `{}` and waits for the whole answer up to `timeoutMs` (fetch gives up on headers after 300 s,
 * and a webhook in "respond when the last node finishes" mode sends nothing until then).
 */
async function post(url: string, timeoutMs: number): Promise<{ status: number; text: string }> {
	return await new Promise((resolve, reject) => {
		const request = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
			response.on('error', reject);
		});
		request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer from ${url} in ${timeoutMs / 1000} s`)));
		request.on('error', reject);
		request.end('{}');
	});
}

/** Whether the main has registered the production webhook (a CORS preflight lists its methods). */
async function webhookRegistered(url: string): Promise<true | undefined> {
	const response = await fetch(url, {
		method: 'OPTIONS',
		headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
	});
	return response.status === 204 && /POST/.test(response.headers.get('access-control-allow-methods') ?? '') ? true : undefined;
}

test('queue mode: a webhook starts a 50,000-item Batch Builder run that completes on a worker', { timeout: 600_000 }, async (t) => {
	const started = Date.now();
	const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
	const workflow = JSON.parse(readFileSync(path.join(__dirname, 'fixtures/queue-50k.workflow.json'), 'utf8')) as { id: string };
	// The workers start while the workflow is imported and published; the main starts after that,
	// since it registers the webhooks of the workflows published when it starts.
	const published = (async () => {
		await n8n.importWorkflow(workflow);
		await n8n.publish(workflow.id);
		t.diagnostic(`workflow imported and published after ${elapsed()}`);
	})();
	const startingWorkers = Promise.all([n8n.startWorker(), n8n.startWorker()]);
	await published;
	main = await n8n.start();
	workers.push(...(await startingWorkers));
	const rest = await N8nRest.asOwner(main);
	const webhookUrl = `${main.url}/webhook/impala-queue-50k`;
	// The main answers /healthz before it has registered the published workflow's webhook.
	await waitFor('the main to register the webhook', () => webhookRegistered(webhookUrl), { timeoutMs: 60_000 });
	t.diagnostic(`main and two workers ready after ${elapsed()}`);

	const response = await post(webhookUrl, WEBHOOK_TIMEOUT_MS);
	const text = response.text;
	t.diagnostic(`webhook answered ${response.status} after ${elapsed()}`);
	const logs = () => `\n--- main ---\n${main?.logs.slice(-3000)}\n${workers.map((w, i) => `--- worker ${i + 1} ---\n${w.logs.slice(-3000)}`).join('\n')}`;
	assert.equal(response.status, 200, `webhook answered ${response.status}: ${text.slice(0, 2000)}${logs()}`);
	const built = JSON.parse(text) as BuiltBatch;
	assert.match(built.id ?? '', /^batch/, `the Builder's output is the batch: ${text.slice(0, 500)}`);

	// The batch on the emulator holds every request, once each, in the items' order.
	const client = new ImpalaClient({ baseUrl: emu.url, apiKey: E2E_API_KEY });
	const batch = await client.batches.get(built.id);
	assert.equal(batch.input_file_id, built.input_file_id);
	let content = '';
	for await (const chunk of await client.files.content(batch.input_file_id)) content += String(chunk);
	const lines = content
		.split('\n')
		.filter((line) => line.length > 0)
		.map((line) => JSON.parse(line) as { custom_id: string; body: { messages: Array<{ content: string }> } });
	assert.equal(lines.length, ROWS, 'the input file has one line per item');
	for (const [index, line] of lines.entries()) {
		const n = index + 1;
		assert.equal(line.custom_id, `row-${n}`, `line ${n}`);
		assert.equal(line.body.messages.at(-1)?.content, `What is ${n} plus ${n}?`, `line ${n}: the item's own question`);
	}
	assert.equal(emu.requests.filter((request) => request.method === 'POST' && request.path === '/v1/batches').length, 1, 'one batch created');

	// The execution succeeded, and a worker (not the main) ran it.
	const executions = await waitFor('the execution to be saved as finished', async () => {
		const found = await rest.executions(workflow.id);
		return found.length > 0 && found.every((e) => !['new', 'running', 'waiting'].includes(e.status)) ? found : undefined;
	}, { timeoutMs: 30_000 });
	assert.equal(executions.length, 1, `executions: ${JSON.stringify(executions)}`);
	const [execution] = executions;
	assert.equal(execution.status, 'success');
	assert.equal(execution.mode, 'webhook');
	assert.match(main.logs, new RegExp(`Enqueued execution ${execution.id} `), `the main queued it${logs()}`);
	const ranOn = workers.filter((worker) => worker.logs.includes(`Worker finished execution ${execution.id} `));
	assert.equal(ranOn.length, 1, `exactly one worker finished execution ${execution.id}${logs()}`);
	assert.ok(
		workers.every((worker) => !/stalled|lock.*(expired|lost)|Missing lock/i.test(worker.logs)),
		`no worker lost its job lock${logs()}`,
	);
});
