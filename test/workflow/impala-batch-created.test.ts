import '../helpers/n8n-env';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { ImpalaClient } from '../../src/client';
import { startChaosProxy } from '../helpers/chaosProxy';
import { requestLine, useEmulator } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { byId, loadSingleOperation } from './fixtures/impala/helpers';

/** Records what the node logs through `this.logger` (n8n's Logger from the container). */
function recordLogs() {
	const lines: Array<{ level: string; message: string; meta?: Record<string, unknown> }> = [];
	const record = (level: string) => (message: string, meta?: Record<string, unknown>) => lines.push({ level, message, meta });
	const logger = { info: record('info'), warn: record('warn'), error: record('error'), debug: record('debug'), scoped: () => logger };
	const previous = Container.has(Logger) ? Container.get(Logger) : undefined;
	Container.set(Logger, logger as unknown as Logger);
	return { lines, restore: () => previous && Container.set(Logger, previous) };
}

test('Create logs the batch ID and the execution the moment the batch exists, and says when it was found by reconciling', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const proxy = await startChaosProxy({ target: emu.url });
	t.after(() => proxy.close());
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(requestLine('a', 'x')), filename: 'in.jsonl' });
	// Impala makes the batch, then the answer is lost on the way back.
	proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'resetAfterForward' } });
	const logs = recordLogs();
	t.after(logs.restore);
	const run = await runWorkflow(
		loadSingleOperation({ parameters: { resource: 'batch', operation: 'create', inputFileId: byId(file.id), endpoint: '/v1/chat/completions' } }),
		{ credentials: { impalaApi: { baseUrl: proxy.url, apiKey: '' } } },
	);
	const [item] = nodeOutput(run, 'Impala');
	const batches = (await client.batches.listPage()).data;
	assert.equal(batches.length, 1, 'created once');
	assert.equal(item.json.id, batches[0].id);
	assert.equal(item.json.recovered, true);
	assert.match(String(item.json.note), /answer to the create was lost.*found on Impala by its input file, so it was created once/);
	const created = logs.lines.find((line) => line.level === 'info' && line.message.includes(batches[0].id));
	assert.ok(created, 'the batch ID is logged');
	assert.equal(created.meta?.batchId, batches[0].id);
	assert.equal(created.meta?.executionId, 'test-execution');
	assert.equal(created.meta?.recovered, true);
});

test('Create + Wait: a status check that keeps failing names the batch and says not to create it again', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const proxy = await startChaosProxy({ target: emu.url });
	t.after(() => proxy.close());
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(requestLine('a', 'x')), filename: 'in.jsonl' });
	proxy.add({ method: 'GET', path: /^\/v1\/batches\/[^/?]+$/, fault: { kind: 'status', status: 429, body: 'json', retryAfterSeconds: 120 } });
	const parameters = { resource: 'batch', operation: 'create', inputFileId: byId(file.id), endpoint: '/v1/chat/completions', waitForCompletion: true, pollIntervalSeconds: 1 };
	const run = await runWorkflow(loadSingleOperation({ parameters }), { credentials: { impalaApi: { baseUrl: proxy.url, apiKey: '' } } });
	const [batch] = (await client.batches.listPage()).data;
	const error = nodeError(run, 'Impala') as (Error & { description?: string }) | undefined;
	assert.match(error?.message ?? '', new RegExp(`^Batch ${batch.id} was created, but Impala's rate limit was reached`));
	assert.match(error?.message ?? '', /120 seconds/);
	assert.match(String(error?.description), /do not create it again/i);
	assert.match(String(error?.description), new RegExp(batch.id));
	assert.equal((await client.batches.listPage()).data.length, 1);
});
