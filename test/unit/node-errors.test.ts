import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { toNodeError } from '../../nodes/shared/errors';
import { startEmulator } from '../../src/emulator';

const node: INode = { id: '1', name: 'Impala', type: 'n8n-nodes-impala.impala', typeVersion: 1, position: [0, 0], parameters: {} };

test('a refused connection keeps our message and hint instead of n8n’s generic text', async () => {
	const emu = await startEmulator();
	const url = emu.url;
	await emu.close();
	const client = new ImpalaClient({ baseUrl: url, maxRetries: 0 });
	const error = await client.batches.get('batch-1').catch((e: unknown) => e);
	const mapped = toNodeError(node, error, 3);
	assert.ok(mapped instanceof NodeApiError);
	assert.match(mapped.message, /Could not reach http:\/\/127\.0\.0\.1:\d+/);
	assert.match(String(mapped.description), /^Check the host and port in the Base URL.*\.$/);
	assert.equal(mapped.context.itemIndex, 3);
});

test('an HTTP error becomes a NodeApiError with the status and the hint; other errors a NodeOperationError', async () => {
	const emu = await startEmulator({ apiKey: 'right' });
	try {
		const client = new ImpalaClient({ baseUrl: emu.url, apiKey: 'wrong', maxRetries: 0 });
		const mapped = toNodeError(node, await client.batches.get('batch-1').catch((e: unknown) => e), 0);
		assert.ok(mapped instanceof NodeApiError);
		assert.equal(mapped.httpCode, '401');
		assert.match(String(mapped.description), /API key/);
		assert.doesNotMatch(JSON.stringify(mapped), /wrong/);
	} finally {
		await emu.close();
	}
	const plain = toNodeError(node, new Error('Row 3: the field "prompt" is empty'), 2);
	assert.ok(plain instanceof NodeOperationError);
	assert.equal(plain.context.itemIndex, 2);
});
