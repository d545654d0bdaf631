import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { INodeParameters } from 'n8n-workflow';
import { fileLines, useSuiteEmulator } from '../helpers/emulator';
import { fileWorkflow } from './fixtures/builder/workflows';
import { assertCreated, assertRefused, csvFile, found, runBuilder } from './bad-input-helpers';

/**
 * Bad values in a CSV file read by the Builder (Read/Write Files from Disk -> Builder, Create Batch
 * mode, through n8n-core's engine): refused before any request with one error naming the row as a
 * spreadsheet counts it (the header is row 1) and the field, with the column to fix where a column is
 * at fault.
 */
const emulator = useSuiteEmulator({ pace: 'manual' });

const chat = (extra: INodeParameters = {}): INodeParameters => ({
	mode: 'createBatch',
	endpoint: '/v1/chat/completions',
	model: 'impala-test',
	userMessage: '{{question}}',
	customIdSource: 'field',
	customId: '{{id}}',
	...extra,
});

/** Header + a good row 2 + `row3` (id and question), as a CSV file. */
function rows(row3: string, header = 'id,question'): string {
	return csvFile(`${header}\na,How are you?\n${row3}\n`);
}

async function refusedFile(file: string, parameters: INodeParameters, lines: string[], message = found(lines.length)) {
	const result = await runBuilder(emulator(), fileWorkflow(file, parameters));
	assertRefused(result, { message, lines });
}

describe('Custom ID from a column', () => {
	test('a cell of only spaces: the column to fill in', () =>
		refusedFile(rows('   ,Hi'), chat(), [
			'Row 3, Custom ID: custom_id has only spaces or line breaks. Fill in the column "id" on this row, or change the Custom ID template.',
		]));
	test('a quoted cell with a line break (one spreadsheet row)', () =>
		refusedFile(rows('"b\nc",Hi'), chat(), [
			'Row 3, Custom ID: custom_id "b\\nc" has a line break. Remove the line break: a custom ID is one line of text.',
		]));
	test('65 characters: too long, not "fill in the column"', () =>
		refusedFile(rows(`${'x'.repeat(65)},Hi`), chat(), [
			'Row 3, Custom ID: custom_id is 65 characters long; it can have at most 64 characters. Shorten it to 64 characters or fewer.',
		]));
	test('control: 64 characters and spaces inside an ID are sent as written', async () => {
		const emu = emulator();
		const file = csvFile(`id,question\n${'y'.repeat(64)},Hi\nticket 7,Hello\n`);
		const { inputFileId } = assertCreated(await runBuilder(emu, fileWorkflow(file, chat())));
		assert.deepEqual((await fileLines(emu, inputFileId)).map((l: { custom_id: string }) => l.custom_id), ['y'.repeat(64), 'ticket 7']);
	});
});

describe('Prompt cells', () => {
	test('a cell of only spaces and tabs (User Message)', () =>
		refusedFile(rows('b, \t '), chat(), [
			'Row 3, User Message: Message content has only spaces or line breaks. Fill in the column "question" on this row, or change the User Message template.',
		]));
	test('a quoted cell of only line breaks (Prompt, completions)', () =>
		refusedFile(rows('b,"\n\n"'), { mode: 'createBatch', endpoint: '/v1/completions', model: 'm', prompt: '{{question}}', customIdSource: 'generate' }, [
			'Row 3, Prompt: prompt has only spaces or line breaks. Fill in the column "question" on this row, or change the Prompt template.',
		]));
	test('control: a cell "42" is text in a CSV file and is sent as the text "42"', async () => {
		const emu = emulator();
		const { inputFileId } = assertCreated(await runBuilder(emu, fileWorkflow(rows('b,42'), chat())));
		const lines = await fileLines(emu, inputFileId);
		assert.deepEqual(lines[1].body.messages, [{ role: 'user', content: '42' }]);
	});
});

