import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchSchema, listEnvelopeSchema, ErrorEnvelopeSchema, OutputLineSchema, FileObjectSchema } from '../../src/schemas';
import { call, createBatchFrom, fileLines, requestLine, useEmulator, waitForTerminal } from '../helpers/emulator';

const lines = (n: number, text = (i: number) => `question ${i}`) => Array.from({ length: n }, (_, i) => requestLine(`row-${i}`, text(i)));

test('manual pace: validating → in_progress → (partial) → finalizing → completed, with consistent counts and timestamps', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 2 } });
	const created = await createBatchFrom(emu, lines(5), { metadata: { project: 'demo' } });
	assert.equal(created.status, 200);
	const batch = BatchSchema.parse(created.body);
	assert.equal(batch.status, 'validating');
	assert.deepEqual(batch.request_counts, { total: 0, completed: 0, failed: 0 });
	assert.deepEqual(batch.metadata, { project: 'demo' });
	for (const field of ['in_progress_at', 'finalizing_at', 'completed_at', 'failed_at', 'expired_at', 'cancelling_at', 'cancelled_at', 'output_file_id', 'error_file_id'] as const) {
		assert.equal(batch[field], null, field);
	}
	assert.ok(batch.expires_at! > batch.created_at);

	const get = async () => BatchSchema.parse((await call(emu, 'GET', `/v1/batches/${batch.id}`)).body);
	assert.equal((await get()).status, 'validating', 'nothing moves without advance()');

	let now = await emu.advance(batch.id);
	assert.equal(now.status, 'in_progress');
	assert.deepEqual(now.request_counts, { total: 5, completed: 0, failed: 0 });
	assert.ok(now.in_progress_at! >= batch.created_at);
	assert.deepEqual(await get(), now, 'the API shows what advance() returned');

	now = await emu.advance(batch.id);
	assert.equal(now.status, 'in_progress');
	assert.deepEqual(now.request_counts, { total: 5, completed: 2, failed: 0 });
	now = await emu.advance(batch.id, 2);
	assert.equal(now.status, 'finalizing');
	assert.deepEqual(now.request_counts, { total: 5, completed: 5, failed: 0 });
	assert.ok(now.finalizing_at! >= now.in_progress_at!);
	assert.equal(now.output_file_id, null, 'no output before completion');

	now = await emu.advance(batch.id);
	assert.equal(now.status, 'completed');
	assert.ok(now.completed_at! >= now.finalizing_at!);
	assert.equal(now.error_file_id, null);
	assert.equal(now.failed_at, null);
	assert.equal(now.model, 'm');
	assert.ok((now.usage?.total_tokens ?? 0) > 0);
	assert.equal(now.usage!.total_tokens, now.usage!.prompt_tokens! + now.usage!.completion_tokens!);
	assert.equal(now.price_1m_tokens, 0.5);
	assert.ok(Math.abs(now.processing_cost! - (now.usage!.total_tokens! * 0.5) / 1e6) < 1e-9);

	const output = FileObjectSchema.parse((await call(emu, 'GET', `/v1/files/${now.output_file_id}`)).body);
	assert.equal(output.purpose, 'batch_output');
	const answers = (await fileLines(emu, now.output_file_id)).map((l) => OutputLineSchema.parse(l));
	assert.deepEqual(answers.map((a) => a.custom_id).sort(), ['row-0', 'row-1', 'row-2', 'row-3', 'row-4']);
	const totalTokens = answers.reduce((sum, a) => sum + (a.response!.body as { usage: { total_tokens: number } }).usage.total_tokens, 0);
	assert.equal(totalTokens, now.usage!.total_tokens, 'batch usage is the sum of the answers');
	assert.deepEqual(await emu.advance(batch.id), now, 'a terminal batch does not move');
});

test('default pace reaches completed on timers; output is written in an order different from the input', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5 } });
	const created = await createBatchFrom(emu, lines(40));
	const done = await waitForTerminal(emu, created.body.id);
	assert.equal(done.status, 'completed');
	assert.deepEqual(done.request_counts, { total: 40, completed: 40, failed: 0 });
	const answers = await fileLines(emu, done.output_file_id);
	const order = answers.map((a) => a.custom_id);
	assert.notDeepEqual(order, lines(40).map((_, i) => `row-${i}`));
	assert.deepEqual([...order].sort(), Array.from({ length: 40 }, (_, i) => `row-${i}`).sort());
	for (const answer of answers) {
		const i = Number(answer.custom_id.slice(4));
		assert.equal(answer.response.body.choices[0].message.content, `Answer to: question ${i}`);
	}
	const again = await createBatchFrom(emu, lines(40));
	const secondDone = await waitForTerminal(emu, again.body.id);
	assert.deepEqual((await fileLines(emu, secondDone.output_file_id)).map((a) => a.custom_id), order, 'the shuffle is deterministic');
});

