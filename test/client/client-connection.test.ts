import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ImpalaApiError, ImpalaClient } from '../../src/client';
import { chatLine, useSuiteEmulator } from '../helpers/emulator';
import { assertKeyAbsent, captureLogger, clientFor, rejection } from './client-helpers';

const KEY = 'sk-impala-test-4f9a1c0e7b2d';

/** A plain web server standing in for a wrong base URL (a website, a proxy page). */
async function startHtmlServer(): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		req.resume();
		res.writeHead(req.url?.includes('missing') ? 404 : 200, { 'content-type': 'text/html' });
		res.end('<!DOCTYPE html><html><body><h1>Welcome to our website</h1></body></html>');
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function freePortUrl(): Promise<string> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	server.close();
	await once(server, 'close');
	return `http://127.0.0.1:${port}`;
}

describe('ImpalaClient: base URL forms and auth against the emulator', () => {
	const emu = useSuiteEmulator({ apiKey: KEY });

	it('accepts the bare host, /v1 and trailing slashes', async () => {
		for (const baseUrl of [emu().url, `${emu().url}/`, `${emu().url}/v1`, `${emu().url}/v1/`, `${emu().url}/v1//`]) {
			const client = new ImpalaClient({ baseUrl, apiKey: KEY });
			const page = await client.batches.listPage({ limit: 1 });
			assert.equal(page.object, 'list', baseUrl);
		}
		const last = emu().requests.at(-1);
		assert.equal(last?.path.split('?')[0], '/v1/batches');
	});

	it('accepts the /open-ai/v1 form, and sends every call under it', async () => {
		for (const baseUrl of [`${emu().url}/open-ai/v1`, `${emu().url}/open-ai/v1/`]) {
			const client = new ImpalaClient({ baseUrl, apiKey: KEY });
			assert.equal(client.apiRoot, `${emu().url}/open-ai/v1`);
			const before = emu().requests.length;
			const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'o.jsonl' });
			const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
			assert.equal((await client.batches.get(batch.id)).id, batch.id, baseUrl);
			assert.equal((await client.batches.listPage({ limit: 1 })).object, 'list', baseUrl);
			assert.deepEqual(
				emu().requests.slice(before).map((r) => `${r.method} ${r.path.split('?')[0]}`),
				['POST /open-ai/v1/files', 'POST /open-ai/v1/batches', `GET /open-ai/v1/batches/${batch.id}`, 'GET /open-ai/v1/batches'],
				baseUrl,
			);
		}
	});

	it('sends Authorization only when a key is set, and 401 says to check the key', async () => {
		const before = emu().requests.length;
		await new ImpalaClient({ baseUrl: emu().url, apiKey: KEY }).batches.listPage({ limit: 1 });
		const noKey = await rejection(() => new ImpalaClient({ baseUrl: emu().url, apiKey: '' }).batches.listPage({ limit: 1 }));
		const logs = emu().requests.slice(before);
		assert.deepEqual(logs.map((r) => r.hasAuthorization), [true, false]);
		assert.ok(noKey instanceof ImpalaApiError);
		assert.equal(noKey.status, 401);
		assert.match(noKey.message, /needs an API key: check the API key in the credential/i);

		const wrong = await rejection(() => new ImpalaClient({ baseUrl: emu().url, apiKey: 'sk-wrong-key-000' }).batches.get('batch-x'));
		assert.equal(wrong.status, 401);
		assert.match(wrong.message, /check the API key in the credential/i);
		assert.equal(wrong.retryable, false);
	});

	it('never puts the key in errors or log lines', async () => {
		const logger = captureLogger();
		const client = new ImpalaClient({ baseUrl: emu().url, apiKey: KEY, logger, maxRetries: 1, retryBaseDelayMs: 1 });
		const errors: unknown[] = [];
		errors.push(await rejection(() => client.batches.get('batch-missing')));
		errors.push(await rejection(() => client.batches.create({ input_file_id: 'file-x', endpoint: '/v1/chat/completions' })));
		errors.push(await rejection(() => client.files.upload({ file: Buffer.from('x'), filename: 'a', purpose: 'bad' as 'batch' })));
		emu().faults.inject({ kind: 'serverError', path: '/v1/batches', method: 'GET' });
		try {
			errors.push(await rejection(() => client.batches.listPage()));
		} finally {
			emu().faults.clear();
		}
		errors.push(await rejection(() => new ImpalaClient({ baseUrl: emu().url, apiKey: `${KEY}-typo` }).batches.get('b')));
		assert.equal(errors.length, 5);
		assert.ok(logger.lines.length >= 5, 'requests were logged');
		assertKeyAbsent(KEY, ...errors, logger.lines, client);
	});

	it('logs method, path, status and attempt for each request', async () => {
		const logger = captureLogger();
		const client = new ImpalaClient({ baseUrl: emu().url, apiKey: KEY, logger });
		await client.batches.listPage({ limit: 2 });
		const response = logger.lines.find((l) => l.meta?.status === 200);
		assert.ok(response, JSON.stringify(logger.lines));
		assert.deepEqual(
			{ method: response.meta?.method, path: response.meta?.path, attempt: response.meta?.attempt },
			{ method: 'GET', path: '/v1/batches?limit=2', attempt: 1 },
		);
		assert.match(response.message, /GET \/v1\/batches\?limit=2/);
	});
});

