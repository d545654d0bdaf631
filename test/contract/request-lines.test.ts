import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRequestLine, buildLines, type EndpointInput, type RowSource } from '../../src/jsonl';
import { nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, CHAT_PARAMETERS, itemsWorkflow } from '../workflow/fixtures/builder/workflows';
import { assertValid, componentSchema } from './openapi';

const inputLine = componentSchema('BatchRequestInputLine');

/** One maximal input per endpoint: every option the builder can set. */
const INPUTS: EndpointInput[] = [
	{
		endpoint: '/v1/chat/completions',
		model: 'm',
		systemMessage: 'Be brief.',
		extraMessages: [{ role: 'user', content: 'Earlier' }, { role: 'assistant', content: 'Reply' }],
		userMessage: 'Hi ✓',
		temperature: 0.2,
		maxTokens: 50,
		responseFormat: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true },
	},
	{ endpoint: '/v1/responses', model: 'm', instructions: 'Be brief.', input: 'Hi', responseFormat: { type: 'json_object' } },
	{ endpoint: '/v1/embeddings', model: 'e', input: ['one', 'two'], dimensions: 16, encodingFormat: 'base64' },
	{ endpoint: '/v1/embeddings', model: 'e', input: 'one' },
	{ endpoint: '/v1/completions', model: 'c', prompt: 'Once', maxTokens: 5, temperature: 0 },
];

function checkJsonl(text: string, what: string): number {
	const lines = text.split('\n');
	assert.equal(lines.pop(), '', `${what} ends with a newline`);
	for (const [i, line] of lines.entries()) assertValid(inputLine, JSON.parse(line), `${what} line ${i + 1}`);
	return lines.length;
}

test('buildRequestLine gives a BatchRequestInputLine for every endpoint, its url the slashed endpoint', () => {
	for (const input of INPUTS) {
		const result = buildRequestLine({ customId: `row-${input.endpoint}`, input, additionalBody: { user: 'u-1' } });
		assert.ok(result.ok, `${input.endpoint}: ${JSON.stringify(!result.ok && result.issues)}`);
		checkJsonl(result.line.text, input.endpoint);
		const line = JSON.parse(result.line.text);
		assert.equal(line.url, input.endpoint, 'url equals the batch endpoint (slashed form, impala-api.md)');
		assert.equal(line.body.model, input.model);
	}
});

test('the JSONL of a planned build (generated custom ids) is BatchRequestInputLine line by line', async () => {
	const texts = ['a', 'b|c', 'd'];
	const source: RowSource = {
		noun: 'Item',
		async *rows() {
			for (let i = 0; i < texts.length; i++) {
				yield { number: i + 1, itemIndex: i, read: () => ({ input: { endpoint: '/v1/embeddings', model: 'e', input: texts[i].split('|') } }) };
			}
		},
	};
	const settings = { endpoint: '/v1/embeddings' as const, generateCustomIds: true, split: false };
	const build = await buildLines(source, settings);
	let text = '';
	for await (const chunk of build.spool.read()) text += String(chunk);
	await build.spool.dispose();
	assert.equal(checkJsonl(text, 'planned build'), 3);
});

test("the Batch Builder node's Build JSONL Only file is BatchRequestInputLine line by line", async () => {
	const run = await runWorkflow(
		itemsWorkflow(
			[
				{ id: 'q1', text: 'What is 2+2?' },
				{ id: 'q2', text: 'Grüße' },
			],
			{ mode: 'buildJsonl', ...CHAT_PARAMETERS },
		),
	);
	assert.equal(run.status, 'success');
	const [item] = nodeOutput(run, BUILDER);
	const text = Buffer.from(item.binary!.data.data, 'base64').toString('utf8');
	assert.equal(checkJsonl(text, 'builder file'), 2);
});

test('BatchRequestInputLine refuses a line missing what the spec requires (the check can fail)', () => {
	assert.equal(inputLine({ custom_id: 'a', method: 'POST', url: '/v1/completions' }), false);
	assert.equal(inputLine({ custom_id: 'a', method: 'GET', url: '/v1/completions', body: {} }), false);
});
