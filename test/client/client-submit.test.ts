import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImpalaApiError, ImpalaClient } from '../../src/client';
import { BatchExistsError, SubmitBatchError, submitBatch, waitForBatch } from '../../src/batches';
import { emulatorBehindChaosProxy } from '../helpers/chaosFixture';
import { chatLine } from '../helpers/emulator';

async function* lines(count: number): AsyncGenerator<string> {
	for (let i = 1; i <= count; i++) yield chatLine(`row-${i}`, `text ${i}`);
}

describe('submitBatch and BatchExistsError', () => {
	const env = emulatorBehindChaosProxy();

	const client = () => new ImpalaClient({ baseUrl: env.proxy.url, retryBaseDelayMs: 1, maxRetryDelayMs: 20, reconcileDelayMs: 5, timeoutMs: 3_000 });
	const batchesFrom = async (fileId: string) => {
		let count = 0;
		for await (const batch of env.direct.batches.list({ limit: 100 })) if (batch.input_file_id === fileId) count++;
		return count;
	};
	const fileExists = async (fileId: string) => {
		for await (const file of env.direct.files.list({ limit: 1000 })) if (file.id === fileId) return true;
		return false;
	};

	it('uploads once and creates once, calling back with the file and the batch', async () => {
		const seen: string[] = [];
		const result = await submitBatch(client(), {
			file: () => lines(10),
			filename: 'rows.jsonl',
			body: { endpoint: '/v1/chat/completions' },
			onFileUploaded: (file) => seen.push(`file ${file.id}`),
			onBatchCreated: (batch) => seen.push(`batch ${batch.id}`),
		});
		assert.deepEqual(seen, [`file ${result.file.id}`, `batch ${result.batch.id}`]);
		assert.deepEqual(result.recovered, { upload: false, create: false });
		assert.equal(result.batch.input_file_id, result.file.id);
		assert.match(result.file.filename, /^rows\.[0-9a-f]{8}\.jsonl$/);
		assert.equal(await batchesFrom(result.file.id), 1);
	});

	it('a create whose answer was lost is found by its input file: one batch, recovered', async () => {
		const rule = env.proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'resetAfterForward' } });
		const result = await submitBatch(client(), { file: () => lines(3), filename: 'lost.jsonl', body: { endpoint: '/v1/chat/completions' } });
		assert.equal(rule.hits, 1);
		assert.deepEqual(result.recovered, { upload: false, create: true });
		assert.equal(await batchesFrom(result.file.id), 1, 'not created twice');
	});

	it('a create Impala refuses (422: a completion window this deployment does not take) deletes the uploaded file and says so', async () => {
		let uploaded: string | undefined;
		const error = await submitBatch(client(), {
			file: () => lines(3),
			filename: 'refused.jsonl',
			body: { endpoint: '/v1/chat/completions', completion_window: '24h' },
			onFileUploaded: (file) => (uploaded = file.id),
		}).then(
			() => assert.fail('expected a refusal'),
			(e: unknown) => e,
		);
		assert.ok(error instanceof SubmitBatchError);
		assert.equal(error.status, 422);
		assert.equal(error.fileDeleted, true);
		assert.equal(error.fileId, uploaded);
		assert.match(error.message, /^No batch was created: Impala rejected the request to create the batch \(422/);
		assert.match(error.message, new RegExp(`The uploaded file ${uploaded} was deleted, so nothing is left behind`));
		assert.equal(await fileExists(uploaded ?? ''), false, 'the file is gone');
	});

	it('a create whose outcome stays unknown names the file and what was checked, keeps the file, never says "create it"', async () => {
		const rule = env.proxy.add({ method: 'POST', path: '/v1/batches', fault: { kind: 'status', status: 502, body: 'html' } });
		let uploaded: string | undefined;
		try {
			const error = await submitBatch(client(), {
				file: () => lines(3),
				filename: 'unknown.jsonl',
				body: { endpoint: '/v1/chat/completions' },
				onFileUploaded: (file) => (uploaded = file.id),
			}).then(
				() => assert.fail('expected a failure'),
				(e: unknown) => e,
			);
			assert.ok(error instanceof SubmitBatchError);
			assert.equal(error.outcomeUnknown, true);
			assert.equal(error.fileDeleted, false);
			assert.match(error.message, new RegExp(`the file ${uploaded} \\("unknown\\.[0-9a-f]{8}\\.jsonl"\\) was uploaded`));
			assert.match(error.message, /the outcome is unknown/i);
			assert.match(error.message, new RegExp(`looked twice for a batch made from file ${uploaded}`));
			assert.doesNotMatch(error.message, /Batch → Create|does not look like an Impala API/);
			assert.equal(await fileExists(uploaded ?? ''), true, 'kept: a batch may use it');
			assert.equal(rule.hits, 2, 'sent twice at most');
		} finally {
			rule.remove();
		}
	});

	it('a 429 on the streamed upload is replayed through the factory; no second file', async () => {
		const rule = env.proxy.add({ method: 'POST', path: '/v1/files', times: 2, fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } });
		let calls = 0;
		const result = await submitBatch(client(), {
			file: () => {
				calls++;
				return lines(4);
			},
			filename: 'limited.jsonl',
			body: { endpoint: '/v1/chat/completions' },
		});
		assert.equal(rule.hits, 2);
		assert.equal(calls, 3, 'the factory was called for each send');
		assert.equal((await env.direct.files.get(result.file.id)).bytes, result.file.bytes);
	});

	it('waitForBatch: a poll that keeps failing names the batch and says not to create it again', async () => {
		const created = await env.direct.batches.create({ input_file_id: (await env.direct.files.upload({ file: Buffer.from(chatLine('a', 'b')), filename: 'w.jsonl' })).id, endpoint: '/v1/chat/completions' });
		const rule = env.proxy.add({ method: 'GET', path: `/v1/batches/${created.id}`, fault: { kind: 'status', status: 503 } });
		try {
			const error = await waitForBatch(client(), created, { pollIntervalMs: 1, maxWaitMs: 5_000, sleep: async () => {} }).then(
				() => assert.fail('expected a failure'),
				(e: unknown) => e,
			);
			assert.ok(error instanceof BatchExistsError);
			assert.ok(error instanceof ImpalaApiError, 'mapped by the nodes like any client error');
			assert.equal(error.batchId, created.id);
			assert.equal(error.status, 503);
			assert.match(error.message, new RegExp(`^Batch ${created.id} was created, but Impala had a problem when trying to get the batch \\(503`));
			assert.match(error.message, /the batch was created; do not create it again/i);
			assert.match(error.message, new RegExp(`Impala → Batch → Get and the ID ${created.id}`));
		} finally {
			rule.remove();
		}
	});
});
