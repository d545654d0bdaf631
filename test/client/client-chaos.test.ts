import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ImpalaApiError, ImpalaClient } from '../../src/client';
import type { ChaosFault } from '../helpers/chaosProxy';
import { emulatorBehindChaosProxy } from '../helpers/chaosFixture';
import { chatLine } from '../helpers/emulator';

/**
 * Every client operation under every fault of a misbehaving network (the chaos proxy in front of the
 * emulator). Each cell asserts the outcome (a success, or an error whose text is true: "outcome unknown"
 * exactly where it is), counts batches and files on the emulator (no duplicates unless the proxy itself
 * sent a request twice), and counts bytes and lines (none lost on a success).
 */

type OpKind = 'read' | 'post' | 'postOnce' | 'cancel' | 'delete' | 'content';

interface Fixture {
	fileId: string;
	batchId: string;
	lines: string;
}

interface Op {
	name: string;
	kind: OpKind;
	method: string;
	path: (f: Fixture) => RegExp;
	/** What the op creates on success: 'batch' or 'file'. */
	creates?: 'batch' | 'file';
	run: (client: ImpalaClient, f: Fixture) => Promise<unknown>;
	check: (result: unknown, f: Fixture) => void;
}

interface Cell {
	name: string;
	fault: ChaosFault;
	times?: number;
	/** The emulator processed the request before the failure (for POST: something was created). */
	processed: boolean;
	/** The proxy sends it twice (a duplicate is then expected). */
	duplicated?: boolean;
	slow?: boolean;
}

const ONCE = 1;
const CELLS: Cell[] = [
	{ name: '429 once', fault: { kind: 'status', status: 429, retryAfterSeconds: 0 }, times: ONCE, processed: false },
	{ name: '429 always', fault: { kind: 'status', status: 429 }, processed: false },
	{ name: '429 Retry-After 120 s', fault: { kind: 'status', status: 429, retryAfterSeconds: 120 }, times: ONCE, processed: false },
	...([500, 502, 503] as const).flatMap((status) =>
		(['json', 'html'] as const).flatMap((body): Cell[] => [
			{ name: `${status} ${body} once`, fault: { kind: 'status', status, body }, times: ONCE, processed: false },
			{ name: `${status} ${body} always`, fault: { kind: 'status', status, body }, processed: false },
		]),
	),
	{ name: '502 html after processing once', fault: { kind: 'status', status: 502, body: 'html', forward: true }, times: ONCE, processed: true },
	{ name: 'reset before the body is read', fault: { kind: 'resetBeforeBody' }, times: ONCE, processed: false },
	{ name: 'reset after the body was read, not processed', fault: { kind: 'resetAfterRead' }, times: ONCE, processed: false },
	{ name: 'reset after the body was processed', fault: { kind: 'resetAfterForward' }, times: ONCE, processed: true },
	{ name: 'reset mid-answer', fault: { kind: 'resetMidAnswer' }, times: ONCE, processed: true },
	{ name: '200 cut mid-JSON', fault: { kind: 'cut200', at: 'midJson' }, times: ONCE, processed: true },
	{ name: '200 cut at a line end', fault: { kind: 'cut200', at: 'lineEnd' }, times: ONCE, processed: true },
	{ name: '200 web page', fault: { kind: 'webPage' }, times: ONCE, processed: true },
	{ name: 'drip', fault: { kind: 'drip', intervalMs: 40 }, times: ONCE, processed: true, slow: true },
	{ name: 'hang', fault: { kind: 'hang' }, times: ONCE, processed: false, slow: true },
	{ name: 'POST delivered twice', fault: { kind: 'duplicate' }, times: ONCE, processed: true, duplicated: true },
];

const LINES = Array.from({ length: 40 }, (_, i) => chatLine(`row-${i + 1}`, `text ${i + 1}`)).join('');

