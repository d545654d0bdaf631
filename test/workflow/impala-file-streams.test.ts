// n8n stores binary data on disk here (filesystem mode), as most production instances do: then Upload
// streams the file with getBinaryStream and Download streams the answer into the store.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
process.env.N8N_BINARY_DATA_STORAGE_PATH = mkdtempSync(path.join(tmpdir(), 'impala-binary-'));
import '../helpers/n8n-env';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import { requestLine, useEmulator } from '../helpers/emulator';
import { loadWorkflowFile, nodeOutput, runWorkflow } from '../helpers/workflow';
import { credentialsFor, FIXTURES, writeJsonl } from './fixtures/impala/helpers';

test('with binary data on disk, upload streams from the store and download streams into it', async (t) => {
	const service = Container.get(BinaryDataService);
	await service.init();
	const emu = await useEmulator(t, { pace: 'manual' });
	const input = writeJsonl(Array.from({ length: 200 }, (_, i) => requestLine(`row-${i}`, `question ${i}`)));
	const workflow = loadWorkflowFile(path.join(FIXTURES, 'upload-download.json'), { __INPUT_PATH__: input });
	const run = await runWorkflow(workflow, { credentials: credentialsFor(emu) });
	assert.equal(run.status, 'success');

	const [read] = nodeOutput(run, 'Read File');
	assert.ok(read.binary?.upload.id, 'the input binary lives in the store (it has an id)');
	const [uploaded] = nodeOutput(run, 'Upload');
	assert.equal(uploaded.json.bytes, readFileSync(input).length);

	const [downloaded] = nodeOutput(run, 'Download');
	const binary = downloaded.binary!.content;
	assert.ok(binary.id, 'the download was written to the store, not kept in the item');
	const stored = await service.getAsBuffer(binary);
	assert.equal(stored.toString('utf8'), readFileSync(input, 'utf8'));
});
