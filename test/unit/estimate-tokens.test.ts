import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import {
	assertValidCostSettings,
	assertWithinMaxCost,
	buildLines,
	countablePieces,
	encodingForModel,
	estimatedCost,
	partEstimate,
	requestText,
	TokenEstimator,
	usd,
	type EndpointInput,
	type RowSource,
} from '../../src/jsonl';

// The reference tokenizers, made the ordinary way (js-tiktoken's constructor), to recount with.
/* eslint-disable @typescript-eslint/no-require-imports */
const o200k = new Tiktoken(require('js-tiktoken/ranks/o200k_base') as TiktokenBPE);
const cl100k = new Tiktoken(require('js-tiktoken/ranks/cl100k_base') as TiktokenBPE);
/* eslint-enable @typescript-eslint/no-require-imports */
const recount = (enc: Tiktoken, text: string) => enc.encode(text, [], []).length;

function rows(inputs: EndpointInput[], noun: 'Row' | 'Item' = 'Item'): RowSource {
	return {
		noun,
		async *rows() {
			for (let i = 0; i < inputs.length; i++) {
				yield { number: noun === 'Row' ? i + 2 : i + 1, itemIndex: i, read: () => ({ input: inputs[i] }) };
			}
		},
	};
}

/** Builds the rows for real with the estimator hooked in, as the node does. */
async function estimateOf(inputs: EndpointInput[], options: { split?: boolean; maxLines?: number; sampleRows?: number; noun?: 'Row' | 'Item' } = {}) {
	const endpoint = inputs[0].endpoint;
	const estimator = new TokenEstimator(endpoint, { sampleRows: options.sampleRows });
	const build = await buildLines(rows(inputs, options.noun), {
		endpoint,
		generateCustomIds: true,
		split: options.split ?? false,
		onBody: estimator.onBody,
		...(options.maxLines && { limits: { maxLines: options.maxLines, maxBytes: 200_000_000, maxEmbeddingInputs: 50_000 } }),
	});
	await build.spool.dispose();
	return { estimate: await estimator.estimate(build.parts), parts: build.parts };
}

const TEXTS = ['What is 2+2?', 'Grüße aus Köln ✓ — "½ missing" <|endoftext|> 😀', 'Summarise: the parcel arrived wet, torn and late.'];

test('requestText: the text each endpoint reads, and its messages', () => {
	assert.deepEqual(
		requestText('/v1/chat/completions', {
			model: 'm',
			messages: [
				{ role: 'system', content: 'Be brief.' },
				{ role: 'user', content: [{ type: 'text', text: 'Look:' }, { type: 'image_url', image_url: { url: 'x' } }] },
				{ role: 'assistant', content: 'Ok' },
			],
			response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object' } } },
		}),
		{ texts: ['Be brief.', 'Look:', 'Ok'], chars: 16, messages: 3 },
	);
	assert.deepEqual(requestText('/v1/responses', { model: 'm', instructions: 'Be brief.', input: 'Hi' }), { texts: ['Be brief.', 'Hi'], chars: 11, messages: 2 });
	assert.deepEqual(requestText('/v1/responses', { model: 'm', input: [{ role: 'user', content: 'Hi' }] }), { texts: ['Hi'], chars: 2, messages: 1 });
	assert.deepEqual(requestText('/v1/embeddings', { model: 'm', input: ['a', 'bc'] }), { texts: ['a', 'bc'], chars: 3, messages: 0 });
	assert.deepEqual(requestText('/v1/completions', { model: 'm', prompt: 'abc' }), { texts: ['abc'], chars: 3, messages: 0 });
});

test('encodingForModel: js-tiktoken\'s model map, also behind a provider prefix; unknown models have none', () => {
	assert.equal(encodingForModel('gpt-4o'), 'o200k_base');
	assert.equal(encodingForModel('openai/gpt-4o-mini'), 'o200k_base');
	assert.equal(encodingForModel('gpt-4'), 'cl100k_base');
	assert.equal(encodingForModel('meta-llama/Llama-3.3-70B-Instruct'), undefined);
	assert.equal(encodingForModel('text-davinci-003'), undefined, 'p50k_base is not shipped');
});

