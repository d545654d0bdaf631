import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import { BatchSummarySchema, tokensOf } from '../../src/results';
import { compileAnswerSchema } from '../../src/structured';
import { createBatchFrom, requestLine, useEmulator, useSuiteEmulator, waitForTerminal, type Emulator, type Endpoint } from '../helpers/emulator';
import { Poller } from '../helpers/poll';
import { nodeError, nodeOutput } from '../helpers/workflow';
import { byId, runOperation, runUploadCreateResults, writeJsonl } from './fixtures/impala/helpers';
import { REVIEW_SCHEMA } from '../helpers/reviewSchema';

const emulator = useSuiteEmulator();

/** The answer text in an output line, as Impala wrote it (chat or responses). */
function answerInLine(rawLine: unknown): unknown {
	const body = JSON.parse(String(rawLine)).response.body;
	const text = body.choices ? body.choices[0].message.content : body.output.find((o: { type: string }) => o.type === 'message').content[0].text;
	return JSON.parse(text);
}
const schemaBody = (endpoint: Endpoint, schema: object) =>
	endpoint === '/v1/responses'
		? { text: { format: { type: 'json_schema', name: 'reply', schema, strict: true } } }
		: { response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } } };

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
/** The token sums of the items' own usage. */
function usageSums(items: IDataObject[]) {
	const sums = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
	for (const item of items) {
		const used = tokensOf(item.usage as never);
		sums.prompt_tokens += used.prompt;
		sums.completion_tokens += used.completion;
		sums.total_tokens += used.total;
	}
	return sums;
}

/** Uploads the lines, creates a batch and waits for it to end, through the client; returns its ID. */
async function finishedBatch(emu: Emulator, lines: string[], endpoint: Endpoint = '/v1/chat/completions'): Promise<string> {
	const client = new ImpalaClient({ baseUrl: emu.url });
	const file = await client.files.upload({ file: Buffer.from(lines.join('\n') + '\n'), filename: 'input.jsonl' });
	const batch = await client.batches.create({ input_file_id: file.id, endpoint });
	return (await waitForTerminal(client, batch.id)).id;
}

/** The Impala node's Get Results on a batch; returns the run and the items of each output. */
async function getResults(emu: Emulator, batchId: string, options: IDataObject) {
	const run = await runOperation(emu, { parameters: { resource: 'batch', operation: 'getResults', batchId: byId(batchId), options } });
	assert.equal(run.status, 'success', nodeError(run, 'Impala')?.message);
	const outputs = run.data.resultData.runData.Impala[0].data!.main.map((items) => json(items ?? []));
	return { run, outputs };
}

