import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeHelpers, Workflow, type INode, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { useEmulator, createBatchFrom, requestLine } from '../helpers/emulator';
import { subtitleOf, TestNodeTypes } from '../helpers/workflow';
import { byId, runOperation } from './fixtures/impala/helpers';

const nodeTypes = new TestNodeTypes();
const description: INodeTypeDescription = nodeTypes.getByNameAndVersion('n8n-nodes-impala.impala').description;

function outputsFor(parameters: INode['parameters']) {
	const node: INode = { id: '1', name: 'Impala', type: 'n8n-nodes-impala.impala', typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Impala')!, description);
}

const subtitleFor = (parameters: INode['parameters']) => subtitleOf('n8n-nodes-impala.impala', parameters);

test('the node describes every operation with an action text, icons and tool use', () => {
	assert.equal(description.name, 'impala');
	assert.equal(description.usableAsTool, true);
	assert.deepEqual(description.icon, { light: 'file:impala.svg', dark: 'file:impala.dark.svg' });
	assert.deepEqual(description.credentials, [{ name: 'impalaApi', required: true, testedBy: 'impalaApiTest' }]);
	const operations = description.properties.filter((p: INodeProperties) => p.name === 'operation');
	const actions = operations.flatMap((p) => (p.options ?? []).map((o) => `${p.displayOptions?.show?.resource}:${(o as { value: string }).value}:${(o as { action?: string }).action}`));
	assert.deepEqual(actions.sort(), [
		'batch:cancel:Cancel a batch',
		'batch:create:Create a batch',
		'batch:get:Get a batch',
		'batch:getAll:Get many batches',
		'batch:getResults:Get the results of a batch',
		'batch:retryFailed:Retry the failed requests of a batch',
		'file:delete:Delete a file',
		'file:download:Download a file',
		'file:get:Get a file',
		'file:getAll:Get many files',
		'file:upload:Upload a file',
	]);
});

test('the subtitle names the operation and resource as the editor shows them', () => {
	assert.equal(subtitleFor({ resource: 'batch', operation: 'get' }), 'Get: Batch');
	assert.equal(subtitleFor({ resource: 'batch', operation: 'getResults' }), 'Get Results: Batch');
	assert.equal(subtitleFor({ resource: 'batch', operation: 'getAll' }), 'Get Many: Batch');
	assert.equal(subtitleFor({ resource: 'file', operation: 'delete' }), 'Delete: File');
	assert.equal(subtitleFor({ resource: 'file', operation: 'upload' }), 'Upload: File');
	const operations = description.properties.filter((p: INodeProperties) => p.name === 'operation');
	for (const operation of operations) {
		const resource = String(operation.displayOptions?.show?.resource);
		for (const option of operation.options as Array<{ name: string; value: string }>) {
			const resourceName = resource === 'batch' ? 'Batch' : 'File';
			assert.equal(subtitleFor({ resource, operation: option.value }), `${option.name}: ${resourceName}`);
		}
	}
});

test('Get Results has a second output only when "Separate Outputs for Failures" is on, and a Summary output last when asked', () => {
	assert.deepEqual(outputsFor({ resource: 'batch', operation: 'get' }), [{ type: 'main' }]);
	assert.deepEqual(outputsFor({ resource: 'batch', operation: 'getResults', options: {} }), [{ type: 'main' }]);
	assert.deepEqual(outputsFor({ resource: 'batch', operation: 'getResults', options: { separateOutputs: true } }), [
		{ type: 'main', displayName: 'Succeeded' },
		{ type: 'main', displayName: 'Failed, Missing or Invalid' },
	]);
	assert.deepEqual(outputsFor({ resource: 'batch', operation: 'getResults', options: { includeSummary: true } }), [
		{ type: 'main', displayName: 'Results' },
		{ type: 'main', displayName: 'Summary' },
	]);
	assert.deepEqual(outputsFor({ resource: 'batch', operation: 'getResults', options: { separateOutputs: true, includeSummary: true } }), [
		{ type: 'main', displayName: 'Succeeded' },
		{ type: 'main', displayName: 'Failed, Missing or Invalid' },
		{ type: 'main', displayName: 'Summary' },
	]);
	assert.deepEqual(outputsFor({ resource: 'batch', operation: 'get', options: { includeSummary: true } }), [{ type: 'main' }]);
});

test('Wait for Completion stops when the execution is cancelled', { timeout: 60_000 }, async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const { body: created } = await createBatchFrom(emu, [requestLine('a', 'x')]);
	const controller = new AbortController();
	const polled = new Promise<void>((resolve) => {
		const timer = setInterval(() => {
			if (emu.requests.some((r) => r.path === `/v1/batches/${created.id}`)) {
				clearInterval(timer);
				resolve();
			}
		}, 5);
	});
	const running = runOperation(emu, {
		parameters: { resource: 'batch', operation: 'get', batchId: byId(created.id), waitForCompletion: true, maxWaitMinutes: 30, pollIntervalSeconds: 600 },
		signal: controller.signal,
	});
	await polled;
	controller.abort();
	const run = await running;
	assert.equal(run.status, 'canceled');
});