describe('ImpalaClient: wrong base URLs and dead servers', () => {
	it('an HTML page says the base URL is not an Impala API (200 and 404 alike)', async () => {
		const { url, server } = await startHtmlServer();
		try {
			const client = new ImpalaClient({ baseUrl: url });
			const ok = await rejection(() => client.batches.listPage());
			assert.ok(ok instanceof ImpalaApiError);
			assert.equal(ok.kind, 'invalid_response');
			assert.match(ok.message, /this base URL does not look like an Impala API: check the Base URL in the credential/i);
			const missing = await rejection(() => client.batches.get('missing'));
			assert.equal(missing.status, 404);
			assert.match(missing.message, /does not look like an Impala API/);
		} finally {
			server.close();
		}
	});

	it('connection refused: "could not reach <origin>", retried for GET only as configured, then a clear error', async () => {
		const url = await freePortUrl();
		const logger = captureLogger();
		const client = new ImpalaClient({ baseUrl: url, logger, maxRetries: 2, retryBaseDelayMs: 1 });
		const error = await rejection(() => client.batches.get('batch-1'));
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.kind, 'network');
		assert.equal(error.code, 'ECONNREFUSED');
		assert.match(error.message, new RegExp(`could not reach ${url.replace(/\./g, '\\.')}`, 'i'));
		assert.match(error.message, /nothing answers at .*check the host and port in the Base URL, and that the server is running/i);
		assert.equal(logger.lines.filter((l) => /retry/i.test(l.message)).length, 2);

		// A POST that never left this machine is safe to repeat too.
		const postLogger = captureLogger();
		const post = new ImpalaClient({ baseUrl: url, logger: postLogger, maxRetries: 1, retryBaseDelayMs: 1 });
		await rejection(() => post.batches.create({ input_file_id: 'f', endpoint: '/v1/chat/completions' }));
		assert.equal(postLogger.lines.filter((l) => /retry/i.test(l.message)).length, 1);

		// So is a streamed upload: the source was never read, so it can still be sent.
		const uploadLogger = captureLogger();
		const upload = new ImpalaClient({ baseUrl: url, logger: uploadLogger, maxRetries: 2, retryBaseDelayMs: 1 });
		const uploadError = await rejection(() => upload.files.upload({ file: Readable.from(['a\n']), filename: 'x.jsonl' }));
		assert.equal(uploadError.code, 'ECONNREFUSED');
		assert.match(uploadError.message, /could not reach .* to upload the file "x\.jsonl"/i);
		assert.equal(uploadLogger.lines.filter((l) => /retry/i.test(l.message)).length, 2);
	});
});