const OPS: Op[] = [
	{
		name: 'upload',
		kind: 'post',
		method: 'POST',
		path: () => /^\/v1\/files$/,
		creates: 'file',
		run: (c) => c.files.upload({ file: Buffer.from(LINES), filename: 'chaos.jsonl' }),
		check: (r) => assert.equal((r as { bytes: number }).bytes, Buffer.byteLength(LINES)),
	},
	{
		name: 'uploadOnce (streamed through a factory)',
		kind: 'postOnce',
		method: 'POST',
		path: () => /^\/v1\/files$/,
		creates: 'file',
		run: (c) => c.files.uploadOnce({ file: () => linesOf(LINES), filename: 'chaos.jsonl' }),
		check: (r) => {
			const { file } = r as { file: { bytes: number; filename: string } };
			assert.equal(file.bytes, Buffer.byteLength(LINES));
			assert.match(file.filename, /^chaos\.[0-9a-f]{8}\.jsonl$/);
		},
	},
	{
		name: 'create',
		kind: 'post',
		method: 'POST',
		path: () => /^\/v1\/batches$/,
		creates: 'batch',
		run: (c, f) => c.batches.create({ input_file_id: f.fileId, endpoint: '/v1/chat/completions' }),
		check: (r, f) => assert.equal((r as { input_file_id: string }).input_file_id, f.fileId),
	},
	{
		name: 'createOnce',
		kind: 'postOnce',
		method: 'POST',
		path: () => /^\/v1\/batches$/,
		creates: 'batch',
		run: (c, f) => c.batches.createOnce({ input_file_id: f.fileId, endpoint: '/v1/chat/completions' }),
		check: (r, f) => assert.equal((r as { batch: { input_file_id: string } }).batch.input_file_id, f.fileId),
	},
	{
		name: 'get batch',
		kind: 'read',
		method: 'GET',
		path: (f) => new RegExp(`^/v1/batches/${f.batchId}$`),
		run: (c, f) => c.batches.get(f.batchId),
		check: (r, f) => assert.equal((r as { id: string }).id, f.batchId),
	},
	{
		name: 'list batches',
		kind: 'read',
		method: 'GET',
		path: () => /^\/v1\/batches\?/,
		run: (c) => c.batches.listPage({ limit: 5 }),
		check: (r) => assert.ok((r as { data: unknown[] }).data.length > 0),
	},
	{
		name: 'cancel',
		kind: 'cancel',
		method: 'POST',
		path: (f) => new RegExp(`^/v1/batches/${f.batchId}/cancel$`),
		run: (c, f) => c.batches.cancel(f.batchId),
		check: (r) => assert.match((r as { status: string }).status, /^cancell(ing|ed)$/),
	},
	{
		name: 'get file',
		kind: 'read',
		method: 'GET',
		path: (f) => new RegExp(`^/v1/files/${f.fileId}$`),
		run: (c, f) => c.files.get(f.fileId),
		check: (r, f) => assert.equal((r as { id: string }).id, f.fileId),
	},
	{
		name: 'list files',
		kind: 'read',
		method: 'GET',
		path: () => /^\/v1\/files\?/,
		run: (c) => c.files.listPage({ limit: 5 }),
		check: (r) => assert.ok((r as { data: unknown[] }).data.length > 0),
	},
	{
		name: 'file content (readVerified)',
		kind: 'content',
		method: 'GET',
		path: (f) => new RegExp(`^/v1/files/${f.fileId}/content$`),
		run: (c, f) => c.files.readVerified(f.fileId, readAll, { expectedBytes: Buffer.byteLength(f.lines) }),
		check: (r, f) => {
			assert.equal(r, f.lines, 'every byte arrived');
			assert.equal((r as string).split('\n').filter(Boolean).length, 40, 'every line arrived');
		},
	},
	{
		name: 'delete file',
		kind: 'delete',
		method: 'DELETE',
		path: (f) => new RegExp(`^/v1/files/${f.fileId}$`),
		run: (c, f) => c.files.delete(f.fileId),
		check: (r, f) => assert.deepEqual(r, { id: f.fileId, object: 'file', deleted: true }),
	},
];

