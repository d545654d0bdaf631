import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVALUATE_AHEAD_ITEMS } from '../../nodes/ImpalaBatchBuilder/rows/evaluatedAhead';
import { recordParameterEvaluations } from '../helpers/parameterEvaluations';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, itemsWorkflow } from './fixtures/builder/workflows';

// Expressions n8n evaluates are evaluated for runs of items before those rows are built. Across the runs'
// edges every item must still get its own value, once, and a failure must stay with its own item.

const RUN = EVALUATE_AHEAD_ITEMS;
const COUNT = 2 * RUN + 44;
const rows = Array.from({ length: COUNT }, (_, i) => ({ id: `r${i}`, text: `text of item ${i + 1}` }));
const EVALUATED = {
	mode: 'buildJsonl',
	endpoint: '/v1/chat/completions',
	model: 'm',
	customIdSource: 'field',
	// Fails for an item without text: n8n cannot find the node named.
	userMessage: "={{ $json.text ? $json.text.toUpperCase() : $('Nowhere').item.json.text }}",
	customId: "={{ 'id-' + $json.id }}",
};

test(`every item gets its own values across runs of ${RUN} evaluations, each evaluated once`, async (t) => {
	const evaluations = recordParameterEvaluations(t);
	const run = await runWorkflow(itemsWorkflow(rows, EVALUATED));
	assert.equal(run.status, 'success', String(nodeError(run, BUILDER)?.message));
	const file = Buffer.from(nodeOutput(run, BUILDER)[0].binary!.data.data, 'base64').toString('utf8');
	const lines = file.trimEnd().split('\n').map((line) => JSON.parse(line) as { custom_id: string; body: { messages: Array<{ content: string }> } });
	assert.equal(lines.length, COUNT);
	lines.forEach((line, i) => {
		assert.equal(line.custom_id, `id-r${i}`);
		assert.equal(line.body.messages[0].content, `TEXT OF ITEM ${i + 1}`);
	});
	const everyItem = Array.from({ length: COUNT }, (_, i) => i);
	const itemsEvaluated = (name: string) => evaluations.filter((e) => e.name === name).map((e) => e.itemIndex).sort((a, b) => a - b);
	assert.deepEqual(itemsEvaluated('userMessage'), everyItem);
	assert.deepEqual(itemsEvaluated('customId'), everyItem);
});

test('an expression that fails on items at the edges of the runs is reported for exactly those items', async () => {
	const failing = new Set([0, RUN - 1, RUN, RUN + 1, 2 * RUN, COUNT - 1]);
	const withGaps = rows.map((row, i) => (failing.has(i) ? { id: row.id } : row));
	const run = await runWorkflow(itemsWorkflow(withGaps, EVALUATED));
	const error = nodeError(run, BUILDER);
	assert.ok(error, 'the build stops with the problems');
	assert.equal(error.message, `Found ${failing.size} problems in the input; nothing was uploaded`);
	const problems = String(error.description).split('\n');
	assert.deepEqual(
		problems.map((line) => /^Item (\d+), User Message: could not be evaluated/.exec(line)?.[1]),
		[...failing].map((i) => String(i + 1)),
		problems.join('\n'),
	);
});