test('small chat batch, known model: the estimate equals a recount with the tokenizer, plus 3 per message and 3 per request', async () => {
	const inputs: EndpointInput[] = TEXTS.map((text) => ({ endpoint: '/v1/chat/completions', model: 'gpt-4o', systemMessage: 'Be brief.', userMessage: text }));
	const { estimate } = await estimateOf(inputs);
	const expected = TEXTS.reduce((sum, text) => sum + recount(o200k, 'Be brief.') + recount(o200k, text) + 2 * 3 + 3, 0);
	assert.equal(estimate.total, expected);
	assert.deepEqual(estimate.parts, [expected]);
	assert.match(estimate.method, /^o200k_base tokenizer \(model gpt-4o\), every request counted, plus 3 tokens per message and 3 per request$/);
});

test('responses with cl100k_base, and the parts of a split each counted', async () => {
	const inputs: EndpointInput[] = TEXTS.map((text) => ({ endpoint: '/v1/responses', model: 'gpt-4', instructions: 'Answer in JSON.', input: text }));
	// Rows numbered like a spreadsheet (from 2), as from a CSV file.
	const { estimate, parts } = await estimateOf(inputs, { split: true, maxLines: 2, noun: 'Row' });
	assert.deepEqual(parts.map((p) => [p.firstRow, p.lastRow]), [[2, 3], [4, 4]]);
	assert.equal(parts.length, 2);
	const perRow = TEXTS.map((text) => recount(cl100k, 'Answer in JSON.') + recount(cl100k, text) + 2 * 3 + 3);
	assert.deepEqual(estimate.parts, [perRow[0] + perRow[1], perRow[2]]);
	assert.equal(estimate.total, perRow[0] + perRow[1] + perRow[2]);
	assert.match(estimate.method, /cl100k_base/);
});

test('unknown model: 4 characters per token, said in the method', async () => {
	const inputs: EndpointInput[] = [
		{ endpoint: '/v1/completions', model: 'meta-llama/Llama-3.3-70B-Instruct', prompt: 'a'.repeat(10) },
		{ endpoint: '/v1/completions', model: 'meta-llama/Llama-3.3-70B-Instruct', prompt: 'b'.repeat(7) },
	];
	const { estimate } = await estimateOf(inputs);
	assert.equal(estimate.total, Math.ceil(17 / 4), 'completions have no message overhead');
	assert.equal(estimate.method, '4 characters per token (no known tokenizer for model "meta-llama/Llama-3.3-70B-Instruct"), plus 3 tokens per message and 3 per request');
	const mixed = await estimateOf([
		{ endpoint: '/v1/completions', model: 'gpt-4o', prompt: 'a'.repeat(8) },
		{ endpoint: '/v1/completions', model: 'gpt-4', prompt: 'b'.repeat(8) },
	]);
	assert.equal(mixed.estimate.total, 4);
	assert.match(mixed.estimate.method, /several models/);
});

test('a big batch is sampled: a spread sample, the rest from characters, within 3% of a full recount', async () => {
	// 3,000 rows whose text varies in kind along the input (English, then German with digits, then symbols),
	// so a sample from the start only would be off.
	const texts = Array.from({ length: 3000 }, (_, i) => {
		if (i < 1000) return `Row ${i}: please summarise the customer's note about the late delivery in one sentence.`;
		if (i < 2000) return `Zeile ${i}: Bitte fassen Sie die Notiz zusammen: Lieferung ${i * 37} kam am Tag ${i % 31} beschädigt an.`;
		return `#${i} ✓✓ ½ — ${'ÄÖÜ€ '.repeat(1 + (i % 5))} ${i * 7919}`;
	});
	const inputs: EndpointInput[] = texts.map((text) => ({ endpoint: '/v1/chat/completions', model: 'gpt-4o', userMessage: text }));
	const { estimate } = await estimateOf(inputs); // the node's sample size (SAMPLE_ROWS)
	const exact = texts.reduce((sum, text) => sum + recount(o200k, text) + 3 + 3, 0);
	const error = Math.abs(estimate.total - exact) / exact;
	assert.ok(error < 0.03, `estimate ${estimate.total} vs recount ${exact}: ${(error * 100).toFixed(2)}% off`);
	assert.notEqual(estimate.total, exact, 'the estimate was extrapolated, not counted');
	assert.match(estimate.method, /on a sample of (6[5-9]|[7-9]\d|1[0-2]\d) of 3,000 requests spread over the input; the others from their characters/);
});

