import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { INodeParameters } from 'n8n-workflow';
import { fileLines, useSuiteEmulator } from '../helpers/emulator';
import { itemsWorkflow } from './fixtures/builder/workflows';
import { assertCreated, assertRefused, found, runBuilder } from './bad-input-helpers';

/**
 * Bad values coming from n8n items (expressions reading $json), through n8n-core's engine in Create
 * Batch mode: each is refused before any request with one error naming the item and the field; a
 * value that is legitimately convertible is converted and reaches the emulator (the control).
 */
const emulator = useSuiteEmulator({ pace: 'manual' });

const CHAT = '/v1/chat/completions';
const COMPLETIONS = '/v1/completions';
const EMBEDDINGS = '/v1/embeddings';
const RESPONSES = '/v1/responses';

const chat = (extra: INodeParameters = {}): INodeParameters => ({
	mode: 'createBatch',
	endpoint: CHAT,
	model: 'impala-test',
	userMessage: '={{ $json.text }}',
	customIdSource: 'generate',
	...extra,
});
const completions = (extra: INodeParameters = {}): INodeParameters => ({
	mode: 'createBatch',
	endpoint: COMPLETIONS,
	model: 'impala-test',
	prompt: '={{ $json.text }}',
	customIdSource: 'generate',
	...extra,
});
const embeddings = (extra: INodeParameters = {}): INodeParameters => ({
	mode: 'createBatch',
	endpoint: EMBEDDINGS,
	model: 'impala-embed',
	embeddingInput: '={{ $json.text }}',
	customIdSource: 'generate',
	...extra,
});

/** Item 1 is fine; item 2 carries `v` (and `text`, when given) into the field under test. */
function twoItems(v: unknown, text: unknown = 'Hello'): unknown[] {
	return [
		{ id: 'a', text: 'Hi', v: null },
		{ id: 'b', text, v },
	];
}

async function refused(rows: unknown[], parameters: INodeParameters, line: string, message = found(1)) {
	const result = await runBuilder(emulator(), itemsWorkflow(rows, parameters));
	assertRefused(result, { message, lines: [line], itemIndex: message === found(1) ? 1 : undefined });
}

/** The control: the same workflow with a good value creates a batch; returns the uploaded lines' bodies. */
async function created(rows: unknown[], parameters: INodeParameters): Promise<Array<Record<string, unknown>>> {
	const emu = emulator();
	const result = await runBuilder(emu, itemsWorkflow(rows, parameters));
	const { inputFileId } = assertCreated(result);
	return (await fileLines(emu, inputFileId)).map((line: { custom_id: string; body: Record<string, unknown> }) => ({
		custom_id: line.custom_id,
		...line.body,
	}));
}

describe('Temperature from an expression', () => {
	const withTemperature = chat({ options: { temperature: '={{ $json.v ?? 1 }}' } });
	const range = 'it must be from 0 to 2. Use a number from 0 (focused) to 2 (most varied).';
	for (const t of [-1, 3, 5]) {
		test(`${t} is refused, naming the item and the field`, () =>
			refused(twoItems(t), withTemperature, `Item 2, Temperature: temperature is ${t}; ${range}`));
	}
	test('"abc" is refused as not a number', () =>
		refused(twoItems('abc'), withTemperature, 'Item 2, Temperature: is "abc", which is not a number. Give a number such as 0.7, with a dot for decimals.'));
	test('"0,7" (a comma) is refused, not read as 0 or 7', () =>
		refused(twoItems('0,7'), withTemperature, 'Item 2, Temperature: is "0,7", which is not a number. Give a number such as 0.7, with a dot for decimals.'));
	test('true is refused as not a number', () =>
		refused(twoItems(true), withTemperature, 'Item 2, Temperature: is the yes/no value true, which is not a number. Give a number such as 0.7, with a dot for decimals.'));
	test('control: the text "0.7" (a CSV value) is converted to the number 0.7', async () => {
		const lines = await created(twoItems('0.7'), withTemperature);
		assert.deepEqual(lines.map((l) => l.temperature), [1, 0.7]);
	});
	test('a temperature set through Additional Body Fields follows the same rule, reported there', () =>
		refused(
			twoItems(5),
			chat({ options: { additionalBodyFields: '={{ JSON.stringify({ temperature: $json.v ?? 1 }) }}' } }),
			`Item 2, Additional Body Fields: temperature is 5; ${range}`,
		));
	test('top_p above 1 through Additional Body Fields', () =>
		refused(
			twoItems(1.5),
			chat({ options: { additionalBodyFields: '={{ JSON.stringify({ top_p: $json.v ?? 1 }) }}' } }),
			'Item 2, Additional Body Fields: top_p is 1.5; it must be from 0 to 1. Use a number from 0 to 1.',
		));
});