/** What a cell must end in: a success, or an error (kind of message, outcome unknown or not). */
function expected(op: Op, cell: Cell): { ok: true } | { ok: false; unknown: boolean; text: RegExp } {
	const always = cell.times === undefined;
	const kind = cell.fault.kind;
	const status = kind === 'status' ? cell.fault.status : undefined;
	if (status === 429) {
		if (cell.name.includes('120')) return { ok: false, unknown: false, text: /Impala asked to wait 120 seconds/ };
		return always ? { ok: false, unknown: false, text: /rate limit/i } : { ok: true };
	}
	if (op.kind === 'read' || op.kind === 'delete' || op.kind === 'content') {
		if (status !== undefined) return always ? { ok: false, unknown: false, text: /try again in a few minutes|error page/i } : { ok: true };
		if (kind === 'hang') return { ok: false, unknown: false, text: /did not answer .* within/ };
		// A delete whose answers were dripped past the deadline was processed: the client finds the file gone.
		if (kind === 'drip' && op.kind === 'read') return { ok: false, unknown: false, text: /did not arrive in full within/ };
		return { ok: true };
	}
	if (op.kind === 'post') {
		if (kind === 'duplicate') return { ok: true };
		return { ok: false, unknown: true, text: /the outcome is unknown/i };
	}
	// Reconciling operations end well whenever the fault does not last.
	if (always) return { ok: false, unknown: true, text: /the outcome is unknown.*(looked twice|sent twice)/i };
	return { ok: true };
}

describe('ImpalaClient under chaos: every operation, every fault', () => {
	const env = emulatorBehindChaosProxy();

	const clientFor = (slow: boolean) =>
		new ImpalaClient({
			baseUrl: env.proxy.url,
			timeoutMs: slow ? 500 : 3_000,
			stallTimeoutMs: slow ? 400 : 1_000,
			retryBaseDelayMs: 1,
			maxRetryDelayMs: 20,
			reconcileDelayMs: 5,
		});

	const fixture = async (): Promise<Fixture> => {
		const file = await env.direct.files.upload({ file: Buffer.from(LINES), filename: 'fixture.jsonl' });
		const batch = await env.direct.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
		// A file of its own for create/createOnce, so batches made from it can be counted exactly.
		const input = await env.direct.files.upload({ file: Buffer.from(LINES), filename: 'input.jsonl' });
		return { fileId: input.id, batchId: batch.id, lines: LINES };
	};

	/** Batches made from the cell's input file and files uploaded by the cell: newest first, down to the cell's fixture. */
	const countOnEmulator = async (f: Fixture) => {
		let batches = 0;
		for await (const b of env.direct.batches.list({ limit: 100 })) {
			if (b.id === f.batchId) break;
			if (b.input_file_id === f.fileId) batches++;
		}
		let files = 0;
		for await (const file of env.direct.files.list({ limit: 100, order: 'desc' })) {
			if (file.id === f.fileId) break;
			if (/^chaos(\.[0-9a-f]{8})?\.jsonl$/.test(file.filename)) files++;
		}
		return { batches, files };
	};

	for (const op of OPS) {
		describe(op.name, () => {
			for (const cell of CELLS) {
				if (op.method !== 'POST' && cell.fault.kind === 'duplicate') continue;
				it(cell.name, async () => {
					const f = await fixture();
					const client = clientFor(cell.slow === true);
					const before = op.creates ? await countOnEmulator(f) : undefined;
					const rule = env.proxy.add({ method: op.method, path: op.path(f), times: cell.times, fault: cell.fault });
					let result: unknown;
					let error: unknown;
					try {
						result = await op.run(client, f);
					} catch (e) {
						error = e;
					} finally {
						rule.remove();
					}
					assert.ok(rule.hits > 0, 'the fault was applied');
					const want = expected(op, cell);
					if (want.ok) {
						assert.equal(error, undefined, `expected a success, got: ${(error as Error | undefined)?.message}`);
						op.check(result, f);
					} else {
						assert.ok(error instanceof ImpalaApiError, `expected an ImpalaApiError, got ${String(error)}`);
						assert.match(error.message, want.text);
						assert.equal(error.outcomeUnknown, want.unknown, error.message);
						// Never advice the package has not checked.
						assert.doesNotMatch(error.message, /Batch → Create/);
						if (op.method === 'POST') assert.doesNotMatch(error.message, /check the Base URL|does not look like an Impala API/i, error.message);
					}

					if (op.creates && before) {
						const afterCounts = await countOnEmulator(f);
						const key = op.creates === 'batch' ? 'batches' : 'files';
						const made = afterCounts[key] - before[key];
						let wanted: number;
						if (cell.duplicated) wanted = 2;
						else if (want.ok) wanted = 1;
						else wanted = cell.processed ? 1 : 0;
						assert.equal(made, wanted, `${key} made`);
					}
				});
			}
		});
	}
});

async function readAll(stream: Readable): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

async function* linesOf(text: string): AsyncGenerator<string> {
	for (const line of text.split(/(?<=\n)/)) yield line;
}
