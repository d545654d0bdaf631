import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { usd } from '../../src/jsonl';
import { useEmulator } from '../helpers/emulator';
import { nodeError, nodeOutput, runWorkflow } from '../helpers/workflow';
import { BUILDER, itemsWorkflow } from './fixtures/builder/workflows';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const o200k = new Tiktoken(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE);
const tokens = (text: string) => o200k.encode(text, [], []).length;

const QUESTIONS = ['What is 2+2?', 'Grüße aus Köln ✓', 'Summarise: the parcel arrived wet, torn and late.'];
const rows = QUESTIONS.map((text, i) => ({ id: `q${i + 1}`, text }));
const CHAT = {
	endpoint: '/v1/chat/completions',
	model: 'gpt-4o',
	systemMessage: 'Be brief.',
	userMessage: '={{ $json.text }}',
	customIdSource: 'field',
	customId: '={{ $json.id }}',
};
/** A recount with the tokenizer: the two messages' text, 3 per message, 3 per request. */
const RECOUNT = QUESTIONS.reduce((sum, text) => sum + tokens('Be brief.') + tokens(text) + 2 * 3 + 3, 0);

test('Build JSONL Only: the summary shows the estimate (a recount with the tokenizer) and the cost, with no request sent', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(
		itemsWorkflow(rows, { mode: 'buildJsonl', ...CHAT, batchOptions: { pricePerMillionInputTokens: 2.5, maxEstimatedCost: 0 } }),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	assert.equal(run.status, 'success', String(nodeError(run, BUILDER)?.description ?? ''));
	const [item] = nodeOutput(run, BUILDER);
	const cost = Math.round(RECOUNT * 2.5) / 1e6;
	assert.deepEqual(item.json.estimate, {
		input_tokens: RECOUNT,
		estimated_cost_usd: cost,
		total_input_tokens: RECOUNT,
		total_estimated_cost_usd: cost,
		price_per_million_input_tokens: 2.5,
		method: 'o200k_base tokenizer (model gpt-4o), every request counted, plus 3 tokens per message and 3 per request',
	});
	assert.equal(emu.requests.length, 0, 'Build JSONL Only calls nothing (Maximum Estimated Cost is not an option of this mode)');
});

test('Maximum Estimated Cost: above it nothing is uploaded and the error says the estimate, the price and the limit', async (t) => {
	const emu = await useEmulator(t);
	// RECOUNT tokens at $1,000 per million: just above a maximum one cent below the estimate.
	const estimate = (RECOUNT * 1000) / 1e6;
	const maximum = Math.floor(estimate * 100 - 1) / 100;
	const run = await runWorkflow(
		itemsWorkflow(rows, { mode: 'createBatch', ...CHAT, batchOptions: { pricePerMillionInputTokens: 1000, maxEstimatedCost: maximum } }),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	const error = nodeError(run, BUILDER);
	// Amounts are shown by usd() (unit-tested in estimate-tokens.test.ts).
	assert.equal(error?.message, `Estimated cost ${usd(estimate)} is above the Maximum Estimated Cost of ${usd(maximum)}; nothing was uploaded`);
	assert.match(
		String(error?.description),
		new RegExp(`about ${RECOUNT} tokens, which at \\$1,000\\.00 per million input tokens is an estimated \\$${usd(estimate).slice(1)}, above the maximum of \\$${usd(maximum).slice(1)}\\. .*raise "Maximum Estimated Cost"`),
	);
	assert.equal(emu.requests.length, 0, 'no request reached the emulator');
});

test('Maximum Estimated Cost: at or below it the batch is created, its summary carrying the estimate and the cost', async (t) => {
	const emu = await useEmulator(t);
	const estimate = (RECOUNT * 1000) / 1e6;
	const run = await runWorkflow(
		itemsWorkflow(rows, { mode: 'createBatch', ...CHAT, batchOptions: { pricePerMillionInputTokens: 1000, maxEstimatedCost: estimate } }),
		{ credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } } },
	);
	assert.equal(run.status, 'success', String(nodeError(run, BUILDER)?.description ?? ''));
	const [batch] = nodeOutput(run, BUILDER);
	const summary = batch.json.summary as { estimate: Record<string, unknown> };
	assert.equal(summary.estimate.input_tokens, RECOUNT);
	assert.equal(summary.estimate.estimated_cost_usd, estimate);
	assert.ok(emu.requests.some((r) => r.method === 'POST' && r.path === '/v1/batches'), 'the batch was created');
});

test('a maximum without a price is refused before any row is read; no request is sent', async (t) => {
	const emu = await useEmulator(t);
	const run = await runWorkflow(itemsWorkflow(rows, { mode: 'uploadFile', ...CHAT, batchOptions: { maxEstimatedCost: 5 } }), {
		credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
	});
	const error = nodeError(run, BUILDER);
	assert.equal(error?.message, 'The cost options are not valid; nothing was uploaded');
	assert.match(String(error?.description), /Batch Options, Maximum Estimated Cost: needs a price to estimate the cost\. Add "Price per Million Input Tokens"/);
	assert.equal(emu.requests.length, 0);
});