describe('Number settings for a file: checked on every row, naming each', () => {
	test('Temperature -1', () =>
		refusedFile(rows('b,Hi'), chat({ options: { temperature: -1 } }), [
			'Row 2, Temperature: temperature is -1; it must be from 0 to 2. Use a number from 0 (focused) to 2 (most varied).',
			'Row 3, Temperature: temperature is -1; it must be from 0 to 2. Use a number from 0 (focused) to 2 (most varied).',
		]));
	test('Temperature "abc" (an expression giving text)', () =>
		refusedFile(rows('b,Hi'), chat({ options: { temperature: '={{ "abc" }}' } }), [
			'Row 2, Temperature: is "abc", which is not a number. Give a number such as 0.7, with a dot for decimals.',
			'Row 3, Temperature: is "abc", which is not a number. Give a number such as 0.7, with a dot for decimals.',
		]));
	test('Maximum Tokens 1.5', () =>
		refusedFile(rows('b,Hi'), chat({ options: { maxTokens: 1.5 } }), [
			'Row 2, Maximum Tokens: max_tokens is 1.5; it must be a whole number. Use a whole number of 1 or more.',
			'Row 3, Maximum Tokens: max_tokens is 1.5; it must be a whole number. Use a whole number of 1 or more.',
		]));
	test('Dimensions -3 (embeddings)', () =>
		refusedFile(
			rows('b,Hi'),
			{ mode: 'createBatch', endpoint: '/v1/embeddings', model: 'e', embeddingInput: '{{question}}', customIdSource: 'generate', options: { dimensions: -3 } },
			[
				'Row 2, Dimensions: dimensions is -3; it must be at least 1. Use a whole number of 1 or more.',
				'Row 3, Dimensions: dimensions is -3; it must be at least 1. Use a whole number of 1 or more.',
			],
		));
	test('a temperature from a column through Additional Body Fields: only the bad row', () =>
		refusedFile(
			csvFile('id,question,t\na,Hi,0.5\nb,Hello,3\n'),
			chat({ options: { additionalBodyFields: '{"temperature": {{t}}}' } }),
			['Row 3, Additional Body Fields: temperature is 3; it must be from 0 to 2. Use a number from 0 (focused) to 2 (most varied).'],
		));
	test('Schema Name with spaces', () =>
		refusedFile(rows('b,Hi'), chat({ responseFormat: 'json_schema', schemaName: 'my answer' }), [
			'Row 2, Schema Name: the schema name "my answer" has characters other than letters, digits, _ and -. Use only letters, digits, _ and - (at most 64 characters), e.g. "answer" or "ticket_summary".',
			'Row 3, Schema Name: the schema name "my answer" has characters other than letters, digits, _ and -. Use only letters, digits, _ and - (at most 64 characters), e.g. "answer" or "ticket_summary".',
		]));
});

test('Job ID with a "/" and a CSV source: refused before the upload', () =>
	refusedFile(
		rows('b,Hi'),
		chat({ jobId: 'https://console.impala.ai/jobs/job-1' }),
		[
			'Batch Options, Job ID: job_id "https://console.impala.ai/jobs/job-1" has a "/" in it, like a web address. Give the job ID from the Impala console, or leave it empty to let Impala choose.',
		],
		'The batch options are not valid; nothing was uploaded',
	));

test('an unknown Endpoint with a CSV source: one clear error, not a crash', () =>
	refusedFile(
		rows('b,Hi'),
		chat({ endpoint: '/v1/images/generations' }),
		[
			'Settings, Endpoint: "/v1/images/generations" is not a batch endpoint (/v1/chat/completions, /v1/responses, /v1/embeddings, /v1/completions). Pick Chat Completions, Responses, Embeddings or Completions (Legacy) in the Endpoint list.',
		],
		'The Endpoint is not one Impala batches can call; nothing was uploaded',
	));

test('a file with several bad rows: one error lists each row and field', () =>
	refusedFile(csvFile(`id,question\na,Hi\n  ,Hello\n${'z'.repeat(65)},Hey\nd,   \n"e\nf",Yo\ng,Fine\n`), chat(), [
		'Row 3, Custom ID: custom_id has only spaces or line breaks. Fill in the column "id" on this row, or change the Custom ID template.',
		'Row 4, Custom ID: custom_id is 65 characters long; it can have at most 64 characters. Shorten it to 64 characters or fewer.',
		'Row 5, User Message: Message content has only spaces or line breaks. Fill in the column "question" on this row, or change the User Message template.',
		'Row 6, Custom ID: custom_id "e\\nf" has a line break. Remove the line break: a custom ID is one line of text.',
	]));