describe('Maximum Tokens from an expression', () => {
	const withMax = chat({ options: { maxTokens: '={{ $json.v ?? 50 }}' } });
	test('1.5 is refused: a whole number is needed', () =>
		refused(twoItems(1.5), withMax, 'Item 2, Maximum Tokens: max_tokens is 1.5; it must be a whole number. Use a whole number of 1 or more.'));
	test('-5 is refused', () =>
		refused(twoItems(-5), withMax, 'Item 2, Maximum Tokens: max_tokens is -5; it must be at least 1. Use a whole number of 1 or more.'));
	test('"abc" is refused as not a number', () =>
		refused(twoItems('abc'), withMax, `Item 2, Maximum Tokens: is "abc", which is not a number. Give a whole number such as 500, or 0 for the model's default.`));
	test('Responses: -5 is refused on max_output_tokens, named Maximum Tokens', () =>
		refused(
			twoItems(-5),
			{ mode: 'createBatch', endpoint: RESPONSES, model: 'm', responsesInput: '={{ $json.text }}', customIdSource: 'generate', options: { maxTokens: '={{ $json.v ?? 50 }}' } },
			'Item 2, Maximum Tokens: max_output_tokens is -5; it must be at least 1. Use a whole number of 1 or more.',
		));
	test('control: the text "100" is converted to 100; 0 sends none (the model\'s default)', async () => {
		const lines = await created(twoItems('100'), withMax);
		assert.deepEqual(lines.map((l) => l.max_tokens), [50, 100]);
		const defaults = await created(twoItems(0), chat({ options: { maxTokens: '={{ $json.v ?? 0 }}' } }));
		assert.deepEqual(defaults.map((l) => 'max_tokens' in l), [false, false]);
	});
});

describe('Embeddings Dimensions', () => {
	test('-3 is refused (it used to be dropped without a word)', () =>
		refused(
			twoItems(-3),
			embeddings({ options: { dimensions: '={{ $json.v ?? 8 }}' } }),
			'Item 2, Dimensions: dimensions is -3; it must be at least 1. Use a whole number of 1 or more.',
		));
	test('control: "16" is converted and sent', async () => {
		const lines = await created(twoItems('16'), embeddings({ options: { dimensions: '={{ $json.v ?? 8 }}' } }));
		assert.deepEqual(lines.map((l) => l.dimensions), [8, 16]);
	});
});

describe('Schema Name of a JSON-schema answer', () => {
	const withName = chat({ responseFormat: 'json_schema', schemaName: '={{ $json.v ?? "answer" }}' });
	const fix = 'Use only letters, digits, _ and - (at most 64 characters), e.g. "answer" or "ticket_summary".';
	test('a name with spaces is refused', () =>
		refused(twoItems('my schema'), withName, `Item 2, Schema Name: the schema name "my schema" has characters other than letters, digits, _ and -. ${fix}`));
	test('a name with "!" is refused (Responses: text.format.name)', () =>
		refused(
			twoItems('answer!'),
			{ mode: 'createBatch', endpoint: RESPONSES, model: 'm', responsesInput: '={{ $json.text }}', customIdSource: 'generate', responseFormat: 'json_schema', schemaName: '={{ $json.v ?? "answer" }}' },
			`Item 2, Schema Name: the schema name "answer!" has characters other than letters, digits, _ and -. ${fix}`,
		));
	test('control: ticket_summary-2 is sent', async () => {
		const lines = await created(twoItems('ticket_summary-2'), withName);
		assert.deepEqual(
			lines.map((l) => (l.response_format as { json_schema: { name: string } }).json_schema.name),
			['answer', 'ticket_summary-2'],
		);
	});
});