test('one request per step still writes the output in an order different from the input', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 1 } });
	const created = await createBatchFrom(emu, lines(10));
	const done = await emu.advance(created.body.id, 1 + 10 + 1);
	assert.equal(done.status, 'completed');
	const order = (await fileLines(emu, done.output_file_id)).map((a) => a.custom_id);
	const inputOrder = Array.from({ length: 10 }, (_, i) => `row-${i}`);
	assert.deepEqual([...order].sort(), [...inputOrder].sort());
	assert.notDeepEqual(order, inputOrder);
	const content = await call<string>(emu, 'GET', `/v1/files/${done.output_file_id}/content`);
	const file = await call(emu, 'GET', `/v1/files/${done.output_file_id}`);
	assert.equal(file.body.bytes, Buffer.byteLength(content.body), 'the file object gives the size of its content');
});

test('failing model, [[fail]] and a job model mismatch go to the error file with an error body', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual', jobs: { 'job-1': 'm' } });
	const input = [
		requestLine('ok-1', 'fine'),
		requestLine('bad-model', 'fine', '/v1/chat/completions', 'impala-fail'),
		requestLine('marked', 'please [[fail]] here'),
		requestLine('other-model', 'fine', '/v1/chat/completions', 'gpt-x'),
		requestLine('ok-2', 'fine too'),
	];
	const created = await createBatchFrom(emu, input, { job_id: 'job-1' });
	assert.equal(created.body.job_id, 'job-1');
	const done = await emu.advance(created.body.id, 4);
	assert.equal(done.status, 'completed');
	assert.deepEqual(done.request_counts, { total: 5, completed: 2, failed: 3 });
	assert.equal(done.model, 'm');
	const ok = await fileLines(emu, done.output_file_id);
	const failed = await fileLines(emu, done.error_file_id);
	assert.deepEqual(ok.map((l) => l.custom_id).sort(), ['ok-1', 'ok-2']);
	assert.deepEqual(failed.map((l) => l.custom_id).sort(), ['bad-model', 'marked', 'other-model']);
	for (const line of failed) {
		assert.equal(line.response.status_code, 400);
		assert.equal(line.error, null);
		const error = ErrorEnvelopeSchema.parse(line.response.body).error;
		assert.ok(error.message && error.type && error.code);
	}
	const mismatch = failed.find((l) => l.custom_id === 'other-model');
	assert.match(mismatch.response.body.error.message, /gpt-x.*job's model 'm'/);
});

test('a line whose body does not fit its endpoint fails alone, in the error file', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const broken = JSON.stringify({ custom_id: 'no-messages', method: 'POST', url: '/v1/chat/completions', body: { model: 'm' } });
	const created = await createBatchFrom(emu, [requestLine('fine', 'x'), broken]);
	const done = await emu.advance(created.body.id, 3);
	assert.equal(done.status, 'completed');
	const [failed] = await fileLines(emu, done.error_file_id);
	assert.equal(failed.custom_id, 'no-messages');
	assert.equal(failed.response.body.error.param, 'messages');
});

test('cancel keeps the partial output: processed lines appear, unprocessed ones in neither file', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 3 } });
	const input = lines(8).map((line, i) => (i === 1 ? requestLine('row-1', 'x [[fail]]') : line));
	const created = await createBatchFrom(emu, input);
	await emu.advance(created.body.id, 2);
	const cancelling = await call(emu, 'POST', `/v1/batches/${created.body.id}/cancel`);
	assert.equal(cancelling.status, 200);
	assert.equal(cancelling.body.status, 'cancelling');
	assert.ok(cancelling.body.cancelling_at >= created.body.created_at);
	assert.equal(cancelling.body.cancelled_at, null);
	assert.equal((await call(emu, 'POST', `/v1/batches/${created.body.id}/cancel`)).body.status, 'cancelling', 'cancel twice is harmless');

	const cancelled = await emu.advance(created.body.id);
	assert.equal(cancelled.status, 'cancelled');
	assert.ok(cancelled.cancelled_at! >= cancelled.cancelling_at!);
	assert.equal(cancelled.completed_at, null);
	assert.deepEqual(cancelled.request_counts, { total: 8, completed: 2, failed: 1 });
	const ok = (await fileLines(emu, cancelled.output_file_id)).map((l) => l.custom_id).sort();
	const failed = (await fileLines(emu, cancelled.error_file_id)).map((l) => l.custom_id);
	assert.deepEqual(ok, ['row-0', 'row-2']);
	assert.deepEqual(failed, ['row-1']);

	const again = await call(emu, 'POST', `/v1/batches/${created.body.id}/cancel`);
	assert.equal(again.status, 200, 'cancelling a cancelled batch answers the batch');
	const done = await createBatchFrom(emu, lines(1));
	await emu.advance(done.body.id, 3);
	const late = await call(emu, 'POST', `/v1/batches/${done.body.id}/cancel`);
	assert.equal(late.status, 400);
	assert.match(ErrorEnvelopeSchema.parse(late.body).error.message!, /already completed/);
});

