import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ImpalaApiError } from '../../src/client';
import { OutputLineSchema, presentFileId } from '../../src/schemas';
import { chatLine, jsonLines, useSuiteEmulator, waitForTerminal } from '../helpers/emulator';
import { clientFor, readText, rejection } from './client-helpers';

describe('ImpalaClient: the documented flow against the emulator', () => {
	const emu = useSuiteEmulator();

	it('upload -> create -> poll -> completed -> download output and error files', async () => {
		const client = clientFor(emu());
		const lines = [chatLine('row-1', 'Hello'), chatLine('row-2', 'Bonjour'), chatLine('row-3', 'Hola'), chatLine('row-4', 'Ciao', 'impala-fail')];
		const file = await client.files.upload({ file: Buffer.from(lines.join('')), filename: 'input.jsonl' });
		assert.equal(file.purpose, 'batch');
		assert.equal(file.filename, 'input.jsonl');
		assert.equal(file.bytes, Buffer.byteLength(lines.join('')));

		const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', metadata: { source: 'test' } });
		assert.equal(created.input_file_id, file.id);
		assert.equal(created.completion_window, 'unlimited');
		assert.equal(created.endpoint, '/v1/chat/completions');

		const done = await waitForTerminal(client, created.id);
		assert.equal(done.status, 'completed');
		assert.deepEqual(
			{ total: done.request_counts?.total, completed: done.request_counts?.completed, failed: done.request_counts?.failed },
			{ total: 4, completed: 3, failed: 1 },
		);
		assert.deepEqual(done.metadata, { source: 'test' });

		const outputId = presentFileId(done.output_file_id);
		const errorId = presentFileId(done.error_file_id);
		assert.ok(outputId && errorId, 'both files are present');
		const output = jsonLines(await readText(await client.files.content(outputId))).map((l) => OutputLineSchema.parse(l));
		assert.deepEqual(output.map((l) => l.custom_id).sort(), ['row-1', 'row-2', 'row-3']);
		const row1 = output.find((l) => l.custom_id === 'row-1');
		assert.equal(row1?.response?.status_code, 200);
		assert.match(JSON.stringify(row1?.response?.body), /Answer to: Hello/);

		const errors = jsonLines(await readText(await client.files.content(errorId))).map((l) => OutputLineSchema.parse(l));
		assert.deepEqual(errors.map((l) => l.custom_id), ['row-4']);

		const outputMeta = await client.files.get(outputId);
		assert.equal(outputMeta.purpose, 'batch_output');
		const fetched = await client.batches.get(created.id);
		assert.equal(fetched.id, created.id);
	});

	it('uploads from a Readable, an async iterable of lines and a Uint8Array, byte for byte', async () => {
		const client = clientFor(emu());
		const lines = Array.from({ length: 200 }, (_, i) => chatLine(`r-${i}`, `text ${i} é ✓`));
		const expected = lines.join('');
		const sources = {
			readable: Readable.from(lines.map((l) => Buffer.from(l))),
			iterable: (async function* () {
				yield* lines;
			})(),
			uint8: new Uint8Array(Buffer.from(expected)),
		};
		for (const [name, source] of Object.entries(sources)) {
			const file = await client.files.upload({ file: source, filename: `${name}.jsonl` });
			assert.equal(file.bytes, Buffer.byteLength(expected), name);
			assert.equal(await readText(await client.files.content(file.id)), expected, name);
		}
	});

	it('sends expires_after and purpose as form fields', async () => {
		const client = clientFor(emu());
		const file = await client.files.upload({
			file: Buffer.from(chatLine('a', 'x')),
			filename: 'exp.jsonl',
			purpose: 'user_data',
			expiresAfter: { anchor: 'created_at', seconds: 7200 },
		});
		assert.equal(file.purpose, 'user_data');
		assert.equal(file.expires_at, file.created_at + 7200);
	});

	it('deletes a file, then reports it missing by id', async () => {
		const client = clientFor(emu());
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'del.jsonl' });
		const deleted = await client.files.delete(file.id);
		assert.deepEqual({ id: deleted.id, deleted: deleted.deleted }, { id: file.id, deleted: true });
		const error = await rejection(() => client.files.get(file.id));
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.status, 404);
		assert.match(error.message, new RegExp(`file "${file.id}" was not found`));
	});

	it('returns the content stream unread, so the caller controls the pace', async () => {
		const client = clientFor(emu());
		const lines = Array.from({ length: 2000 }, (_, i) => chatLine(`r-${i}`, 'y'.repeat(500)));
		const file = await client.files.upload({ file: Buffer.from(lines.join('')), filename: 'big.jsonl' });
		const stream = await client.files.content(file.id);
		assert.equal(stream.readableEnded, false);
		// Take one chunk and stop: destroying early must not hang or throw.
		for await (const chunk of stream) {
			assert.ok((chunk as Buffer).length > 0);
			break;
		}
		assert.equal(stream.destroyed, true);
	});

	describe('cancel, with batches moved only by the test', () => {
		const manual = useSuiteEmulator({ pace: 'manual' });

		it('cancels a running batch; it ends cancelled', async () => {
			const client = clientFor(manual());
			const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x') + chatLine('b', 'y')), filename: 'c.jsonl' });
			const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
			assert.equal((await manual().advance(created.id)).status, 'in_progress');
			const cancelled = await client.batches.cancel(created.id);
			assert.equal(cancelled.status, 'cancelling');
			assert.equal((await manual().advance(created.id)).status, 'cancelled');
			assert.equal((await client.batches.get(created.id)).status, 'cancelled');
		});
	});
});