describe('Get Results with answers checked against a JSON schema', () => {
	for (const endpoint of ['/v1/chat/completions', '/v1/responses'] as const) {
		it(`${endpoint}: the schema the batch asked for is used by default; answers land in columns; a summary output`, async () => {
			const lines = [0, 1, 2, 3].map((i) => requestLine(`row-${i}`, `review ${i}: fine product`, endpoint, 'm', schemaBody(endpoint, REVIEW_SCHEMA)));
			lines.splice(2, 0, requestLine('broken', 'this one [[fail]]', endpoint, 'm', schemaBody(endpoint, REVIEW_SCHEMA)));
			const run = await runUploadCreateResults(emulator(), writeJsonl(lines), endpoint, {
				answerFields: 'top',
				separateOutputs: true,
				includeSummary: true,
				includeRawLine: true,
			});
			assert.equal(run.status, 'success', nodeError(run, 'Get Results')?.message);
			const succeeded = json(nodeOutput(run, 'Get Results', 0));
			const failed = json(nodeOutput(run, 'Get Results', 1));
			assert.deepEqual(
				succeeded.map((item) => Object.keys(item).slice(0, 5)),
				[0, 1, 2, 3].map(() => ['custom_id', 'status', 'sentiment', 'score', 'summary']),
				'the answer fields come right after custom_id and status',
			);
			const check = compileAnswerSchema(REVIEW_SCHEMA);
			succeeded.forEach((item, i) => {
				assert.equal(item.custom_id, `row-${i}`);
				const columns = { sentiment: item.sentiment, score: item.score, summary: item.summary };
				assert.deepEqual(columns, answerInLine(item.raw_line), 'the columns are the answer Impala wrote');
				assert.equal(check(columns), undefined);
				assert.equal(typeof item.score, 'number', 'typed: a number, not text');
				assert.equal(item.answer, undefined, 'no answer key left');
			});
			assert.deepEqual(failed.map((item) => [item.custom_id, item.status]), [['broken', 'failed']]);

			const [summary, ...more] = json(nodeOutput(run, 'Get Results', 2));
			assert.equal(more.length, 0, 'one summary item');
			assert.ok(BatchSummarySchema.safeParse(summary).success);
			assert.deepEqual(
				[summary.requests, summary.succeeded, summary.failed, summary.missing, summary.invalid],
				[5, 4, 1, 0, 0],
			);
			assert.deepEqual(
				{ prompt_tokens: summary.prompt_tokens, completion_tokens: summary.completion_tokens, total_tokens: summary.total_tokens },
				usageSums([...succeeded, ...failed]),
			);
			assert.ok((summary.total_tokens as number) > 0);
			assert.equal(summary.batch_id, succeeded[0].batch_id);
			assert.equal(typeof summary.duration_seconds, 'number');
			assert.equal(typeof summary.price_1m_tokens, 'number');
		});
	}

	it('answers the emulator breaks (every 3rd, and marked ones) are invalid with their reasons; a prefix names the columns', async (t: TestContext) => {
		const emu = await useEmulator(t, { pace: { stepMs: 5 }, answerFaults: [{ answer: 'breakSchema', every: 3 }] });
		const lines = [0, 1, 2, 3, 4, 5].map((i) => requestLine(`row-${i}`, `review ${i}`, '/v1/chat/completions', 'm', schemaBody('/v1/chat/completions', REVIEW_SCHEMA)));
		lines.push(requestLine('words', 'review [[notjson]]', '/v1/chat/completions', 'm', schemaBody('/v1/chat/completions', REVIEW_SCHEMA)));
		const { outputs } = await getResults(emu, await finishedBatch(emu, lines), {
			answerFields: 'top',
			answerFieldPrefix: 'answer_',
			separateOutputs: true,
		});
		const [succeeded, failures] = outputs;
		assert.deepEqual(succeeded.map((item) => item.custom_id), ['row-0', 'row-1', 'row-3', 'row-4']);
		for (const item of succeeded) assert.deepEqual(Object.keys(item).slice(2, 5), ['answer_sentiment', 'answer_score', 'answer_summary']);
		assert.deepEqual(failures.map((item) => [item.custom_id, item.status]), [['row-2', 'invalid'], ['row-5', 'invalid'], ['words', 'invalid']]);
		const check = compileAnswerSchema(REVIEW_SCHEMA);
		for (const item of failures) {
			const error = item.error as { code: string; message: string };
			assert.equal(error.code, 'invalid_answer');
			assert.equal(typeof item.answer, 'string', 'an invalid answer keeps its text');
			if (item.custom_id === 'words') {
				assert.match(error.message, /^The answer is not JSON: /);
			} else {
				// The reason is the schema check's own, of the text that was answered.
				assert.equal(error.message, `The answer breaks the schema: ${check(JSON.parse(String(item.answer)))}`);
			}
			assert.equal(item.answer_sentiment, undefined, 'no columns from an invalid answer');
		}
	});

	it('answers that break the schema or are not JSON are invalid, with their reasons, on the failures output', async () => {
		// The emulator answers {"answer": "Answer to: question N"}: only questions 0 and 2 match the pattern.
		const schema = { type: 'object', properties: { answer: { type: 'string', pattern: 'question [02]$' } }, required: ['answer'] };
		const lines = [0, 1, 2, 3].map((i) => requestLine(`row-${i}`, `question ${i}`, '/v1/chat/completions', 'm', { response_format: { type: 'json_object' } }));
		lines.push(requestLine('text', 'plain words'), requestLine('fails', 'no [[fail]]'));
		const batchId = await finishedBatch(emulator(), lines);
		const { outputs } = await getResults(emulator(), batchId, {
			answerSchemaMode: 'given',
			answerSchema: JSON.stringify(schema),
			separateOutputs: true,
			includeSummary: true,
		});
		const [succeeded, failures, [summary]] = outputs;
		assert.deepEqual(
			succeeded.map((item) => [item.custom_id, item.status, item.answer]),
			[
				['row-0', 'succeeded', { answer: 'Answer to: question 0' }],
				['row-2', 'succeeded', { answer: 'Answer to: question 2' }],
			],
		);
		assert.deepEqual(
			failures.map((item) => [item.custom_id, item.status, (item.error as { code: string }).code]),
			[
				['row-1', 'invalid', 'invalid_answer'],
				['row-3', 'invalid', 'invalid_answer'],
				['text', 'invalid', 'invalid_answer'],
				['fails', 'failed', 'request_failed'],
			],
		);
		const reason = (item: IDataObject) => (item.error as { message: string }).message;
		assert.equal(reason(failures[0]), 'The answer breaks the schema: answer: must match pattern "question [02]$"');
		assert.equal(failures[0].answer, '{"answer":"Answer to: question 1"}', 'an invalid answer keeps its text');
		assert.match(reason(failures[2]), /^The answer is not JSON: /);
		assert.equal(failures[2].answer, 'Answer to: plain words');

		assert.deepEqual([summary.requests, summary.succeeded, summary.failed, summary.invalid], [6, 2, 1, 3]);
		assert.equal(summary.total_tokens, usageSums([...succeeded, ...failures]).total_tokens, 'invalid rows count');

		// Only Failures: the invalid rows are failures; the summary still counts the whole batch.
		const only = await getResults(emulator(), batchId, {
			answerSchemaMode: 'given',
			answerSchema: JSON.stringify(schema),
			onlyFailures: true,
			includeSummary: true,
		});
		const [onlyRows, [onlySummary]] = only.outputs;
		assert.deepEqual(
			onlyRows.map((item) => [item.custom_id, item.status, reason(item)]),
			failures.map((item) => [item.custom_id, item.status, reason(item)]),
		);
		assert.deepEqual(onlySummary, summary, 'the same counts and token sums as without Only Failures');
	});

	it('a schema batch read with the check Off keeps the text answers, as before', async () => {
		const lines = [requestLine('a', 'question [[invalid]]', '/v1/chat/completions', 'm', schemaBody('/v1/chat/completions', REVIEW_SCHEMA))];
		const batchId = await finishedBatch(emulator(), lines);
		const [[off]] = (await getResults(emulator(), batchId, { answerSchemaMode: 'off' })).outputs;
		assert.equal(off.status, 'succeeded');
		assert.equal(typeof off.answer, 'string');
		const [[item]] = (await getResults(emulator(), batchId, {})).outputs;
		assert.equal(item.status, 'invalid', 'by default the schema the batch asked for is checked');
		assert.match((item.error as { message: string }).message, /^The answer breaks the schema: /);
		assert.equal(item.answer, off.answer);
	});

	const refused: Array<[string, IDataObject, RegExp]> = [
		['"A Schema Given Here" without a schema', { answerSchemaMode: 'given' }, /^Answer Schema: no schema was given/],
		['a schema that is not JSON', { answerSchemaMode: 'given', answerSchema: '{"type": "object",' }, /^Answer Schema: is not valid JSON/],
		['a schema that is not a JSON Schema', { answerSchemaMode: 'given', answerSchema: '{"type": "strnig"}' }, /^Answer Schema: the schema is not a valid JSON Schema: type: /],
		[
			'answer fields that would take the place of the result fields',
			{ answerSchemaMode: 'given', answerSchema: JSON.stringify({ type: 'object', properties: { status: { type: 'string' } } }), answerFields: 'top' },
			/^Answer Fields: the answer field "status" has the name of a field every result has/,
		],
	];
	for (const [what, options, message] of refused) {
		it(`${what} is refused before any request`, async () => {
			const before = emulator().requests.length;
			const run = await runOperation(emulator(), {
				parameters: { resource: 'batch', operation: 'getResults', batchId: byId('batch-0123456789'), options },
			});
			assert.match(String(nodeError(run, 'Impala')?.message), message);
			assert.deepEqual(emulator().requests.slice(before), [], 'nothing was asked of Impala, nothing downloaded');
		});
	}
});

