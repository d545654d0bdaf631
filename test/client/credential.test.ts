import '../helpers/n8n-env';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Workflow, type IHttpRequestOptions, type INode } from 'n8n-workflow';
import { request } from 'undici';
import { ImpalaApi } from '../../credentials/ImpalaApi.credentials';
import { startEmulator } from '../../src/emulator';
import { TestNodeTypes } from '../helpers/workflow';

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const KEY = 'sk-test-credential';
let emu: Emulator;

before(async () => {
	emu = await startEmulator({ apiKey: KEY });
});
after(async () => {
	await emu.close();
});

/** What n8n's "Test" button does: resolve the credential's test request, authenticate it, send it. */
async function runCredentialTest(data: { baseUrl: string; apiKey: string }) {
	const credential = new ImpalaApi();
	const node: INode = { id: '1', name: 'test', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new TestNodeTypes() });
	const resolved = workflow.expression.getComplexParameterValue(
		node,
		credential.test.request as unknown as Record<string, string>,
		'internal',
		{ $credentials: data } as never,
	) as unknown as { baseURL: string; url: string; qs: Record<string, number>; method: string };
	const authenticated = await credential.authenticate(data, { url: resolved.url, headers: {} } as IHttpRequestOptions);
	const url = new URL(resolved.baseURL + resolved.url);
	for (const [k, v] of Object.entries(resolved.qs)) url.searchParams.set(k, String(v));
	const response = await request(url, { method: 'GET', headers: authenticated.headers as Record<string, string> });
	const body = await response.body.text();
	return { status: response.statusCode, path: url.pathname + url.search, headers: authenticated.headers ?? {}, body };
}

test('the credential test calls GET /v1/batches?limit=1 and passes with the right key', async () => {
	const forms: Array<[string, string]> = [
		[emu.url, '/v1/batches?limit=1'],
		[`${emu.url}/`, '/v1/batches?limit=1'],
		[`${emu.url}/v1`, '/v1/batches?limit=1'],
		[`${emu.url}/v1/`, '/v1/batches?limit=1'],
		[` ${emu.url}/open-ai/v1 `, '/open-ai/v1/batches?limit=1'],
	];
	for (const [baseUrl, path] of forms) {
		const result = await runCredentialTest({ baseUrl, apiKey: KEY });
		assert.equal(result.status, 200, `base URL ${baseUrl}`);
		assert.equal(result.path, path, `base URL ${baseUrl}`);
		assert.equal(emu.requests.at(-1)?.path, path.split('?')[0], `base URL ${baseUrl} reached the emulator`);
	}
});

test('the credential test fails with 401 on a wrong key', async () => {
	const result = await runCredentialTest({ baseUrl: emu.url, apiKey: 'wrong' });
	assert.equal(result.status, 401);
	// n8n shows the server's message under "Couldn't connect with these settings": it must say what to do.
	assert.match(result.body, /API key/i);
});

test('an empty key sends no Authorization header (keyless private deployments)', async () => {
	const result = await runCredentialTest({ baseUrl: emu.url, apiKey: '' });
	assert.equal((result.headers as Record<string, unknown>).Authorization, undefined);
	assert.equal(result.status, 401, 'this emulator requires a key, so a keyless call is refused');
	const keyless = await startEmulator();
	try {
		const ok = await runCredentialTest({ baseUrl: keyless.url, apiKey: '' });
		assert.equal(ok.status, 200);
		assert.equal(keyless.requests.at(-1)?.hasAuthorization, false);
	} finally {
		await keyless.close();
	}
});