describe('A prompt that is not text is refused, never turned into text', () => {
	const asText = 'Map a text field here; to send the value as text on purpose, write {{ String($json.field) }}.';
	const asJson = 'Map the text inside it, e.g. {{ $json.data.text }}; to send it as JSON text on purpose, write {{ JSON.stringify($json.data) }}.';
	test('a number (User Message)', () => refused(twoItems(null, 42), chat(), `Item 2, User Message: gives the number 42, not text. ${asText}`));
	test('a yes/no value (User Message)', () => refused(twoItems(null, true), chat(), `Item 2, User Message: gives the yes/no value true, not text. ${asText}`));
	test('an object (User Message)', () => refused(twoItems(null, { q: 'Hi' }), chat(), `Item 2, User Message: gives an object ({"q":"Hi"}), not text. ${asJson}`));
	test('an array (User Message)', () => refused(twoItems(null, ['a', 'b']), chat(), `Item 2, User Message: gives a list (["a","b"]), not text. ${asJson}`));
	test('a number (Prompt, completions)', () => refused(twoItems(null, 7), completions(), `Item 2, Prompt: gives the number 7, not text. ${asText}`));
	test('an array (Prompt, completions)', () => refused(twoItems(null, ['a']), completions(), `Item 2, Prompt: gives a list (["a"]), not text. ${asJson}`));
	test('an object (System Message)', () =>
		refused(twoItems({ s: 1 }), chat({ systemMessage: '={{ $json.v ?? "" }}' }), `Item 2, System Message: gives an object ({"s":1}), not text. ${asJson}`));
	test('a number (Instructions, responses)', () =>
		refused(
			twoItems(3),
			{ mode: 'createBatch', endpoint: RESPONSES, model: 'm', instructions: '={{ $json.v ?? "" }}', responsesInput: '={{ $json.text }}', customIdSource: 'generate' },
			`Item 2, Instructions: gives the number 3, not text. ${asText}`,
		));
	test('Embeddings: a list of texts is several inputs, but a number in it is refused', async () => {
		await refused(twoItems(null, ['a', 3]), embeddings(), 'Item 2, Input: gives a list whose entry 2 is the number 3, not text. Give a list of texts, one per input.');
		const lines = await created(twoItems(null, ['a', 'b']), embeddings());
		assert.deepEqual(lines.map((l) => l.input), ['Hi', ['a', 'b']]);
	});
	test('Embeddings from item fields: a field holding a number is refused', () =>
		refused(
			[{ title: 'T', price: 'cheap' }, { title: 'U', price: 12.5 }],
			embeddings({ embeddingInputFrom: 'fields', embeddingFields: 'title, price' }),
			'Item 2, Input Fields or Columns: names the item field "price", which holds the number 12.5, not text. Name only fields that hold text, or turn the field into text first (e.g. with an Edit Fields node).',
		));
	test('a prompt of only spaces and line breaks is refused (User Message and Prompt)', async () => {
		await refused(twoItems(null, '  \n\t '), chat(), 'Item 2, User Message: Message content has only spaces or line breaks. Check what the User Message field gives for this item.');
		await refused(twoItems(null, '   '), completions(), 'Item 2, Prompt: prompt has only spaces or line breaks. Check what the Prompt field gives for this item.');
	});
});

describe('Model', () => {
	test('a model given as an object is refused', () =>
		refused(
			twoItems({ name: 'impala-test' }),
			chat({ model: '={{ $json.v ?? "impala-test" }}' }),
			'Item 2, Model: gives an object ({"name":"impala-test"}), not text. Give the model name as text, e.g. meta-llama/Llama-3.3-70B-Instruct.',
		));
	test('a model of only spaces is refused', () =>
		refused(twoItems('   '), chat({ model: '={{ $json.v ?? "impala-test" }}' }), 'Item 2, Model: model has only spaces or line breaks. Check what the Model field gives for this item.'));
});

describe('Custom ID from a field', () => {
	const fromId = chat({ customIdSource: 'field', customId: '={{ $json.id }}' });
	const ids = (id: unknown) => [{ id: 'a', text: 'Hi' }, { id, text: 'Hello' }];
	test('an object is refused', () =>
		refused(ids({ n: 1 }), fromId, 'Item 2, Custom ID: gives an object ({"n":1}), not text. Map a text or number field that names the item, e.g. {{ $json.id }}.'));
	test('a yes/no value is refused', () =>
		refused(ids(false), fromId, 'Item 2, Custom ID: gives the yes/no value false, not text. Map a text or number field that names the item, e.g. {{ $json.id }}.'));
	test('only spaces is refused, once per item (two blank IDs are not also reported as duplicates)', async () => {
		const result = await runBuilder(emulator(), itemsWorkflow([...ids('   '), { id: '   ', text: 'Hey' }], fromId));
		assertRefused(result, {
			message: found(2),
			lines: [
				'Item 2, Custom ID: custom_id has only spaces or line breaks. Check what the Custom ID field gives for this item.',
				'Item 3, Custom ID: custom_id has only spaces or line breaks. Check what the Custom ID field gives for this item.',
			],
		});
	});
	test('a line break is refused', () =>
		refused(ids('b\nc'), fromId, 'Item 2, Custom ID: custom_id "b\\nc" has a line break. Remove the line break: a custom ID is one line of text.'));
	test('65 characters: the message says too long, not "fill in"', () =>
		refused(ids('x'.repeat(65)), fromId, 'Item 2, Custom ID: custom_id is 65 characters long; it can have at most 64 characters. Shorten it to 64 characters or fewer.'));
	test('control: a number is used as written; 64 characters pass', async () => {
		const lines = await created([{ id: 7, text: 'Hi' }, { id: 'y'.repeat(64), text: 'Hello' }], fromId);
		assert.deepEqual(lines.map((l) => l.custom_id), ['7', 'y'.repeat(64)]);
	});
});