describe('Know what it cost', () => {
	it('Batch → Get with Summary: counts, tokens from the batch, cost and duration; the same token sums as Get Results', async () => {
		const lines = [0, 1, 2].map((i) => requestLine(`row-${i}`, `question number ${i}`)).concat(requestLine('f', 'x [[fail]]'));
		const [, [fromRows]] = (await getResults(emulator(), await finishedBatch(emulator(), lines), { includeSummary: true })).outputs;
		const run = await runOperation(emulator(), {
			parameters: { resource: 'batch', operation: 'get', batchId: byId(String(fromRows.batch_id)), options: { summary: true } },
		});
		const [item] = nodeOutput(run, 'Impala');
		assert.equal(item.json.id, fromRows.batch_id, 'the batch object, with a summary field');
		const summary = item.json.summary as IDataObject;
		assert.ok(BatchSummarySchema.safeParse(summary).success);
		assert.deepEqual([summary.requests, summary.succeeded, summary.failed, summary.missing], [4, 3, 1, 0]);
		for (const key of ['prompt_tokens', 'completion_tokens', 'total_tokens', 'processing_cost', 'price_1m_tokens', 'duration_seconds']) {
			assert.equal(summary[key], fromRows[key], key);
		}
		assert.ok((summary.total_tokens as number) > 0);
	});

	it('an expired batch: missing rows counted, also with Only Failures; token sums of the answered rows', async (t: TestContext) => {
		const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 1 } });
		const { body: created } = await createBatchFrom(emu, [0, 1, 2, 3].map((i) => requestLine(`row-${i}`, `question ${i}`)));
		await emu.advance(created.id, 3); // validating -> in_progress (one answered) -> one more answered
		await emu.expire(created.id);
		const getResults = async (options: IDataObject) => {
			const run = await runOperation(emu, {
				parameters: { resource: 'batch', operation: 'getResults', batchId: byId(created.id), options: { includeSummary: true, ...options } },
			});
			return [json(nodeOutput(run, 'Impala', 0)), json(nodeOutput(run, 'Impala', 1))];
		};
		const [rows, [summary]] = await getResults({});
		assert.deepEqual([...rows.map((row) => row.status)].sort(), ['missing', 'missing', 'succeeded', 'succeeded']);
		assert.deepEqual([summary.status, summary.requests, summary.succeeded, summary.failed, summary.missing], ['expired', 4, 2, 0, 2]);
		assert.equal(summary.total_tokens, usageSums(rows).total_tokens);
		assert.ok((summary.total_tokens as number) > 0);
		const [failures, [onlySummary]] = await getResults({ onlyFailures: true });
		assert.deepEqual(failures.map((row) => row.status), ['missing', 'missing']);
		assert.deepEqual(onlySummary, summary, 'Only Failures leaves rows out, not counts');
	});

	it('the trigger\'s results output: typed columns, and one summary item per batch on a second output', async () => {
		const emu = emulator();
		const client = new ImpalaClient({ baseUrl: emu.url });
		const jobId = 'job-structured';
		const poller = new Poller({
			parameters: {
				scope: 'jobId',
				jobId,
				output: 'results',
				resultOptions: { includeSummary: true, answerFields: 'top', answerFieldPrefix: 'out_', includeRawLine: true },
			},
			credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
		});
		await poller.poll();
		const lines = [0, 1].map((i) => requestLine(`row-${i}`, `review ${i}`, '/v1/chat/completions', 'm', schemaBody('/v1/chat/completions', REVIEW_SCHEMA)));
		const file = await client.files.upload({ file: Buffer.from(lines.join('\n') + '\n'), filename: 'input.jsonl' });
		const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', job_id: jobId });
		const deadline = Date.now() + 10_000;
		while ((await client.batches.get(batch.id)).status !== 'completed') {
			assert.ok(Date.now() < deadline, 'the batch completes');
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		const outcome = await poller.poll();
		assert.equal(outcome.error, undefined, outcome.error?.message);
		const [rows, summaries] = outcome.outputs.map(json);
		assert.deepEqual(rows.map((row) => [row.custom_id, row.status]), [
			['row-0', 'succeeded'],
			['row-1', 'succeeded'],
		]);
		for (const row of rows) {
			assert.deepEqual({ sentiment: row.out_sentiment, score: row.out_score, summary: row.out_summary }, answerInLine(row.raw_line));
		}
		assert.equal(summaries.length, 1);
		assert.deepEqual([summaries[0].batch_id, summaries[0].requests, summaries[0].succeeded], [batch.id, 2, 2]);
		assert.equal(summaries[0].total_tokens, usageSums(rows).total_tokens);
	});
	it('the trigger: a batch whose results cannot be read still gets its summary, from the batch object', async () => {
		const emu = emulator();
		const client = new ImpalaClient({ baseUrl: emu.url });
		const jobId = 'job-summary-gone';
		const poller = new Poller({
			parameters: { scope: 'jobId', jobId, output: 'results', resultOptions: { includeSummary: true } },
			credentials: { impalaApi: { baseUrl: emu.url, apiKey: '' } },
		});
		await poller.poll();
		const file = await client.files.upload({ file: Buffer.from([requestLine('a', 'one'), requestLine('b', 'two')].join('\n') + '\n'), filename: 'input.jsonl' });
		const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', job_id: jobId });
		const batch = await waitForTerminal(client, created.id);
		await client.files.delete(batch.output_file_id!); // as when it expires
		const outcome = await poller.poll();
		assert.equal(outcome.error, undefined, outcome.error?.message);
		const [rows, summaries] = outcome.outputs.map(json);
		assert.deepEqual(rows.map((row) => [row.batch_id, Boolean(row.results_unavailable)]), [[batch.id, true]]);
		assert.equal(summaries.length, 1);
		const [summary] = summaries;
		assert.ok(BatchSummarySchema.safeParse(summary).success);
		assert.deepEqual([summary.batch_id, summary.requests, summary.succeeded, summary.failed], [batch.id, 2, 2, 0]);
		assert.equal(summary.total_tokens, batch.usage!.total_tokens, "Impala's own token count");
		assert.ok((summary.total_tokens as number) > 0);
		assert.equal(summary.invalid, undefined, 'not known without the answers, so not given');
	});
});