test('cancel on the default pace, after some requests were answered, ends in cancelled with their output', async (t) => {
	const emu = await useEmulator(t, { pace: { stepMs: 5, requestsPerStep: 1 } });
	const created = await createBatchFrom(emu, lines(200));
	const id = created.body.id;
	for (;;) {
		const { body } = await call(emu, 'GET', `/v1/batches/${id}`);
		if (body.request_counts.completed > 0) break;
		assert.equal(body.status === 'validating' || body.status === 'in_progress', true, `unexpected status ${body.status}`);
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	const cancelling = await call(emu, 'POST', `/v1/batches/${id}/cancel`);
	assert.equal(cancelling.body.status, 'cancelling');
	const done = await waitForTerminal(emu, id);
	assert.equal(done.status, 'cancelled');
	assert.notEqual(done.in_progress_at, null);
	const answered = done.request_counts.completed + done.request_counts.failed;
	assert.ok(answered > 0);
	assert.ok(answered < 200);
	const written = (await fileLines(emu, done.output_file_id)).length + (await fileLines(emu, done.error_file_id)).length;
	assert.equal(written, answered);
});

test('expire() ends a batch as expired with its partial output', async (t) => {
	const emu = await useEmulator(t, { pace: { manual: true, requestsPerStep: 4 } });
	const created = await createBatchFrom(emu, lines(10));
	await emu.advance(created.body.id, 2);
	const expired = await emu.expire(created.body.id);
	assert.equal(expired.status, 'expired');
	assert.ok(expired.expired_at! >= expired.in_progress_at!);
	assert.equal(expired.completed_at, null);
	assert.deepEqual(expired.request_counts, { total: 10, completed: 4, failed: 0 });
	assert.equal((await fileLines(emu, expired.output_file_id)).length, 4);
	assert.equal(expired.error_file_id, null);
	assert.deepEqual(BatchSchema.parse((await call(emu, 'GET', `/v1/batches/${created.body.id}`)).body), expired);

	const untouched = await createBatchFrom(emu, lines(2));
	const early = await emu.expire(untouched.body.id);
	assert.equal(early.status, 'expired');
	assert.equal(early.output_file_id, null, 'nothing was answered');
	await assert.rejects(emu.expire('batch-nope'), /batch-nope/);
});

test('cancel answers 501 in the error shape when the deployment does not support it', async (t) => {
	const emu = await useEmulator(t, { cancelSupported: false, pace: 'manual' });
	const created = await createBatchFrom(emu, lines(1));
	const res = await call(emu, 'POST', `/v1/batches/${created.body.id}/cancel`);
	assert.equal(res.status, 501);
	assert.match(ErrorEnvelopeSchema.parse(res.body).error.message!, /not implemented/i);
	assert.equal((await call(emu, 'GET', `/v1/batches/${created.body.id}`)).body.status, 'validating');
});

test('list batches: newest first, limit 1–100 (default 20), after cursor; unknown batch is a 404', async (t) => {
	const emu = await useEmulator(t, { pace: 'manual' });
	const file = (await createBatchFrom(emu, lines(1))).body.input_file_id;
	const ids: string[] = [];
	for (let i = 0; i < 24; i++) {
		const res = await call(emu, 'POST', '/v1/batches', { input_file_id: file, endpoint: '/v1/chat/completions', completion_window: 'unlimited' });
		ids.push(res.body.id);
	}
	const newestFirst = [...ids].reverse();
	const Envelope = listEnvelopeSchema(BatchSchema);
	const first = Envelope.parse((await call(emu, 'GET', '/v1/batches')).body);
	assert.equal(first.data.length, 20);
	assert.deepEqual(first.data.map((b) => b.id), newestFirst.slice(0, 20));
	assert.equal(first.has_more, true);
	const rest = Envelope.parse((await call(emu, 'GET', `/v1/batches?after=${first.last_id}&limit=100`)).body);
	assert.deepEqual(rest.data.length, 5, 'the 4 remaining plus the first batch');
	assert.equal(rest.has_more, false);
	for (const limit of ['0', '101', 'x']) {
		const bad = await call(emu, 'GET', `/v1/batches?limit=${limit}`);
		assert.equal(bad.status, 422);
		assert.deepEqual(bad.body.detail[0].loc, ['query', 'limit']);
	}
	const missing = await call(emu, 'GET', '/v1/batches/batch-unknown');
	assert.equal(missing.status, 404);
	assert.equal(ErrorEnvelopeSchema.parse(missing.body).error.param, 'batch_id');
	assert.equal((await call(emu, 'POST', '/v1/batches/batch-unknown/cancel')).status, 404);
});
