import '../helpers/n8n-env';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import type { ICredentialTestFunctions, INodeCredentialTestResult, INodeType } from 'n8n-workflow';
import { ImpalaApi } from '../../credentials/ImpalaApi.credentials';
import { clientOptionsFromCredential } from '../../nodes/shared/client';
import { CREDENTIAL_TEST, impalaApiTest } from '../../nodes/shared/credentialTest';
import { startEmulator } from '../../src/emulator';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaosProxy';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const KEY = 'sk-test-credential';
let emu: Emulator;
let proxy: ChaosProxy;

before(async () => {
	emu = await startEmulator({ apiKey: KEY });
	proxy = await startChaosProxy({ target: emu.url });
});
after(async () => {
	await proxy.close();
	await emu.close();
});

const logs: string[] = [];
const testFunctions = {
	logger: { debug: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), info: () => {}, error: () => {} },
	helpers: {},
} as unknown as ICredentialTestFunctions;

/** What n8n's Test button runs for this credential: the node's testedBy function with the credential's data. */
function runTest(data: { baseUrl: string; apiKey?: string; timeout?: number }): Promise<INodeCredentialTestResult> {
	return impalaApiTest.call(testFunctions, { id: '1', name: 'Impala', type: 'impalaApi', data });
}

async function closedPortUrl(): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}`;
}

test('the three nodes test the credential with the client-built test; the credential has no declarative test', () => {
	assert.equal((new ImpalaApi() as unknown as { test?: unknown }).test, undefined);
	// `.node` alone would resolve to the codex file (Impala.node.json), as in test/helpers/workflow.ts.
	const nodes: INodeType[] = [
		new (require('../../nodes/Impala/Impala.node.ts').Impala)(),
		new (require('../../nodes/ImpalaBatchBuilder/ImpalaBatchBuilder.node.ts').ImpalaBatchBuilder)(),
		new (require('../../nodes/ImpalaBatchTrigger/ImpalaBatchTrigger.node.ts').ImpalaBatchTrigger)(),
	];
	for (const node of nodes) {
		const credential = node.description.credentials?.find((c) => c.name === 'impalaApi');
		assert.equal(credential?.testedBy, CREDENTIAL_TEST, node.description.name);
		assert.equal(node.methods?.credentialTest?.[CREDENTIAL_TEST], impalaApiTest, node.description.name);
	}
});

test('passes with the right key, for every documented form of the Base URL, calling GET /v1/batches?limit=1', async () => {
	const forms: Array<[string, string]> = [
		[emu.url, '/v1/batches'],
		[`${emu.url}/`, '/v1/batches'],
		[`${emu.url}/v1`, '/v1/batches'],
		[`${emu.url}/v1/`, '/v1/batches'],
		[` ${emu.url}/open-ai/v1 `, '/open-ai/v1/batches'],
	];
	for (const [baseUrl, path] of forms) {
		const result = await runTest({ baseUrl, apiKey: KEY });
		assert.equal(result.status, 'OK', `${baseUrl}: ${result.message}`);
		const last = emu.requests.at(-1);
		assert.equal(last?.path, path, baseUrl);
		assert.equal(new URLSearchParams(last?.query ?? '').get('limit'), '1', baseUrl);
	}
});

test('a wrong key and a missing key get the nodes\' sentences, without the key', async () => {
	const wrong = await runTest({ baseUrl: emu.url, apiKey: 'sk-wrong-key-1234' });
	assert.equal(wrong.status, 'Error');
	assert.match(wrong.message, /Impala did not accept the credentials .* check the API key in the credential/i);
	assert.doesNotMatch(wrong.message, /sk-wrong-key-1234/);
	const missing = await runTest({ baseUrl: emu.url, apiKey: '' });
	assert.equal(missing.status, 'Error');
	assert.match(missing.message, /this deployment needs an API key/i);
	const keyless = await startEmulator();
	try {
		assert.equal((await runTest({ baseUrl: keyless.url, apiKey: '' })).status, 'OK');
		assert.equal(keyless.requests.at(-1)?.hasAuthorization, false, 'no Authorization header without a key');
	} finally {
		await keyless.close();
	}
});

test('a refused connection says nothing answers there and to check the host and port, not ECONNREFUSED alone', async () => {
	const url = await closedPortUrl();
	const result = await runTest({ baseUrl: url, apiKey: KEY });
	assert.equal(result.status, 'Error');
	assert.match(result.message, new RegExp(`nothing answers at ${new URL(url).host.replace(/\./g, '\\.')}`));
	assert.match(result.message, /check the host and port in the Base URL/i);
});

test('a Base URL without http:// or https:// says so', async () => {
	for (const baseUrl of ['api.example.com', '127.0.0.1:8080', 'localhost:5000/v1']) {
		const result = await runTest({ baseUrl, apiKey: KEY });
		assert.equal(result.status, 'Error', baseUrl);
		assert.match(result.message, /(must start with http:\/\/ or https:\/\/|not a valid URL: it should look like https:\/\/)/, baseUrl);
	}
});

test('a server that does not answer in time is a timeout, bounded by the credential\'s Timeout (Seconds)', async () => {
	const rule = proxy.add({ method: 'GET', path: '/v1/batches', fault: { kind: 'hang' } });
	try {
		const result = await runTest({ baseUrl: proxy.url, apiKey: KEY, timeout: 0.3 });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /Impala did not answer GET \/v1\/batches\?limit=1 within 300 ms/);
		assert.match(result.message, /raise the timeout/);
	} finally {
		rule.remove();
	}
});

test('a server that is not Impala (a web page, another JSON) says so', async () => {
	const page = proxy.add({ method: 'GET', path: '/v1/batches', fault: { kind: 'webPage' } });
	try {
		const result = await runTest({ baseUrl: proxy.url, apiKey: KEY });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /answered GET \/v1\/batches\?limit=1 with a web page instead of Impala's JSON/);
		assert.match(result.message, /this base URL does not look like an Impala API/i);
	} finally {
		page.remove();
	}
	const other = createServerAnswering('{"hello":"world"}');
	const url = await other.start();
	try {
		const result = await runTest({ baseUrl: url, apiKey: KEY });
		assert.equal(result.status, 'Error');
		assert.match(result.message, /is not what the API documents/);
		assert.match(result.message, /check the Base URL in the credential/i);
	} finally {
		await other.stop();
	}
});

test('the Timeout (Seconds) field becomes the client\'s timeout; empty or zero keeps the default', () => {
	assert.equal(clientOptionsFromCredential({ baseUrl: 'https://h', timeout: 30 }).timeoutMs, 30_000);
	assert.equal(clientOptionsFromCredential({ baseUrl: 'https://h', timeout: 0 }).timeoutMs, undefined);
	assert.equal(clientOptionsFromCredential({ baseUrl: 'https://h' }).timeoutMs, undefined);
	const field = new ImpalaApi().properties.find((p) => p.name === 'timeout');
	assert.equal(field?.displayName, 'Timeout (Seconds)');
	assert.equal(field?.default, 600);
});

function createServerAnswering(body: string) {
	const server = createHttpServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(body);
	});
	return {
		start: async () => {
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		},
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
