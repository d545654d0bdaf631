// Bad inputs of the Impala node are refused before any request, with an error that names the item and
// the field and says what to do. Binary data lives on disk here (filesystem mode) so the 201 MB file is
// a sparse file, never held in memory.
import { closeSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_BINARY_DATA_STORAGE_PATH = mkdtempSync(path.join(tmpdir(), 'impala-binary-'));
import '../helpers/n8n-env';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { IRun } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { createBatchFrom, requestLine, useEmulator, type Emulator } from '../helpers/emulator';
import { loadWorkflowFile, nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { byId, credentialsFor, FIXTURES, runOperation } from './fixtures/impala/helpers';

before(async () => {
	await Container.get(BinaryDataService).init();
});

const tmp = mkdtempSync(path.join(tmpdir(), 'impala-bad-input-'));

/** The error the Impala node stopped with, its item and the requests that reached the emulator. */
function failure(run: IRun) {
	const error = nodeError(run, 'Impala') as (Error & { description?: string; context?: { itemIndex?: number } }) | undefined;
	assert.ok(error, 'the node failed');
	return { message: error.message, description: String(error.description ?? ''), itemIndex: error.context?.itemIndex };
}

/** Reads `filePath` with Read File and uploads it with purpose batch. */
async function uploadFile(emu: Emulator, filePath: string) {
	const workflow = loadWorkflowFile(path.join(FIXTURES, 'upload-download.json'), { __INPUT_PATH__: filePath });
	workflow.nodes = workflow.nodes.filter((node) => ['Start', 'Read File', 'Upload'].includes(node.name));
	const upload = workflow.nodes.find((node) => node.name === 'Upload')!;
	upload.name = 'Impala';
	workflow.connections = {
		Start: { main: [[{ node: 'Read File', type: 'main', index: 0 }]] },
		'Read File': { main: [[{ node: 'Impala', type: 'main', index: 0 }]] },
	};
	return await runWorkflow(workflow, { credentials: credentialsFor(emu) });
}

test('File → Upload with purpose batch refuses a PNG, an empty file and a 201 MB file before any request', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const png = path.join(tmp, 'photo.png');
	writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
	const empty = path.join(tmp, 'empty.jsonl');
	writeFileSync(empty, '');
	const text = path.join(tmp, 'notes.txt');
	writeFileSync(text, 'Dear team,\nhere are the questions.\n');

	const cases: Array<[string, RegExp]> = [
		[png, /^Input Binary Field: The file "photo\.png" in the binary field "upload" is a PNG image, not a JSONL file of requests$/],
		[empty, /^Input Binary Field: The file "empty\.jsonl" in the binary field "upload" is empty \(0 bytes\)/],
		[text, /^Input Binary Field: The file "notes\.txt" .* does not start with a JSON object/],
	];
	for (const [file, expected] of cases) {
		const { message, description, itemIndex } = failure(await uploadFile(emu, file));
		assert.match(message, expected);
		assert.equal(itemIndex, 0);
		assert.match(description, /choose another Purpose\. Nothing was uploaded\.$/);
	}
	assert.deepEqual(emu.requests, [], 'nothing reached Impala');

	// 201 MB: a sparse file put straight into n8n's binary data store, as Read File would leave it.
	const storage = String(process.env.N8N_BINARY_DATA_STORAGE_PATH);
	const fd = openSync(path.join(storage, 'huge-input'), 'w');
	ftruncateSync(fd, 201_000_000);
	closeSync(fd);
	writeFileSync(path.join(storage, 'huge-input.metadata'), JSON.stringify({ fileName: 'huge.jsonl', mimeType: 'application/jsonl', fileSize: 201_000_000 }));
	const binary = { id: 'filesystem-v2:huge-input', data: 'filesystem-v2', mimeType: 'application/jsonl', fileName: 'huge.jsonl' };
	const run = await runOperation(emu, {
		parameters: { resource: 'file', operation: 'upload', binaryPropertyName: 'data', purpose: 'batch' },
		items: [{ json: {}, binary: { data: binary } }],
	});
	const { message, itemIndex } = failure(run);
	assert.equal(message, 'Input Binary Field: The file "huge.jsonl" in the binary field "data" is 201 MB; Impala takes batch input files of at most 200 MB');
	assert.equal(itemIndex, 0);
	assert.deepEqual(emu.requests, [], 'nothing reached Impala');
});

test('File → Get Many and Batch → Get Many refuse a Limit that is not a whole number', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	for (const resource of ['file', 'batch']) {
		for (const limit of ['abc', 0, 1.5]) {
			const run = await runOperation(emu, {
				parameters: { resource, operation: 'getAll', returnAll: false, limit: typeof limit === 'string' ? `={{ "${limit}" }}` : limit },
			});
			const { message, description, itemIndex } = failure(run);
			assert.equal(message, `Limit: ${JSON.stringify(limit)} is not a whole number of 1 or more`);
			assert.match(description, /turn on "Return All"/);
			assert.equal(itemIndex, 0);
		}
	}
	assert.deepEqual(emu.requests, []);
});

