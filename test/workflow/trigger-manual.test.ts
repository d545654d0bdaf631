import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IDataObject, INodeParameters, IWorkflowBase } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator } from '../../src/emulator';
import { completedBatch } from '../helpers/emulator';
import { Poller, TRIGGER_NODE_NAME } from '../helpers/poll';
import { nodeOutput, runWorkflow } from '../helpers/workflow';

let emu: Emulator;
let client: ImpalaClient;

before(async () => {
	emu = await startEmulator({ pace: 'manual' });
	client = new ImpalaClient({ baseUrl: emu.url });
});
after(async () => {
	await emu.close();
});

function workflowWith(
	parameters: INodeParameters,
	staticData: IDataObject,
): Pick<IWorkflowBase, 'nodes' | 'connections'> & Partial<IWorkflowBase> {
	return {
		id: 'trigger-manual',
		name: 'Batch finished',
		staticData,
		nodes: [
			{
				id: 'trigger',
				name: TRIGGER_NODE_NAME,
				type: 'n8n-nodes-impala.impalaBatchTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				credentials: { impalaApi: { id: 'impala-credential', name: 'Impala account' } },
			},
			{ id: 'noop', name: 'Use Batch', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, 0], parameters: {} },
		],
		connections: {
			[TRIGGER_NODE_NAME]: { main: [[{ node: 'Use Batch', type: 'main', index: 0 }]] },
		},
	};
}

describe('Impala Batch Trigger in a manual workflow run (n8n-core WorkflowExecute)', () => {
	it('"Fetch Test Event" feeds the newest matching batch to the next node and leaves the static data as it was', async () => {
		const credentials = { impalaApi: { baseUrl: emu.url, apiKey: '' } };
		const parameters: INodeParameters = { scope: 'jobId', jobId: 'job-manual-run' };
		await completedBatch(emu, client, ['hello'], { job_id: 'job-manual-run' });
		// The state of an active trigger, from real polls, as n8n keeps it in the workflow's static data.
		const active = new Poller({ parameters, credentials });
		await active.poll();
		const staticData = active.savedStaticData();
		const before = JSON.stringify(staticData);

		const newest = await completedBatch(emu, client, ['hello'], { job_id: 'job-manual-run' });
		const run = await runWorkflow(workflowWith(parameters, staticData), { credentials });
		const items = nodeOutput(run, 'Use Batch');
		assert.deepEqual(
			items.map((i) => [i.json.id, i.json.status]),
			[[newest.id, 'completed']],
		);
		assert.equal(JSON.stringify(staticData), before, 'the manual run changed no static data');
		assert.equal((staticData as { __dataChanged?: boolean }).__dataChanged ?? false, false);

		// The active trigger still fires for that batch.
		const later = new Poller({ parameters, credentials, staticData });
		assert.deepEqual((await later.poll()).items.map((i) => i.json.id), [newest.id]);
	});
});
