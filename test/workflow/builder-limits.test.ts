import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileLines, useEmulator, waitForTerminal } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, itemsWorkflow } from './fixtures/builder/workflows';

// 6 items of 10,000 texts each: 60,000 embedding inputs, over Impala's 50,000 per batch.
const SIX_BY_10K = `return Array.from({ length: 6 }, (_, i) => ({ json: { doc: 'd' + i, texts: Array.from({ length: 10000 }, (_, j) => 'text ' + i + '.' + j) } }));`;

const EMBEDDINGS = {
	mode: 'createBatch',
	endpoint: '/v1/embeddings',
	model: 'impala-embed',
	embeddingInput: '={{ $json.texts }}',
	customIdSource: 'field',
	customId: '={{ $json.doc }}',
	options: { dimensions: 2 },
	batchOptions: { metadata: { pairs: [{ key: 'project', value: 'vectors' }] } },
};

test('embeddings over the input limit with "Split Into Several Batches": two batches tagged with one group and their part', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(itemsWorkflow({ jsCode: SIX_BY_10K }, { ...EMBEDDINGS, split: true }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	assert.equal(run.status, 'success', nodeError(run, BUILDER)?.message);
	const items = nodeOutput(run, BUILDER);
	assert.equal(items.length, 2);
	const [first, second] = items.map((i) => i.json as Record<string, any>);
	assert.equal(first.summary.embeddingInputs, 50_000);
	assert.equal(second.summary.embeddingInputs, 10_000);
	assert.deepEqual([first.summary.rows, second.summary.rows], [5, 1]);
	assert.deepEqual(items[0].pairedItem, [0, 1, 2, 3, 4].map((item) => ({ item })));
	assert.deepEqual(items[1].pairedItem, [{ item: 5 }]);
	const groupId = first.metadata.batch_group_id;
	assert.match(groupId, /^grp-/);
	assert.deepEqual(first.metadata, { project: 'vectors', batch_group_id: groupId, batch_part: '1/2' });
	assert.deepEqual(second.metadata, { project: 'vectors', batch_group_id: groupId, batch_part: '2/2' });
	assert.equal(first.summary.fileName, 'batch-input.part-1-of-2.jsonl');

	const finished = [];
	for (const batch of [first, second]) {
		const done = await waitForTerminal(emu, batch.id);
		assert.equal(done.status, 'completed', JSON.stringify(done.errors));
		assert.equal(done.request_counts.failed, 0);
		finished.push(done);
	}
	const doneSecond = finished[1];
	const [answer] = await fileLines(emu, doneSecond.output_file_id);
	assert.equal(answer.custom_id, 'd5');
	assert.equal(answer.response.body.data.length, 10_000);
});

test('embeddings over the input limit without split: a clear error and nothing uploaded', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(itemsWorkflow({ jsCode: SIX_BY_10K }, EMBEDDINGS), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	const error = nodeError(run, BUILDER);
	assert.ok(error, 'the node fails');
	assert.equal(error.message, 'Too much for one batch: 60,000 embedding inputs (at most 50,000 per batch); nothing was uploaded');
	assert.match(String(error.description), /Turn on "Split Into Several Batches"/);
	assert.deepEqual(
		emu.requests.filter((r) => r.method !== 'GET'),
		[],
		'no file upload and no batch',
	);
});

test('a part that fails after another was created: the error names the batch already running; Continue On Fail keeps it', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const failSecondCreate = () => {
		emu.faults.clear();
		emu.faults.inject({ kind: 'serverError', status: 500, method: 'POST', path: '/v1/batches', skip: 1 }); // the first create passes
	};
	failSecondCreate();
	const stopped = await runWorkflow(itemsWorkflow({ jsCode: SIX_BY_10K }, { ...EMBEDDINGS, split: true }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	const error = nodeError(stopped, BUILDER);
	assert.match(error?.message ?? '', /^Part 2\/2 failed: /);
	assert.match(String(error?.description), /Already done, and kept: batch \S+ \(part 1\/2\)\./);

	failSecondCreate();
	const kept = await runWorkflow(itemsWorkflow({ jsCode: SIX_BY_10K }, { ...EMBEDDINGS, split: true }, true), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	const [created, failed] = nodeOutput(kept, BUILDER);
	assert.equal(created.json.object, 'batch');
	assert.equal((created.json.metadata as Record<string, string>).batch_part, '1/2');
	assert.match(String(failed.json.error), /^Part 2\/2 failed: /);
});
