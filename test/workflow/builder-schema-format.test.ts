import type { INodeParameters } from 'n8n-workflow';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useEmulator, call } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, itemsWorkflow } from './fixtures/builder/workflows';
import { REVIEW_SCHEMA } from '../helpers/reviewSchema';

const REVIEWS = [
	{ id: 'r1', text: 'Great blender, a bit loud.' },
	{ id: 'r2', text: 'Arrived broken. Refund took weeks.' },
];


const BASE = {
	model: 'impala-test',
	customIdSource: 'field',
	customId: '={{ $json.id }}',
	responseFormat: 'json_schema',
	schemaName: 'review',
};

async function uploadedLines(emu: { url: string }, fileId: string): Promise<any[]> {
	const response = await call<string>(emu as never, 'GET', `/v1/files/${fileId}/content`);
	assert.equal(response.status, 200);
	return response.body.trimEnd().split('\n').map((line) => JSON.parse(line));
}

const credentials = (emu: { url: string }) => ({ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } });

/** The Builder on the review rows, with these parameters, against the emulator. */
const runBuilder = (emu: { url: string }, parameters: INodeParameters) => runWorkflow(itemsWorkflow(REVIEWS, parameters), credentials(emu));

test('chat completions, JSON Schema with Strict: every uploaded line asks for it as response_format.json_schema', async (t) => {
	const emu = await useEmulator(t);
	const run = await runBuilder(emu, {
		mode: 'createBatch',
		endpoint: '/v1/chat/completions',
		userMessage: '={{ $json.text }}',
		...BASE,
		schemaType: 'manual',
		jsonSchema: JSON.stringify(REVIEW_SCHEMA, null, 2),
		schemaStrict: true,
	});
	assert.equal(run.status, 'success', String(nodeError(run, BUILDER)?.description ?? ''));
	const [batch] = nodeOutput(run, BUILDER);
	const lines = await uploadedLines(emu, String(batch.json.input_file_id));
	assert.deepEqual(lines.map((l) => l.custom_id), ['r1', 'r2']);
	for (const line of lines) {
		assert.deepEqual(line.body.response_format, { type: 'json_schema', json_schema: { name: 'review', schema: REVIEW_SCHEMA, strict: true } });
		assert.equal(line.body.text, undefined);
	}
});

test('responses, schema generated from a JSON example: every uploaded line asks for it as text.format, strict-ready', async (t) => {
	const emu = await useEmulator(t);
	const run = await runBuilder(emu, {
		mode: 'uploadFile',
		endpoint: '/v1/responses',
		responsesInput: '={{ $json.text }}',
		...BASE,
		schemaType: 'fromJson',
		jsonSchemaExample: '{ "sentiment": "positive", "score": 4, "tags": ["loud"] }',
	});
	assert.equal(run.status, 'success', String(nodeError(run, BUILDER)?.description ?? ''));
	const [file] = nodeOutput(run, BUILDER);
	const lines = await uploadedLines(emu, String(file.json.id));
	assert.equal(lines.length, 2);
	for (const line of lines) {
		assert.deepEqual(line.body.text, {
			format: {
				type: 'json_schema',
				name: 'review',
				schema: {
					type: 'object',
					properties: { sentiment: { type: 'string' }, score: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } } },
					required: ['sentiment', 'score', 'tags'],
					additionalProperties: false,
				},
			},
		});
		assert.equal(line.body.response_format, undefined);
	}
});

test('a JSON Schema that is not valid is refused before any row is built: the error names the field, no request is sent', async (t) => {
	const emu = await useEmulator(t);
	const run = await runBuilder(emu, {
		mode: 'createBatch',
		endpoint: '/v1/chat/completions',
		userMessage: '={{ $json.text }}',
		...BASE,
		jsonSchema: '{ "type": "object", "properties": { "score": { "type": "integr" } } }',
	});
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'The "JSON Schema" field does not give a valid schema; nothing was uploaded');
	assert.match(String(error?.description), /^Response Format, JSON Schema: the schema is not a valid JSON Schema: properties\.score\.type: .+ Fix the schema/);
	assert.equal(emu.requests.length, 0, 'no request reached the emulator');
});

test('Strict with a schema that does not meet it is refused, saying what to change; no request is sent', async (t) => {
	const emu = await useEmulator(t);
	const { additionalProperties: _none, ...loose } = REVIEW_SCHEMA;
	const run = await runBuilder(emu, {
		mode: 'createBatch',
		endpoint: '/v1/responses',
		responsesInput: '={{ $json.text }}',
		...BASE,
		jsonSchema: JSON.stringify({ ...loose, required: ['sentiment'] }),
		schemaStrict: true,
	});
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'The "JSON Schema" field does not meet what Strict needs; nothing was uploaded');
	assert.equal(
		error?.description,
		'Response Format, JSON Schema: does not meet what Strict needs: the top level: add "additionalProperties": false; the top level: list "score", "summary" in "required" (to make a field optional, allow null: "type": ["string", "null"]). Change the schema as listed, or turn Strict off.',
	);
	assert.equal(emu.requests.length, 0, 'no request reached the emulator');
});

test('an empty list in the JSON Example is refused with what to do; with Continue On Fail it is an error item', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(
		itemsWorkflow(
			REVIEWS,
			{
				mode: 'createBatch',
				endpoint: '/v1/chat/completions',
				userMessage: '={{ $json.text }}',
				...BASE,
				schemaType: 'fromJson',
				jsonSchemaExample: '{ "tags": [] }',
			},
			true,
		),
		credentials(emu),
	);
	assert.equal(run.status, 'success');
	const [item] = nodeOutput(run, BUILDER);
	assert.equal(item.json.error, 'The "JSON Example" field does not give a valid schema; nothing was uploaded');
	assert.match(String(item.json.description), /JSON Example: the list at tags is empty.*Put one example entry in it/);
	assert.equal(emu.requests.length, 0);
});

test('a schema given by an expression is checked for each item: the item whose schema is wrong is named; nothing is uploaded', async (t) => {
	const emu = await useEmulator(t);
	const items = [
		{ id: 'r1', text: 'Fine.', schema: JSON.stringify(REVIEW_SCHEMA) },
		{ id: 'r2', text: 'Also fine.', schema: '{"type": "object", "required": "summary"}' },
	];
	const run = await runWorkflow(
		itemsWorkflow(items, {
			mode: 'createBatch',
			endpoint: '/v1/chat/completions',
			userMessage: '={{ $json.text }}',
			...BASE,
			jsonSchema: '={{ $json.schema }}',
		}),
		credentials(emu),
	);
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'Found 1 problem in the input; nothing was uploaded');
	assert.match(String(error?.description), /^Item 2, JSON Schema: the schema is not a valid JSON Schema: required: must be array\. Fix the schema/);
	assert.equal(emu.requests.length, 0);
});
