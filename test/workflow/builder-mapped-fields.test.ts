import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { INodeParameters } from 'n8n-workflow';
import { recordParameterEvaluations } from '../helpers/parameterEvaluations';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, itemsWorkflow } from './fixtures/builder/workflows';

// A mapped field (`{{ $json.text }}`) is read straight from the item when its value is plain; everything
// else goes through n8n. Each case runs twice through n8n-core: with the mapped fields, and with the same
// reads wrapped in parentheses, which n8n evaluates itself. Both must give the same file or the same error.

const MAPPED = {
	model: "={{ $json['model'] }}",
	userMessage: '={{ $json.text }}',
	customId: '={{ $json["id"] }}',
	options: { temperature: '={{$json.temp}}' },
};
/** The same reads, written so that n8n evaluates them. */
const EVALUATED = {
	model: "={{ ($json['model']) }}",
	userMessage: '={{ ($json.text) }}',
	customId: '={{ ($json["id"]) }}',
	options: { temperature: '={{ ($json.temp) }}' },
};

const buildJsonl = (fields: INodeParameters) => ({ mode: 'buildJsonl', endpoint: '/v1/chat/completions', customIdSource: 'field', ...fields });

/** Runs the Builder on `rows` with both sets of fields and counts n8n's parameter evaluations in each. */
async function bothWays(t: TestContext, rows: unknown[]) {
	const evaluations = recordParameterEvaluations(t);
	const mapped = await runWorkflow(itemsWorkflow(rows, buildJsonl(MAPPED)));
	const mappedCalls = evaluations.length;
	evaluations.length = 0;
	const evaluated = await runWorkflow(itemsWorkflow(rows, buildJsonl(EVALUATED)));
	return { mapped, evaluated, mappedCalls, evaluatedCalls: evaluations.length };
}

const fileText = (run: Awaited<ReturnType<typeof runWorkflow>>) =>
	Buffer.from(nodeOutput(run, BUILDER)[0].binary!.data.data, 'base64').toString('utf8');

test('mapped fields give the same file as n8n evaluating them, for every kind of plain value, without n8n per item', async (t) => {
	const rows = [
		{ id: 'a1', text: 'plain', temp: 0.2, model: 'm-1' },
		{ id: 7, text: '  spaces around  ', temp: '0.7', model: 'm-2' },
		{ id: 'with space', text: 'Grüße ✓ 😀 ½', temp: 1, model: 'm-1' },
		{ id: 'q"uote', text: 'quote " backslash \\ and\nnew line\ttab', temp: ' 2 ', model: 'm-3' },
		{ id: 1e21, text: 'x'.repeat(5000), model: 'm-1' },
		{ id: -0.5, text: '{{ not an expression }}', temp: null, model: 'm-1' },
		{ id: 'ünïcödé-ид', text: '=starts with an equals sign', temp: 0, model: 'm-1', extra: { nested: true } },
	];
	const { mapped, evaluated, mappedCalls, evaluatedCalls } = await bothWays(t, rows);
	assert.equal(mapped.status, 'success', String(nodeError(mapped, BUILDER)?.message));
	assert.equal(evaluated.status, 'success', String(nodeError(evaluated, BUILDER)?.message));
	const file = fileText(mapped);
	assert.equal(file, fileText(evaluated));
	const lines = file.trimEnd().split('\n').map((line) => JSON.parse(line) as { custom_id: string; body: Record<string, unknown> });
	assert.deepEqual(
		lines.map((l) => l.custom_id),
		['a1', '7', 'with space', 'q"uote', '1e+21', '-0.5', 'ünïcödé-ид'],
	);
	assert.deepEqual(lines.map((l) => l.body.temperature), [0.2, 0.7, 1, 2, undefined, undefined, 0]);
	assert.equal((lines[3].body.messages as Array<{ content: string }>)[0].content, 'quote " backslash \\ and\nnew line\ttab');
	// n8n evaluates the 4 fields for every item in the second run; with the mapped fields only the 2
	// temperatures that are missing or null go through it (both runs read the node's fixed settings once).
	assert.equal(evaluatedCalls - mappedCalls, 4 * rows.length - 2, `${evaluatedCalls} evaluations against ${mappedCalls}`);
});

test('values that are not plain text go through n8n, and give the same problems as n8n evaluating the fields', async (t) => {
	const rows = [
		{ id: 'n1', text: 42, model: 'm' },
		{ id: 'n2', text: true, model: 'm' },
		{ id: 'n3', text: null, model: 'm' },
		{ id: 'n4', model: 'm' },
		{ id: 'n5', text: { a: 1 }, model: 'm' },
		{ id: 'n6', text: ['a', 'b'], model: 'm' },
		{ id: 'n7', text: '   ', model: 'm' },
		{ id: null, text: 'no id', model: 'm' },
		{ text: 'missing id', model: 'm' },
		{ id: true, text: 'yes/no id', model: 'm' },
		{ id: 'n8', text: 'fine', temp: 'hot', model: 'm' },
		{ id: 'n9', text: 'fine', temp: 3, model: 'm' },
		{ id: 'dup', text: 'a', model: 'm' },
		{ id: 'dup', text: 'b', model: 'm' },
		{ id: 'x'.repeat(65), text: 'long id', model: 'm' },
		{ id: 'n10', text: 'c', model: { name: 'm' } },
	];
	const { mapped, evaluated } = await bothWays(t, rows);
	const [mappedError, evaluatedError] = [nodeError(mapped, BUILDER), nodeError(evaluated, BUILDER)];
	assert.ok(mappedError && evaluatedError, 'both runs stop with the problems');
	assert.equal(mappedError.message, evaluatedError.message);
	assert.equal(mappedError.description, evaluatedError.description);
	const problems = String(mappedError.description).split('\n');
	assert.equal(problems.length, 15, problems.join('\n'));
	assert.match(problems[0], /^Item 1, User Message: gives the number 42, not text\./);
	assert.match(problems[4], /^Item 5, User Message: gives an object \(\{"a":1\}\), not text\./);
	assert.match(problems[13], /^Item 16, Model: gives an object/);
	assert.match(problems[14], /^Items 13 and 14, Custom ID: all use the custom ID "dup"/, 'mapped IDs are checked for duplicates');
});

test('names n8n guards or objects inherit (constructor, toString, __proto__) are left to n8n: the same errors as evaluated', async () => {
	for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
		const errorOf = async (userMessage: string) => {
			const run = await runWorkflow(itemsWorkflow([{ id: 'a', text: 'x' }], buildJsonl({ ...MAPPED, model: 'm', options: {}, userMessage })));
			const error = nodeError(run, BUILDER);
			return `${error?.message} / ${error?.description}`;
		};
		const mapped = await errorOf(`={{ $json.${name} }}`);
		assert.equal(mapped, await errorOf(`={{ ($json.${name}) }}`), name);
		assert.match(mapped, /User Message/, `${name}: ${mapped}`);
	}
});
