import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import type { ICredentialTestFunctions } from 'n8n-workflow';
import { impalaApiTest } from '../../nodes/shared/credentialTest';
import { startEmulator, type Emulator } from '../../src/emulator';
import { E2E_API_KEY, emulatorWithCredential } from './harness/emulatorCredential';
import { EXAMPLE_CREDENTIAL } from './harness/examples';
import { N8nInstance, type N8nServer } from './harness/n8nInstance';
import { freePort } from './harness/ports';
import { N8nRest } from './harness/rest';

// The credential's "Test" button in the real n8n: POST /rest/credentials/test runs the nodes' `testedBy`
// function (nodes/shared/credentialTest.ts, built on the client; the credential has no declarative
// `test`, which n8n would prefer) through n8n's own credentials tester. One n8n start serves every case.
interface CredentialTestResult {
	status: string;
	message: string;
}

let n8n: N8nInstance;
let emu: Emulator;
let keyless: Emulator;
let htmlSite: Server;
let silent: SilentServer;
let server: N8nServer | undefined;
let rest: N8nRest;

before(async () => {
	n8n = N8nInstance.create();
	emu = await emulatorWithCredential(n8n);
	keyless = await startEmulator({ port: 0 });
	htmlSite = await startHtmlSite();
	silent = await startSilentServer();
	server = await n8n.start();
	rest = await N8nRest.asOwner(server);
});
after(async () => {
	await server?.stop();
	await emu?.close();
	await keyless?.close();
	htmlSite?.close();
	silent?.close();
	await n8n?.dispose();
});

/** A web page where the API should be: every path answers 200 with HTML. */
async function startHtmlSite(): Promise<Server> {
	const site = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		res.end('<!doctype html><html><head><title>Impala</title></head><body>Welcome</body></html>');
	});
	await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
	return site;
}

interface SilentServer {
	url: string;
	close(): void;
}

/** A server that accepts connections and never answers (a host behind a dead proxy or firewall). */
async function startSilentServer(): Promise<SilentServer> {
	const sockets = new Set<Socket>();
	const tcp: TcpServer = createTcpServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`,
		close: () => {
			for (const socket of sockets) socket.destroy();
			tcp.close();
		},
	};
}

const urlOf = (site: Server) => `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

interface CredentialFields {
	baseUrl: string;
	apiKey: string;
	/** The credential's optional "Timeout (Seconds)". */
	timeout?: number;
}

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, verbose() {} };

/** What the same test function says in this process, outside n8n, for the same fields. */
async function sentenceOutsideN8n(data: CredentialFields): Promise<string> {
	const context = { logger: quietLogger } as unknown as ICredentialTestFunctions;
	const result = await impalaApiTest.call(context, { id: EXAMPLE_CREDENTIAL.id, name: EXAMPLE_CREDENTIAL.name, type: 'impalaApi', data: { ...data } });
	return result.message;
}

// Bare codes a user cannot act on (what n8n showed before the credential had a testedBy function).
const BARE_CODE = /\b(E[A-Z]{4,}|ERR_[A-Z_]+|UND_ERR_[A-Z_]+)\b/;

/**
 * Tests the fields in n8n; the result must be an error whose message is a plain sentence (no bare
 * network code), the very sentence our test function gives outside n8n, and contain `words`.
 */
async function expectPlainFailure(data: CredentialFields, words: RegExp): Promise<string> {
	const result = await testCredential(data);
	assert.equal(result.status, 'Error', `${data.baseUrl}: ${result.message}`);
	assert.doesNotMatch(result.message, BARE_CODE, 'no bare error code');
	assert.match(result.message, /^\S+(\s+\S+){5,}/, `a sentence: ${result.message}`);
	assert.match(result.message, words);
	assert.equal(result.message, await sentenceOutsideN8n(data), 'n8n shows our sentence unchanged');
	return result.message;
}

/** What the editor sends when the user presses "Test" on the saved credential with these field values. */
async function testCredential(data: CredentialFields): Promise<CredentialTestResult> {
	const response = await fetch(`${server?.url}/rest/credentials/test`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie: rest.cookie },
		body: JSON.stringify({ credentials: { ...EXAMPLE_CREDENTIAL, type: 'impalaApi', data } }),
	});
	const text = await response.text();
	assert.equal(response.status, 200, `POST /rest/credentials/test answered ${response.status}: ${text}`);
	return (JSON.parse(text) as { data: CredentialTestResult }).data;
}