describe('ImpalaClient: an API key pasted with spaces or a newline', () => {
	const emu = useSuiteEmulator({ apiKey: 'sk-abc' });

	it('is trimmed, so " sk-abc\\n" works like "sk-abc" (as the credential test does)', async () => {
		const logger = captureLogger();
		const client = new ImpalaClient({ baseUrl: emu().url, apiKey: ' sk-abc\n', logger, retryBaseDelayMs: 1 });
		const page = await client.batches.listPage({ limit: 1 });
		assert.equal(page.object, 'list');
		const file = await client.files.upload({ file: Buffer.from(chatLine('a', 'x')), filename: 'k.jsonl' });
		assert.equal((await client.files.get(file.id)).id, file.id);
		assert.equal(logger.lines.filter((l) => /retry/i.test(l.message)).length, 0, 'no failed attempts');
		assertKeyAbsent('sk-abc', logger.lines, client);
	});

	it('a whitespace-only key is no key: no Authorization header, and the 401 asks for a key', async () => {
		const before = emu().requests.length;
		const error = await rejection(() => new ImpalaClient({ baseUrl: emu().url, apiKey: ' \n\t ' }).batches.listPage({ limit: 1 }));
		assert.equal(error.status, 401);
		assert.match(error.message, /needs an API key: check the API key in the credential/i);
		assert.deepEqual(emu().requests.slice(before).map((r) => r.hasAuthorization), [false]);
	});
});

/** A server that answers 200 with JSON that is not what Impala documents. */
async function startJsonServer(answer: (path: string) => unknown): Promise<{ url: string; server: Server }> {
	const server = createServer((req, res) => {
		req.resume();
		const body = answer(req.url ?? '/');
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(typeof body === 'string' ? body : JSON.stringify(body));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('ImpalaClient: answers that do not fit the API', () => {
	it('a 200 body that does not parse is an invalid_response error saying what is wrong', async () => {
		const { url, server } = await startJsonServer((path) =>
			path.startsWith('/v1/batches/') ? { id: 'batch-1', status: 'completed' } : path.startsWith('/v1/files/') ? 'not json at all' : {},
		);
		try {
			const client = new ImpalaClient({ baseUrl: url });
			const batch = await rejection(() => client.batches.get('batch-1'));
			assert.ok(batch instanceof ImpalaApiError);
			assert.equal(batch.kind, 'invalid_response');
			assert.match(batch.message, /endpoint: Required/);
			assert.match(batch.message, /input_file_id: Required/);
			assert.match(batch.message, /check the Base URL/i);
			const file = await rejection(() => client.files.get('file-1'));
			assert.equal(file.kind, 'invalid_response');
			assert.match(file.message, /the body is not JSON/);
		} finally {
			server.close();
		}
	});

	it('a list that says has_more but gives no new cursor is an error, not a loop or a silent stop', async () => {
		const { url, server } = await startJsonServer(() => ({ object: 'list', data: [], first_id: null, last_id: null, has_more: true }));
		try {
			const client = new ImpalaClient({ baseUrl: url });
			const error = await rejection(async () => {
				for await (const batch of client.batches.list()) void batch;
			});
			assert.equal(error.kind, 'invalid_response');
			assert.match(error.message, /has_more is true but no new last_id/);
		} finally {
			server.close();
		}
	});
});

describe('ImpalaClient: timeouts and cancellation', () => {
	const emu = useSuiteEmulator();

	it('a slow answer beyond timeoutMs is a timeout error that says so', async () => {
		// undici checks its timeouts about once a second, so the delay is well above that.
		emu().faults.inject({ kind: 'delay', ms: 2500, path: '/v1/batches', times: 1 });
		const client = clientFor(emu(), { timeoutMs: 50 });
		const error = await rejection(() => client.batches.listPage());
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.kind, 'timeout');
		assert.match(error.message, /did not answer GET \/v1\/batches within 50 ms/);
		assert.match(error.message, /raise the timeout/);
	});

	it('an aborted signal stops the call with kind "aborted"', async () => {
		emu().faults.inject({ kind: 'delay', ms: 300, path: '/v1/batches', times: 1 });
		const client = clientFor(emu());
		const controller = new AbortController();
		const pending = client.batches.listPage({ signal: controller.signal });
		setImmediate(() => controller.abort());
		const error = await rejection(() => pending);
		assert.ok(error instanceof ImpalaApiError);
		assert.equal(error.kind, 'aborted');

		const already = AbortSignal.abort();
		const early = await rejection(() => client.files.upload({ file: Buffer.from(chatLine('a', 'b')), filename: 'a.jsonl', signal: already }));
		assert.equal(early.kind, 'aborted');
	});
});
