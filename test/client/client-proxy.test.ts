import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator } from '../../src/emulator';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';
import { chatLine } from '../helpers/emulator';

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'] as const;

/** Sets the proxy variables for one client (read when it is made), restoring process.env afterwards. */
function clientWithEnv(env: Partial<Record<(typeof PROXY_VARS)[number], string>>, baseUrl: string): ImpalaClient {
	const saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
	try {
		for (const name of PROXY_VARS) delete process.env[name];
		Object.assign(process.env, env);
		return new ImpalaClient({ baseUrl, retryBaseDelayMs: 1, maxRetryDelayMs: 20, reconcileDelayMs: 5 });
	} finally {
		for (const name of PROXY_VARS) {
			if (saved[name] === undefined) delete process.env[name];
			else process.env[name] = saved[name];
		}
	}
}

async function* lines(count: number): AsyncGenerator<string> {
	for (let i = 1; i <= count; i++) yield chatLine(`row-${i}`, `text ${i}`);
}

describe('ImpalaClient behind an HTTP proxy (HTTP_PROXY / HTTPS_PROXY / NO_PROXY)', () => {
	let emu: Emulator;
	let proxy: ChaosProxy;
	before(async () => {
		emu = await startEmulator({ port: 0, pace: 'manual' });
		// Its own target is a dead port: whatever reaches the emulator through it came as a forward-proxy request.
		proxy = await startChaosProxy({ target: 'http://127.0.0.1:9' });
	});
	after(async () => {
		await proxy.close();
		await emu.close();
	});

	it('reaches the emulator through the proxy named in HTTP_PROXY: streamed upload, create, get, content', async () => {
		const seen = proxy.requests.length;
		const client = clientWithEnv({ HTTP_PROXY: proxy.url }, emu.url);
		const file = await client.files.upload({ file: lines(20), filename: 'proxied.jsonl' });
		const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
		assert.equal((await client.batches.get(batch.id)).id, batch.id);
		const text = await client.files.readVerified(file.id, async (stream) => {
			let out = '';
			for await (const chunk of stream) out += String(chunk);
			return out;
		});
		assert.equal(text.split('\n').filter(Boolean).length, 20);
		const passed = proxy.requests.slice(seen);
		assert.deepEqual(
			passed.map((r) => `${r.method} ${r.path.split('?')[0]}`),
			['POST /v1/files', 'POST /v1/batches', `GET /v1/batches/${batch.id}`, `GET /v1/files/${file.id}`, `GET /v1/files/${file.id}/content`],
		);
		assert.ok(passed.every((r) => r.absolute && r.forwarded === 1), 'absolute-form requests, each forwarded once');
		assert.equal(passed[0].bodyBytes > 20 * 60, true, 'the streamed upload went through whole');
	});

	it('keeps the retry rules through the proxy: a 429 on a streamed upload is replayed through its factory', async () => {
		const client = clientWithEnv({ http_proxy: proxy.url }, emu.url);
		const rule = proxy.add({ method: 'POST', path: '/v1/files', times: 1, fault: { kind: 'status', status: 429, retryAfterSeconds: 0 } });
		const seen = proxy.requests.length;
		const { file, recovered } = await client.files.uploadOnce({ file: () => lines(5), filename: 'again.jsonl' });
		assert.equal(rule.hits, 1);
		assert.equal(recovered, false);
		assert.equal(proxy.requests.slice(seen).filter((r) => r.method === 'POST').length, 2, 'refused once, sent again');
		const stored = await client.files.get(file.id);
		assert.equal(stored.bytes, file.bytes);
	});

	it('bypasses the proxy for hosts in NO_PROXY', async () => {
		const seen = proxy.requests.length;
		const emulatorSeen = emu.requests.length;
		const client = clientWithEnv({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' }, emu.url);
		await client.batches.listPage({ limit: 1 });
		assert.equal(proxy.requests.length, seen, 'nothing went through the proxy');
		assert.equal(emu.requests.length, emulatorSeen + 1);
	});

	it('HTTPS_PROXY applies to https targets only: a plain-http Base URL goes direct', async () => {
		const seen = proxy.requests.length;
		const client = clientWithEnv({ HTTPS_PROXY: proxy.url }, emu.url);
		await client.batches.listPage({ limit: 1 });
		assert.equal(proxy.requests.length, seen);
	});

	it('a proxy that refuses the connection is named as the place that failed', async () => {
		const client = clientWithEnv({ HTTP_PROXY: 'http://127.0.0.1:9' }, emu.url);
		await assert.rejects(client.batches.listPage({ limit: 1 }), (error: Error) => {
			assert.match(error.message, /could not reach the proxy http:\/\/127\.0\.0\.1:9 \(set in HTTP_PROXY\) to list the batches \(ECONNREFUSED\)/i);
			assert.match(error.message, /check the HTTP_PROXY and NO_PROXY settings of n8n/i);
			return true;
		});
		// NO_PROXY entries with a leading dot or a port are honoured as undici does.
		const bypass = clientWithEnv({ HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: `.example.com, 127.0.0.1:${emu.port}` }, emu.url);
		assert.equal((await bypass.batches.listPage({ limit: 1 })).object, 'list');
	});
});
