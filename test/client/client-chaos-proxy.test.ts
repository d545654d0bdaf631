import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/emulator';
import { HTML_PAGE, startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';
import { chatLine } from '../helpers/emulator';

/** The chaos proxy itself: each fault does what the client suites rely on. Raw undici, no ImpalaClient. */
describe('chaos proxy', () => {
	let emu: Emulator;
	let proxy: ChaosProxy;
	before(async () => {
		emu = await startEmulator({ port: 0, pace: 'manual' });
		proxy = await startChaosProxy({ target: emu.url });
	});
	after(async () => {
		await proxy.close();
		await emu.close();
	});

	const createBody = async () => {
		const form = new FormData();
		form.set('purpose', 'batch');
		form.set('file', new Blob([chatLine('a', 'x')]), 'a.jsonl');
		const response = await fetch(`${emu.url}/v1/files`, { method: 'POST', body: form });
		const file = (await response.json()) as { id: string };
		return JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: 'unlimited' });
	};
	const post = (body: string) =>
		request(`${proxy.url}/v1/batches`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, headersTimeout: 2000, bodyTimeout: 2000 });
	const batches = () => emu.requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length;

	it('passes requests through untouched and counts them', async () => {
		const response = await request(`${proxy.url}/v1/batches?limit=1`);
		assert.equal(response.statusCode, 200);
		assert.equal(((await response.body.json()) as { object: string }).object, 'list');
		assert.equal(proxy.count('GET', '/v1/batches'), 1);
		assert.equal(proxy.forwarded('GET', '/v1/batches'), 1);
	});

	it('answers 429 with Retry-After, then stops after `times`', async () => {
		proxy.add({ method: 'GET', path: '/v1/files', times: 1, fault: { kind: 'status', status: 429, retryAfterSeconds: 120 } });
		const first = await request(`${proxy.url}/v1/files`);
		assert.equal(first.statusCode, 429);
		assert.equal(first.headers['retry-after'], '120');
		await first.body.text();
		const second = await request(`${proxy.url}/v1/files`);
		assert.equal(second.statusCode, 200);
		await second.body.text();
	});

	it('answers 502 with an HTML page, without forwarding, or after forwarding', async () => {
		const body = await createBody();
		const before = batches();
		proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'status', status: 502, body: 'html' } });
		const page = await post(body);
		assert.equal(page.statusCode, 502);
		assert.match(await page.body.text(), /<html>/);
		assert.equal(batches(), before, 'not forwarded');
		proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'status', status: 503, body: 'json', forward: true } });
		const processed = await post(body);
		assert.equal(processed.statusCode, 503);
		await processed.body.text();
		assert.equal(batches(), before + 1, 'forwarded, then answered 503');
	});

	it('resets before the body, after reading it, after forwarding it, and mid-answer', async () => {
		const body = await createBody();
		for (const [kind, created] of [['resetBeforeBody', 0], ['resetAfterRead', 0], ['resetAfterForward', 1], ['resetMidAnswer', 1]] as const) {
			const before = batches();
			proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind } });
			await assert.rejects(async () => {
				const response = await post(body);
				await response.body.text();
			}, kind);
			assert.equal(batches() - before, created, kind);
		}
	});

	it('cuts a 200 mid-JSON or at a line end with a matching Content-Length, or replaces it with a web page', async () => {
		const body = await createBody();
		proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'cut200', at: 'midJson' } });
		const cut = await post(body);
		assert.equal(cut.statusCode, 200);
		const text = await cut.body.text();
		assert.ok(text.length > 0);
		assert.throws(() => JSON.parse(text));
		proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'webPage' } });
		const page = await post(body);
		assert.equal(await page.body.text(), HTML_PAGE);

		const lines = Array.from({ length: 10 }, (_, i) => chatLine(`r${i}`, 'x')).join('');
		const form = new FormData();
		form.set('purpose', 'batch');
		form.set('file', new Blob([lines]), 'lines.jsonl');
		const file = (await (await fetch(`${emu.url}/v1/files`, { method: 'POST', body: form })).json()) as { id: string };
		proxy.add({ method: 'GET', path: /\/content$/, times: 1, fault: { kind: 'cut200', at: 'lineEnd' } });
		const content = await request(`${proxy.url}/v1/files/${file.id}/content`);
		const received = await content.body.text();
		assert.ok(received.endsWith('\n') && received.length < lines.length && lines.startsWith(received));
	});

	it('drips an answer, hangs, and delivers a POST twice', async () => {
		proxy.add({ method: 'GET', path: '/v1/batches', times: 1, fault: { kind: 'drip', intervalMs: 1, bytes: 8 } });
		const dripped = await request(`${proxy.url}/v1/batches?limit=1`);
		assert.equal(((await dripped.body.json()) as { object: string }).object, 'list');

		proxy.add({ method: 'GET', path: '/v1/files', times: 1, fault: { kind: 'hang' } });
		await assert.rejects(request(`${proxy.url}/v1/files`, { headersTimeout: 200 }), /Headers Timeout/i);

		const body = await createBody();
		const before = batches();
		proxy.add({ method: 'POST', path: '/v1/batches', times: 1, fault: { kind: 'duplicate' } });
		const response = await post(body);
		assert.equal(response.statusCode, 200);
		await response.body.text();
		assert.equal(batches() - before, 2, 'the proxy itself sent it twice');
	});

	it('works as a forward proxy for absolute-form requests', async () => {
		const direct = await startChaosProxy({ target: 'http://127.0.0.1:1' });
		try {
			const { ProxyAgent } = await import('undici');
			const agent = new ProxyAgent({ uri: direct.url, proxyTunnel: false });
			const response = await request(`${emu.url}/v1/batches?limit=1`, { dispatcher: agent });
			assert.equal(response.statusCode, 200);
			await response.body.text();
			assert.equal(direct.requests.length, 1);
			assert.equal(direct.requests[0].absolute, true);
			await agent.close();
		} finally {
			await direct.close();
		}
	});
});