// The messages the credential declares for n8n to show; each case also checks the words the user needs.
// The Test button runs the nodes' testedBy (nodes/shared/credentialTest.ts): the client's own sentences.
const WRONG_KEY_MESSAGE = /check the API key in the credential|this deployment needs an API key/i;
const NOT_IMPALA_MESSAGE = /this base URL does not look like an Impala API/i;

test('the right key passes with every base-URL form Impala hands out', async () => {
	const forms: Array<[string, string]> = [
		[emu.url, '/v1/batches'],
		[`${emu.url}/`, '/v1/batches'],
		[`${emu.url}/v1`, '/v1/batches'],
		[`${emu.url}/v1/`, '/v1/batches'],
		[`${emu.url}/open-ai/v1`, '/open-ai/v1/batches'],
	];
	for (const [baseUrl, path] of forms) {
		const seen = emu.requests.length;
		const result = await testCredential({ baseUrl, apiKey: E2E_API_KEY });
		assert.equal(result.status, 'OK', `base URL ${baseUrl}: ${result.message}`);
		const calls = emu.requests.slice(seen);
		assert.deepEqual(
			calls.map((call) => [call.method, call.path, call.query, call.hasAuthorization]),
			[['GET', path, '?limit=1', true]],
			`base URL ${baseUrl}`,
		);
	}
});

test('a wrong key fails with a message that says what to do', async () => {
	const result = await testCredential({ baseUrl: emu.url, apiKey: 'not-the-key' });
	assert.equal(result.status, 'Error');
	assert.match(result.message, WRONG_KEY_MESSAGE);
	assert.equal(emu.requests.at(-1)?.hasAuthorization, true);
});

test('an empty key passes on a keyless deployment and sends no Authorization header', async () => {
	const seen = keyless.requests.length;
	const result = await testCredential({ baseUrl: keyless.url, apiKey: '' });
	assert.equal(result.status, 'OK', result.message);
	const calls = keyless.requests.slice(seen);
	assert.equal(calls.length, 1);
	assert.equal(calls[0].hasAuthorization, false);
});

test('an empty key against a deployment that needs one fails with the refused-key message', async () => {
	const result = await testCredential({ baseUrl: emu.url, apiKey: '' });
	assert.equal(result.status, 'Error');
	assert.match(result.message, WRONG_KEY_MESSAGE);
	assert.equal(emu.requests.at(-1)?.hasAuthorization, false);
});

test('a base URL that answers a web page fails and says the URL is not Impala', async () => {
	const result = await testCredential({ baseUrl: urlOf(htmlSite), apiKey: E2E_API_KEY });
	assert.equal(result.status, 'Error');
	assert.match(result.message, NOT_IMPALA_MESSAGE);
});

test('a base URL with a path the API does not have (404) fails and says the URL is not Impala', async () => {
	const result = await testCredential({ baseUrl: `${emu.url}/api`, apiKey: E2E_API_KEY });
	assert.equal(result.status, 'Error');
	assert.match(result.message, NOT_IMPALA_MESSAGE);
	assert.equal(emu.requests.at(-1)?.path, '/api/v1/batches');
});

test('a base URL where nothing listens (a closed port) says nothing answers there and what to check', async () => {
	const port = await freePort();
	const message = await expectPlainFailure(
		{ baseUrl: `http://127.0.0.1:${port}`, apiKey: E2E_API_KEY },
		/nothing answers at 127\.0\.0\.1:\d+ .*check the host and port in the Base URL/i,
	);
	assert.ok(message.includes(String(port)), message);
});

test('a base URL without http:// or https:// says how the address should look', async () => {
	const port = (new URL(emu.url)).port;
	for (const baseUrl of [`127.0.0.1:${port}`, 'impala.example.com/v1', `localhost:${port}`]) {
		const seen = emu.requests.length;
		await expectPlainFailure({ baseUrl, apiKey: E2E_API_KEY }, /https:\/\/api\.example\.com/);
		assert.equal(emu.requests.length, seen, `${baseUrl}: nothing is sent`);
	}
});

// The test's own timeout is a bound, not a measurement: the credential's 1 s ends it long before.
test('a server that accepts the connection and never answers ends at the credential\'s timeout with a sentence', { timeout: 60_000 }, async () => {
	await expectPlainFailure({ baseUrl: silent.url, apiKey: E2E_API_KEY, timeout: 1 }, /did not answer .* within 1 s/i);
});

test('a wrong key and a web page also get the sentences the nodes give', async () => {
	await expectPlainFailure({ baseUrl: emu.url, apiKey: 'not-the-key' }, WRONG_KEY_MESSAGE);
	await expectPlainFailure({ baseUrl: urlOf(htmlSite), apiKey: E2E_API_KEY }, NOT_IMPALA_MESSAGE);
});
