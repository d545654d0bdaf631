import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ImpalaApiError, ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator } from '../../src/emulator';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';
import { chatLine } from '../helpers/emulator';

const LINES = Array.from({ length: 40 }, (_, i) => chatLine(`row-${i + 1}`, `text ${i + 1}`)).join('');

/** A restartable consumer that parses every line (as Get Results and Download do). */
async function parseLines(stream: Readable): Promise<unknown[]> {
	let text = '';
	for await (const chunk of stream) text += String(chunk);
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line, i) => {
			try {
				return JSON.parse(line) as unknown;
			} catch {
				throw new Error(`line ${i + 1} is not JSON`);
			}
		});
}

describe('file reads are verified; IDs are checked; timeouts end every call', () => {
	let emu: Emulator;
	let proxy: ChaosProxy;
	let fileId: string;
	before(async () => {
		emu = await startEmulator({ port: 0, pace: 'manual' });
		proxy = await startChaosProxy({ target: emu.url });
		fileId = (await new ImpalaClient({ baseUrl: emu.url }).files.upload({ file: Buffer.from(LINES), filename: 'in.jsonl' })).id;
	});
	after(async () => {
		await proxy.close();
		await emu.close();
	});

	const client = (options: Partial<ConstructorParameters<typeof ImpalaClient>[0]> = {}) =>
		new ImpalaClient({ baseUrl: proxy.url, retryBaseDelayMs: 1, maxRetryDelayMs: 20, timeoutMs: 3_000, ...options });
	const contentPath = () => new RegExp(`/v1/files/${fileId}/content$`);

	it('a transfer cut at a line end every time is never a success: re-read, then "the transfer was cut"', async () => {
		const rule = proxy.add({ method: 'GET', path: contentPath(), fault: { kind: 'cut200', at: 'lineEnd' } });
		try {
			let runs = 0;
			const error = await client({ maxRetries: 2 })
				.files.readVerified(fileId, (stream) => {
					runs++;
					return parseLines(stream);
				})
				.then(
					() => assert.fail('a cut file must not be a success'),
					(e: unknown) => e,
				);
			assert.ok(error instanceof ImpalaApiError);
			assert.equal(error.code, 'TRANSFER_CUT');
			assert.equal(runs, 3, 'read three times');
			assert.equal(rule.hits, 3);
			assert.match(error.message, new RegExp(`^The transfer of file ${fileId} was cut: (\\d+ of the file's|an answer of \\d+ bytes arrived instead of the file's) ${Buffer.byteLength(LINES)} bytes( arrived)? \\(read 3 times\\); nothing from it was used`));
			assert.doesNotMatch(error.message, /line \d+/, 'not blamed on a line of the file');
		} finally {
			rule.remove();
		}
	});

	it('a web page in place of the file is re-read; the file\'s size is fetched when not given', async () => {
		proxy.add({ method: 'GET', path: contentPath(), times: 1, fault: { kind: 'webPage' } });
		const seen = proxy.requests.length;
		const rows = await client().files.readVerified(fileId, parseLines);
		assert.equal(rows.length, 40);
		assert.deepEqual(
			proxy.requests.slice(seen).map((r) => r.path),
			[`/v1/files/${fileId}`, `/v1/files/${fileId}/content`, `/v1/files/${fileId}/content`],
		);
	});

	it('a body broken mid-way is read again; a file that is itself malformed gives the consumer\'s own error', async () => {
		proxy.add({ method: 'GET', path: contentPath(), times: 1, fault: { kind: 'resetMidAnswer' } });
		assert.equal((await client().files.readVerified(fileId, parseLines, { expectedBytes: Buffer.byteLength(LINES) })).length, 40);

		const bad = `${LINES.slice(0, 200)}not json\n${LINES.slice(200)}`;
		const badId = (await client().files.upload({ file: Buffer.from(bad), filename: 'bad.jsonl' })).id;
		const seen = proxy.requests.length;
		await assert.rejects(client().files.readVerified(badId, parseLines), /line \d+ is not JSON/);
		assert.equal(proxy.requests.slice(seen).filter((r) => r.path.endsWith('/content')).length, 1, 'not read again: the bytes were intact');
	});

	it('a server dripping its answer still times out at timeoutMs (whole-call deadline)', async () => {
		const rule = proxy.add({ method: 'GET', path: '/v1/batches', times: 1, fault: { kind: 'drip', intervalMs: 20 } });
		const error = await client({ timeoutMs: 300, stallTimeoutMs: 250 })
			.batches.listPage({ limit: 1 })
			.then(
				() => assert.fail('expected a timeout'),
				(e: unknown) => e,
			);
		assert.equal(rule.hits, 1);
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.kind, 'timeout');
		assert.match(error.message, /Impala's answer to GET \/v1\/batches\?limit=1 did not arrive in full within 300 ms/);
	});

	it('an answer that stops mid-way ends after stallTimeoutMs without progress', async () => {
		const rule = proxy.add({ method: 'GET', path: '/v1/batches', times: 1, fault: { kind: 'drip', intervalMs: 5_000, bytes: 10 } });
		const error = await client({ timeoutMs: 3_000, stallTimeoutMs: 200 })
			.batches.listPage({ limit: 1 })
			.then(
				() => assert.fail('expected a stall'),
				(e: unknown) => e,
			);
		assert.equal(rule.hits, 1);
		assert.ok(error instanceof ImpalaApiError);
		assert.match(error.message, /Impala stopped sending its answer to GET \/v1\/batches\?limit=1 for more than 200 ms/);
	});

	it('IDs that would leave the resource path are refused before any request, naming the field', async () => {
		const c = client();
		const seen = proxy.requests.length;
		const cases: Array<[() => Promise<unknown>, RegExp]> = [
			[() => c.batches.cancel('..'), /The Batch ID "\.\." is not an ID/],
			[() => c.files.delete('.'), /The File ID "\." is not an ID/],
			[() => c.batches.get('a/b'), /The Batch ID "a\/b" contains "\/"/],
			[() => c.files.get('file-1?x=1'), /The File ID "file-1\?x=1" contains "\?"/],
			[() => c.files.readVerified('file-1#x', parseLines), /The File ID "file-1#x" contains "#"/],
			[() => c.batches.get('batch 1'), /The Batch ID "batch 1" contains a space or line break/],
			[() => c.files.content(''), /The File ID is empty/],
			[() => c.batches.createOnce({ input_file_id: '../x', endpoint: '/v1/chat/completions' }), /The input file ID "\.\.\/x" contains "\/"/],
		];
		for (const [call, message] of cases) await assert.rejects(call, message);
		assert.equal(proxy.requests.length, seen, 'no request was sent');
		assert.equal((await c.batches.listPage({ limit: 1 })).object, 'list', 'trimmed IDs and other calls still work');
	});
});
