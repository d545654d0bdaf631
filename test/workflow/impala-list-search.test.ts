import '../helpers/n8n-env';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ILoadOptionsFunctions, type INode, type IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { ImpalaApi } from '../../credentials/ImpalaApi.credentials';
import type { Emulator } from '../../src/emulator';
import { ImpalaClient } from '../../src/client';
import { createBatchFrom, requestLine, useEmulator } from '../helpers/emulator';
import { TestCredentialsHelper } from '../helpers/credentials-helper';
import { TestNodeTypes } from '../helpers/workflow';
import { credentialsFor } from './fixtures/impala/helpers';

/** n8n-core's real context for list searches, on an Impala node with the emulator's credentials. */
function loadOptionsContext(emu: Emulator): ILoadOptionsFunctions {
	const node: INode = {
		id: '1',
		name: 'Impala',
		type: 'n8n-nodes-impala.impala',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'batch', operation: 'get' },
		credentials: { impalaApi: { id: '1', name: 'Impala' } },
	};
	const workflow = new Workflow({ id: 'w', nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentialsFor(emu), { impalaApi: new ImpalaApi() }),
	} as unknown as IWorkflowExecuteAdditionalData;
	return new LoadOptionsContext(workflow, node, additionalData, 'parameters.batchId');
}

// Through the runner's node types: a bare import of Impala.node would find the codex Impala.node.json first.
const impala = new TestNodeTypes().getByNameAndVersion('n8n-nodes-impala.impala');
const listSearch = impala.methods!.listSearch!;

test('batch list search: pages with a token, names show input file, status, creation time and ID, filter applies', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const ids: string[] = [];
	for (let i = 0; i < 102; i++) ids.push((await createBatchFrom(emu, [requestLine('a', 'x')])).body.id);
	const ctx = loadOptionsContext(emu);

	const first = await listSearch.batchSearch.call(ctx);
	assert.equal(first.results.length, 100);
	assert.equal(first.results[0].value, ids[101], 'newest first');
	assert.match(first.results[0].name, new RegExp(`^input\\.jsonl · validating · created \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC · ${ids[101]}$`));
	assert.ok(first.paginationToken);
	const second = await listSearch.batchSearch.call(ctx, undefined, String(first.paginationToken));
	assert.deepEqual(second.results.map((r) => r.value), [ids[1], ids[0]]);
	assert.equal(second.paginationToken, undefined);

	const filtered = await listSearch.batchSearch.call(ctx, ids[50].toUpperCase());
	assert.deepEqual(filtered.results.map((r) => r.value), [ids[50]]);
});

test('batch list search shows the metadata and the input file name, so batches can be told apart', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(requestLine('a', 'x')), filename: 'march-invoices.jsonl' });
	const batch = await client.batches.create({
		input_file_id: file.id,
		endpoint: '/v1/chat/completions',
		completion_window: 'unlimited',
		metadata: { team: 'finance', run: 'x'.repeat(40) },
	});
	const [entry] = (await listSearch.batchSearch.call(loadOptionsContext(emu))).results;
	assert.equal(entry.value, batch.id);
	assert.match(entry.name, new RegExp(`^march-invoices\\.jsonl · validating · team=finance, run=${'x'.repeat(29)}… · created .* · ${batch.id}$`));
	const byTeam = await listSearch.batchSearch.call(loadOptionsContext(emu), 'finance');
	assert.deepEqual(byTeam.results.map((r) => r.value), [batch.id]);
});

test('input file list search shows only files with purpose batch; file search shows all', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const input = await client.files.upload({ file: Buffer.from(requestLine('a', 'x')), filename: 'rows.jsonl' });
	const notes = await client.files.upload({ file: Buffer.from('{}'), filename: 'notes.jsonl', purpose: 'user_data' });
	const ctx = loadOptionsContext(emu);

	const inputs = await listSearch.batchInputFileSearch.call(ctx);
	assert.deepEqual(inputs.results.map((r) => r.value), [input.id]);
	assert.match(inputs.results[0].name, /^rows\.jsonl · batch · /);
	const all = await listSearch.fileSearch.call(ctx);
	assert.deepEqual(new Set(all.results.map((r) => r.value)), new Set([input.id, notes.id]));
});

test('list search errors are node errors that say what to do (missing API key)', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual', apiKey: 'secret' });
	await assert.rejects(listSearch.batchSearch.call(loadOptionsContext(emu)), (error: Error & { description?: string; httpCode?: string }) => {
		assert.equal(error.constructor.name, 'NodeApiError');
		assert.equal(error.httpCode, '401');
		assert.match(String(error.description), /API key/i);
		return true;
	});
});