describe('Job ID', () => {
	const withJob = (jobId: string) => chat({ jobId });
	const fix = 'Give the job ID from the Impala console, or leave it empty to let Impala choose.';
	const cases: Array<[string, string, string]> = [
		['a "/"', 'jobs/job-1', 'job_id "jobs/job-1" has a "/" in it, like a web address.'],
		['a space', 'job 1', 'job_id "job 1" has a space in it.'],
		['a line break', 'job-1\njob-2', 'job_id "job-1\\njob-2" has a line break.'],
		['300 characters', 'j'.repeat(300), 'job_id is 300 characters long; it can have at most 64 characters.'],
	];
	for (const [name, jobId, message] of cases) {
		test(`${name} is refused before the upload`, async () => {
			const result = await runBuilder(emulator(), itemsWorkflow(twoItems(null), withJob(jobId)));
			assertRefused(result, { message: 'The batch options are not valid; nothing was uploaded', lines: [`Batch Options, Job ID: ${message} ${fix}`] });
		});
	}
	test('control: spaces around a job ID are removed', async () => {
		const emu = emulator();
		const result = await runBuilder(emu, itemsWorkflow(twoItems(null), withJob('  job-abc12345 ')));
		assertCreated(result);
		const create = result.sent.find((r) => r.method === 'POST' && r.path === '/v1/batches');
		assert.equal((create?.jsonBody as { job_id?: string }).job_id, 'job-abc12345');
	});
});

describe('Endpoint', () => {
	for (const endpoint of ['/v1/moderations', 'v1/chat/completions', '']) {
		test(`${JSON.stringify(endpoint)} is refused with what to pick (it used to crash reading 'endpoint')`, async () => {
			const result = await runBuilder(emulator(), itemsWorkflow(twoItems(null), chat({ endpoint })));
			assertRefused(result, {
				message: 'The Endpoint is not one Impala batches can call; nothing was uploaded',
				lines: [
					`Settings, Endpoint: ${JSON.stringify(endpoint)} is not a batch endpoint (/v1/chat/completions, /v1/responses, /v1/embeddings, /v1/completions). Pick Chat Completions, Responses, Embeddings or Completions (Legacy) in the Endpoint list.`,
				],
			});
		});
	}
});

test('several bad items and fields: one error lists every one, nothing is sent', async () => {
	const rows = [
		{ id: 'a', text: 'fine', t: 1 },
		{ id: { n: 1 }, text: 'fine', t: 1 },
		{ id: 'c', text: 42, t: 1 },
		{ id: 'd', text: 'fine', t: 9 },
		{ id: 'e', text: 'fine', t: 'hot' },
		{ id: 'g\nh', text: ' ', t: 1 },
	];
	const result = await runBuilder(
		emulator(),
		itemsWorkflow(rows, chat({ customIdSource: 'field', customId: '={{ $json.id }}', options: { temperature: '={{ $json.t }}' } })),
	);
	assertRefused(result, {
		message: found(6),
		lines: [
			'Item 2, Custom ID: gives an object ({"n":1}), not text. Map a text or number field that names the item, e.g. {{ $json.id }}.',
			'Item 3, User Message: gives the number 42, not text. Map a text field here; to send the value as text on purpose, write {{ String($json.field) }}.',
			'Item 4, Temperature: temperature is 9; it must be from 0 to 2. Use a number from 0 (focused) to 2 (most varied).',
			'Item 5, Temperature: is "hot", which is not a number. Give a number such as 0.7, with a dot for decimals.',
			'Item 6, Custom ID: custom_id "g\\nh" has a line break. Remove the line break: a custom ID is one line of text.',
			'Item 6, User Message: Message content has only spaces or line breaks. Check what the User Message field gives for this item.',
		],
	});
});
