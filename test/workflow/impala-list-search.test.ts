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

test('batch list search: pages with a token, names show status and creation time, filter applies', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const ids: string[] = [];
	for (let i = 0; i < 102; i++) ids.push((await createBatchFrom(emu, [requestLine('a', 'x')])).body.id);
	const ctx = loadOptionsContext(emu);

	const first = await listSearch.batchSearch.call(ctx);
	assert.equal(first.results.length, 100);
	assert.equal(first.results[0].value, ids[101], 'newest first');
	assert.match(first.results[0].name, new RegExp(`^${ids[101]} · validating · created \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC$`));
	assert.ok(first.paginationToken);
	const second = await listSearch.batchSearch.call(ctx, undefined, String(first.paginationToken));
	assert.deepEqual(second.results.map((r) => r.value), [ids[1], ids[0]]);
	assert.equal(second.paginationToken, undefined);

	const filtered = await listSearch.batchSearch.call(ctx, ids[50].toUpperCase());
	assert.deepEqual(filtered.results.map((r) => r.value), [ids[50]]);
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
