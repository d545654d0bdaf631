import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { requestLine, useEmulator } from '../helpers/emulator';
import { loadWorkflowFile, nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { byId, credentialsFor, FIXTURES, runOperation, writeJsonl } from './fixtures/impala/helpers';

test('upload from a binary field, get, download into a binary field, delete', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const input = writeJsonl([requestLine('a', 'one'), requestLine('b', 'two')]);
	const workflow = loadWorkflowFile(path.join(FIXTURES, 'upload-download.json'), { __INPUT_PATH__: input });
	const run = await runWorkflow(workflow, { credentials: credentialsFor(emu) });
	assert.equal(run.status, 'success');

	const [uploaded] = nodeOutput(run, 'Upload');
	// A tag makes the name unique, so an upload whose answer was lost can be found (and not sent twice).
	assert.match(String(uploaded.json.filename), /^renamed\.[0-9a-f]{8}\.jsonl$/);
	assert.equal(uploaded.json.purpose, 'batch');
	assert.equal(uploaded.json.bytes, readFileSync(input).length);
	assert.equal(uploaded.json.expires_at, (uploaded.json.created_at as number) + 24 * 3600);

	assert.deepEqual(nodeOutput(run, 'Get File')[0].json, uploaded.json);

	const [downloaded] = nodeOutput(run, 'Download');
	assert.equal(downloaded.json.id, uploaded.json.id);
	const binary = downloaded.binary?.content;
	assert.ok(binary, 'the file is in the "content" binary field');
	assert.equal(binary.fileName, uploaded.json.filename);
	assert.equal(binary.mimeType, 'application/jsonl');
	assert.equal(Buffer.from(binary.data, 'base64').toString('utf8'), readFileSync(input, 'utf8'));
	assert.deepEqual(downloaded.pairedItem, { item: 0 });

	assert.deepEqual(nodeOutput(run, 'Delete')[0].json, { id: uploaded.json.id, object: 'file', deleted: true });
	const gone = await runOperation(emu, { parameters: { resource: 'file', operation: 'get', fileId: byId(String(uploaded.json.id)) } });
	assert.equal((nodeError(gone, 'Impala') as { httpCode?: string } | undefined)?.httpCode, '404');
});

test('upload names the missing binary field', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const run = await runOperation(emu, { parameters: { resource: 'file', operation: 'upload', binaryPropertyName: 'nothing', purpose: 'batch' } });
	assert.match(nodeError(run, 'Impala')?.message ?? '', /nothing/);
	assert.equal(emu.requests.length, 0);
});

test('get many files: purpose filter, order, limit and return all', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const batchFiles = [];
	for (let i = 0; i < 3; i++) batchFiles.push(await client.files.upload({ file: Buffer.from(requestLine(`r${i}`, 'x')), filename: `b${i}.jsonl` }));
	const other = await client.files.upload({ file: Buffer.from('{}'), filename: 'notes.jsonl', purpose: 'user_data' });

	const oldestFirst = await runOperation(emu, {
		parameters: { resource: 'file', operation: 'getAll', returnAll: true, filters: { purpose: 'batch', order: 'asc' } },
	});
	assert.deepEqual(nodeOutput(oldestFirst, 'Impala').map((item) => item.json.id), batchFiles.map((f) => f.id));

	const newestTwo = await runOperation(emu, {
		parameters: { resource: 'file', operation: 'getAll', returnAll: false, limit: 2, filters: { purpose: 'batch', order: 'desc' } },
	});
	assert.deepEqual(nodeOutput(newestTwo, 'Impala').map((item) => item.json.id), [batchFiles[2].id, batchFiles[1].id]);

	const everything = await runOperation(emu, { parameters: { resource: 'file', operation: 'getAll', returnAll: true, filters: {} } });
	const ids = nodeOutput(everything, 'Impala').map((item) => item.json.id);
	assert.equal(ids.length, 4);
	assert.ok(ids.includes(other.id));
});
