import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { encodeMultipart } from '../../src/client/multipart';

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const chunk of body) parts.push(Buffer.from(chunk));
	return Buffer.concat(parts);
}

/** Parses with the platform's own multipart parser (undici's Response.formData), not ours. */
async function parse(contentType: string, bytes: Buffer): Promise<FormData> {
	return new Response(bytes, { headers: { 'content-type': contentType } }).formData();
}

const FIELDS = [
	['purpose', 'batch'],
	['expires_after[anchor]', 'created_at'],
	['expires_after[seconds]', '86400'],
] as const;
const LINES = ['{"custom_id":"a","x":"é"}\n', '{"custom_id":"b"}\n'];

describe('multipart encoder', () => {
	// `inMemory`: the length is known up front (sent as Content-Length); streams go out chunked.
	const sources = {
		Buffer: { inMemory: true, make: () => Buffer.from(LINES.join('')) },
		Uint8Array: { inMemory: true, make: () => new Uint8Array(Buffer.from(LINES.join(''))) },
		Readable: { inMemory: false, make: () => Readable.from(LINES.map((l) => Buffer.from(l))) },
		'async iterable of strings': {
			inMemory: false,
			make: () =>
				(async function* () {
					yield* LINES;
				})(),
		},
	};
	for (const [name, { inMemory, make }] of Object.entries(sources)) {
		it(`encodes fields and a ${name} file so a standard parser reads them back`, async () => {
			const body = encodeMultipart(FIELDS, { field: 'file', filename: 'in "put".jsonl', contentType: 'application/jsonl', source: make() });
			const bytes = await collect(body.open());
			assert.equal(body.contentLength, inMemory ? bytes.length : undefined);
			const form = await parse(body.contentType, bytes);
			assert.equal(form.get('purpose'), 'batch');
			assert.equal(form.get('expires_after[anchor]'), 'created_at');
			assert.equal(form.get('expires_after[seconds]'), '86400');
			const file = form.get('file') as File;
			assert.equal(file.name, 'in "put".jsonl');
			assert.equal(file.type, 'application/jsonl');
			assert.equal(await file.text(), LINES.join(''));
		});
	}

	it('replays an in-memory file, but not a stream once it was read', async () => {
		const buffered = encodeMultipart(FIELDS, { field: 'file', filename: 'a.jsonl', contentType: 'application/jsonl', source: Buffer.from('x\n') });
		assert.deepEqual(await collect(buffered.open()), await collect(buffered.open()));
		assert.equal(buffered.replayable(), true);

		const streamed = encodeMultipart(FIELDS, { field: 'file', filename: 'a.jsonl', contentType: 'application/jsonl', source: Readable.from(['x\n']) });
		assert.equal(streamed.replayable(), true, 'untouched stream can still be sent');
		await collect(streamed.open());
		assert.equal(streamed.replayable(), false);
		await assert.rejects(collect(streamed.open()), /cannot be sent twice/);
	});

	it('pulls from the source only as fast as the body is consumed (backpressure)', async () => {
		let produced = 0;
		const source = (async function* () {
			for (let i = 0; i < 1000; i++) {
				produced++;
				yield Buffer.alloc(64 * 1024, 97);
			}
		})();
		const body = encodeMultipart(FIELDS, { field: 'file', filename: 'big.jsonl', contentType: 'application/jsonl', source });
		const iterator = body.open()[Symbol.asyncIterator]();
		await iterator.next(); // the part headers
		for (let consumed = 1; consumed <= 10; consumed++) {
			await iterator.next();
			assert.ok(produced <= consumed + 1, `produced ${produced} after consuming ${consumed}`);
		}
		await iterator.return?.(undefined);
	});

	it('rejects a chunk that is neither text nor bytes, naming its type', async () => {
		const body = encodeMultipart(FIELDS, {
			field: 'file',
			filename: 'a.jsonl',
			contentType: 'application/jsonl',
			source: Readable.from([{ custom_id: 'a' }]) as unknown as Readable,
		});
		await assert.rejects(collect(body.open()), /chunk of type object: only text and bytes/);
	});

	it('rejects a source that is not a file at all', () => {
		assert.throws(
			() => encodeMultipart(FIELDS, { field: 'file', filename: 'a', contentType: 'x', source: 42 as unknown as Buffer }),
			/must be a Buffer, a readable stream or an async iterable/,
		);
	});
});