test('a request too long to tokenize in one go is counted from its characters; with only such requests, the character rule says why', async () => {
	const long = 'word '.repeat(7000); // 35,000 characters
	const { estimate } = await estimateOf([
		{ endpoint: '/v1/completions', model: 'gpt-4o', prompt: 'Hello there' },
		{ endpoint: '/v1/completions', model: 'gpt-4o', prompt: long },
	]);
	const perChar = recount(o200k, 'Hello there') / 'Hello there'.length;
	assert.equal(estimate.total, Math.ceil(recount(o200k, 'Hello there') + long.length * perChar));
	assert.match(estimate.method, /on a sample of 1 of 2 requests/);
	const onlyLong = await estimateOf([{ endpoint: '/v1/completions', model: 'gpt-4o', prompt: long }]);
	assert.equal(onlyLong.estimate.total, long.length / 4);
	assert.match(onlyLong.estimate.method, /^4 characters per token \(every request is too long to tokenize quickly \(over 32,000 characters\)\)/);
});

test('cost: the estimate times the price; the maximum refuses above and passes at or below, saying the estimate, the price and the limit', () => {
	assert.equal(estimatedCost(2_500_000, 0.2), 0.5);
	assert.equal(estimatedCost(1234, 0.15), 0.000185);
	assert.deepEqual(partEstimate({ parts: [10, 20], total: 30, method: 'm' }, 1, 2), {
		input_tokens: 20,
		estimated_cost_usd: 0.00004,
		total_input_tokens: 30,
		total_estimated_cost_usd: 0.00006,
		price_per_million_input_tokens: 2,
		method: 'm',
	});
	assert.deepEqual(partEstimate({ parts: [10], total: 10, method: 'm' }, 0), { input_tokens: 10, total_input_tokens: 10, method: 'm' });

	assert.doesNotThrow(() => assertWithinMaxCost(5_000_000, { pricePerMillion: 2, maxCost: 10 }), 'exactly at the maximum passes');
	assert.doesNotThrow(() => assertWithinMaxCost(5_000_000, { pricePerMillion: 2 }), 'no maximum, no limit');
	assert.throws(() => assertWithinMaxCost(5_500_000, { pricePerMillion: 2, maxCost: 10 }), (error: Error & { description: string }) => {
		assert.equal(error.message, 'Estimated cost $11.00 is above the Maximum Estimated Cost of $10.00; nothing was uploaded');
		assert.match(error.description, /about 5,500,000 tokens, which at \$2\.00 per million input tokens is an estimated \$11\.00, above the maximum of \$10\.00\./);
		assert.match(error.description, /Build JSONL Only/);
		return true;
	});
	assert.equal(usd(0.0123), '$0.0123');
	assert.equal(usd(1234.5), '$1,234.50');
	assert.throws(() => assertValidCostSettings({ maxCost: 5 }), { message: /cost options are not valid/, description: /Maximum Estimated Cost: needs a price/ });
	assert.throws(() => assertValidCostSettings({ pricePerMillion: Number.NaN }), { description: /Price per Million Input Tokens: is not a number\. Give the price in US dollars/ });
	assert.throws(() => assertValidCostSettings({ pricePerMillion: 1, maxCost: -2 }), { description: /Maximum Estimated Cost: is below zero \(-2\)/ });
	assert.doesNotThrow(() => assertValidCostSettings({ pricePerMillion: 0.5, maxCost: 0 }));
});

test('long runs without a break are counted in pieces: text with breaks whole, a DNA run within 3% of its exact count (as the estimate allows)', () => {
	const english = 'The parcel arrived damaged, please send a replacement. '.repeat(400);
	assert.deepEqual([...countablePieces(english)], [english]);
	assert.deepEqual([...countablePieces('')], ['']);
	let seed = 7;
	const dna = Array.from({ length: 3_000 }, () => 'ACGT'[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 4]).join('');
	const text = `Sequence: ${dna} ${' '.repeat(1_000)}end`;
	const pieces = [...countablePieces(text)];
	assert.equal(pieces.join(''), text);
	// No piece holds a run longer than 200 characters without a break after its first 200 (what makes BPE slow).
	for (const piece of pieces) assert.ok(!/[^\s]{400}|\s{400}/.test(piece), `a piece of ${piece.length} characters holds a long run`);
	const exact = recount(o200k, text);
	const inPieces = pieces.reduce((sum, piece) => sum + recount(o200k, piece), 0);
	assert.ok(Math.abs(inPieces - exact) <= exact * 0.03, `${inPieces} tokens in pieces, ${exact} exactly`);
});
