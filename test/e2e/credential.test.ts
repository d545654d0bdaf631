import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator';
import { E2E_API_KEY, emulatorWithCredential } from './harness/emulatorCredential';
import { EXAMPLE_CREDENTIAL } from './harness/examples';
import { N8nInstance, type N8nServer } from './harness/n8nInstance';
import { freePort } from './harness/ports';
import { N8nRest } from './harness/rest';

// The credential's "Test" button in the real n8n: POST /rest/credentials/test runs our credential's
// `test` request through n8n's own credentials tester. One n8n start serves every case.
interface CredentialTestResult {
	status: string;
	message: string;
}

let n8n: N8nInstance;
let emu: Emulator;
let keyless: Emulator;
let htmlSite: Server;
let server: N8nServer | undefined;
let rest: N8nRest;

before(async () => {
	n8n = N8nInstance.create();
	emu = await emulatorWithCredential(n8n);
	keyless = await startEmulator({ port: 0 });
	htmlSite = await startHtmlSite();
	server = await n8n.start();
	rest = await N8nRest.asOwner(server);
});
after(async () => {
	await server?.stop();
	await emu?.close();
	await keyless?.close();
	htmlSite?.close();
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

const urlOf = (site: Server) => `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

/** What the editor sends when the user presses "Test" on the saved credential with these field values. */
async function testCredential(data: { baseUrl: string; apiKey: string }): Promise<CredentialTestResult> {
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

test('a base URL where nothing listens fails with a message', async () => {
	const result = await testCredential({ baseUrl: `http://127.0.0.1:${await freePort()}`, apiKey: E2E_API_KEY });
	assert.equal(result.status, 'Error');
	assert.match(result.message, /nothing answers at 127\.0\.0\.1:\d+ .*check the host and port in the Base URL/i);
});