test('Batch → Create refuses an Endpoint that differs from the url of the file\'s lines, naming the Endpoint field once', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from([requestLine('a', 'x'), requestLine('b', 'y')].join('\n')), filename: 'chat.jsonl' });
	const run = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'create', inputFileId: byId(file.id), endpoint: '/v1/embeddings' },
		items: [{}, {}],
		continueOnFail: true,
	});
	const out = nodeOutput(run, 'Impala');
	assert.equal(out.length, 2);
	assert.equal(
		out[0].json.error,
		`Endpoint: is "Embeddings" (/v1/embeddings), but the requests in the input file ${file.id} are for Chat Completions (line 1 has the url /v1/chat/completions)`,
	);
	assert.equal(out[0].json.description, 'Set "Endpoint" to "Chat Completions", the endpoint the file\'s requests were written for. No batch was created.');
	assert.deepEqual(out.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
	assert.equal(emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length, 0, 'no batch was created');
	assert.equal((await client.batches.listPage()).data.length, 0);
});

test('Batch → Create with an unknown endpoint names the Endpoint field (no crash)', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const run = await runOperation(emu, {
		parameters: { resource: 'batch', operation: 'create', inputFileId: byId('file-abc'), endpoint: '={{ "/v1/images/generations" }}' },
	});
	const { message, description } = failure(run);
	assert.match(message, /^Endpoint: /);
	assert.doesNotMatch(message, /Cannot read properties/);
	assert.match(description, /Pick one of the endpoints in the list/);
	assert.deepEqual(emu.requests, []);
});

test('IDs that are empty, "." or "..", or hold / ? # or spaces are refused before any request, naming the field', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const bad = ['', ' ', '.', '..', 'batch-1/../x', 'batch-1?x=1', 'batch-1#top', 'batch 1'];
	const operations: Array<[string, string, string, string]> = [
		['batch', 'get', 'batchId', 'Batch'],
		['batch', 'cancel', 'batchId', 'Batch'],
		['batch', 'getResults', 'batchId', 'Batch'],
		['file', 'get', 'fileId', 'File'],
		['file', 'download', 'fileId', 'File'],
		['file', 'delete', 'fileId', 'File'],
		['batch', 'create', 'inputFileId', 'Input File'],
	];
	for (const [resource, operation, field, label] of operations) {
		for (const id of bad) {
			const run = await runOperation(emu, {
				parameters: { resource, operation, [field]: byId(`={{ ${JSON.stringify(id)} }}`), endpoint: '/v1/chat/completions', binaryPropertyName: 'data' },
			});
			const { message, description } = failure(run);
			assert.ok(message.startsWith(`${label}: `), `${resource} ${operation} with ${JSON.stringify(id)}: ${message}`);
			assert.match(description, new RegExp(`Pick the (batch|file) from the list in "${label}"`));
		}
	}
	assert.deepEqual(emu.requests, []);
});

test('Continue On Fail also covers building the client: an invalid base URL gives one error item per input item', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const workflow = loadWorkflowFile(path.join(FIXTURES, 'single-operation.json'), {
		'"__PARAMETERS__"': JSON.stringify({ resource: 'batch', operation: 'getAll', returnAll: true }),
		__ON_ERROR__: 'continueRegularOutput',
		__ITEMS_CODE__: 'return [{}, {}];',
	});
	const run = await runWorkflow(workflow, { credentials: { impalaApi: { baseUrl: 'not a url', apiKey: '' } } });
	assert.equal(run.status, 'success');
	const out = nodeOutput(run, 'Impala');
	assert.equal(out.length, 2);
	for (const item of out) assert.match(String(item.json.error), /not a url|base URL/i);
	assert.deepEqual(out.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
	assert.deepEqual(emu.requests, []);
});

test('a batch created on the wrong endpoint: Get Results names the line once and says to fix the Endpoint field', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const { body: created } = await createBatchFrom(emu, [requestLine('a', 'x'), requestLine('b', 'y')], { endpoint: '/v1/embeddings' });
	const client = new ImpalaClient({ baseUrl: emu.url });
	for (let batch = await client.batches.get(created.id); batch.status !== 'failed'; batch = await client.batches.get(created.id)) {
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	const { message, description } = failure(await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id) } }));
	assert.match(message, /\(line 1: the url '\/v1\/chat\/completions' differs from the batch endpoint '\/v1\/embeddings'\./);
	assert.doesNotMatch(message, /line 1: Line 1/i);
	assert.match(description, /"Endpoint" set to the endpoint in the lines' url/);
	assert.doesNotMatch(description, /Fix the input file/);
});
