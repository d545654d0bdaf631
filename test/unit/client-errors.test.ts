import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { ImpalaApiError } from '../../src/client';
import { errorFromNetwork, errorFromResponse, invalidResponse, type CallContext } from '../../src/client/errorMapping';

const ctx = (over: Partial<CallContext> = {}): CallContext => ({
	method: 'GET',
	path: '/v1/batches/batch-123',
	origin: 'http://127.0.0.1:9999',
	action: 'get the batch',
	resource: 'batch',
	id: 'batch-123',
	hasApiKey: true,
	...over,
});
const json = (v: unknown) => JSON.stringify(v);
const H = { 'content-type': 'application/json' };

describe('error mapping from raw answers', () => {
	it('reads the {error:{...}} shape and names the missing id on 404', () => {
		const body = json({ error: { message: "No batch found with id 'batch-123'.", type: 'invalid_request_error', param: 'batch_id', code: 'batch_not_found' } });
		const e = errorFromResponse(ctx(), 404, { ...H, 'x-request-id': 'req-9' }, body);
		assert.ok(e instanceof ImpalaApiError);
		assert.equal(e.kind, 'http');
		assert.equal(e.status, 404);
		assert.equal(e.type, 'invalid_request_error');
		assert.equal(e.code, 'batch_not_found');
		assert.equal(e.param, 'batch_id');
		assert.equal(e.requestId, 'req-9');
		assert.equal(e.retryable, false);
		assert.match(e.message, /batch "batch-123" was not found/);
		assert.match(e.hint, /check the batch ID "batch-123"/);
		assert.equal(e.summary, `The batch "batch-123" was not found (404 Not Found): No batch found with id 'batch-123'.`);
		assert.equal(e.message, `${e.summary} Check the batch ID "batch-123", and that the Base URL points at the deployment that holds it.`);
	});

	it('lists every {detail:[...]} item with its loc on 422', () => {
		const body = json({
			detail: [
				{ loc: ['body', 'purpose'], msg: "Input should be 'batch'", type: 'literal_error' },
				{ loc: ['body', 'expires_after', 'seconds'], msg: 'Input should be greater than or equal to 3600', type: 'greater_than_equal' },
			],
		});
		const e = errorFromResponse(ctx({ method: 'POST', path: '/v1/files', action: 'upload the file "a.jsonl"', resource: undefined, id: undefined }), 422, H, body);
		assert.equal(e.status, 422);
		assert.match(e.message, /body\.purpose: Input should be 'batch'/);
		assert.match(e.message, /body\.expires_after\.seconds: Input should be greater than or equal to 3600/);
		assert.equal(e.param, 'purpose, expires_after.seconds');
		assert.equal(e.type, 'literal_error');
		assert.match(e.hint, /fix the fields named/);
	});

	it('reads the error shape on 422 from create batch, with the field', () => {
		const body = json({ error: { message: 'completion_window must be unlimited', type: 'invalid_request_error', param: 'completion_window', code: 'invalid_value' } });
		const e = errorFromResponse(ctx({ method: 'POST', path: '/v1/batches', action: 'create the batch', resource: undefined, id: undefined }), 422, H, body);
		assert.match(e.message, /rejected the request to create the batch \(422 Unprocessable Entity\): completion_window must be unlimited/);
		assert.equal(e.param, 'completion_window');
	});

	it('keeps an address at the start of a message as written (http://, not Http://)', () => {
		const html = errorFromResponse(ctx(), 200, { 'content-type': 'text/html' }, '<html><body>Welcome</body></html>');
		assert.match(html.summary, /^http:\/\/127\.0\.0\.1:9999 answered GET \/v1\/batches\/batch-123 with a web page/);
		assert.match(html.message, /This base URL does not look like an Impala API/);
	});

	it('says "check the API key" on 401 and 403, and asks for a key when none was set', () => {
		assert.match(errorFromResponse(ctx(), 401, H, json({ error: { message: 'Invalid API key' } })).message, /check the API key/i);
		assert.match(errorFromResponse(ctx(), 403, H, '').message, /check the API key/i);
		assert.match(errorFromResponse(ctx({ hasApiKey: false }), 401, H, '').hint, /needs an API key/);
	});

	it('uses the "fix the fields" hint only when the server named a field', () => {
		const post = ctx({ method: 'POST', path: '/v1/batches', action: 'create the batch', resource: undefined, id: undefined });
		const named = errorFromResponse(post, 400, H, json({ error: { message: 'bad value', param: 'metadata' } }));
		assert.match(named.hint, /fix the fields named/);
		const locs = errorFromResponse(post, 422, H, json({ detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] }));
		assert.match(locs.hint, /fix the fields named/);
		for (const body of [json({ error: { message: 'Something is off' } }), json({ detail: [{ msg: 'Invalid request', type: 'value_error' }] }), 'nope', '']) {
			for (const status of [400, 422]) {
				const e = errorFromResponse(post, status, H, body);
				assert.doesNotMatch(e.message, /fix the fields/, `${status} ${body}`);
				assert.match(e.hint, /check the values you entered for this operation/, `${status} ${body}`);
			}
		}
	});

	it('says there is nothing to cancel when cancel is refused with 400 (the batch already finished)', () => {
		const cancel = ctx({ method: 'POST', path: '/v1/batches/batch-123/cancel', action: 'cancel the batch', operation: 'cancel' });
		for (const body of [json({ error: { message: "The batch 'batch-123' is already completed and cannot be cancelled.", param: 'batch_id', code: 'batch_not_cancellable' } }), '']) {
			const e = errorFromResponse(cancel, 400, H, body);
			assert.equal(e.hint, 'the batch has already finished: there is nothing to cancel');
			assert.doesNotMatch(e.message, /fix the fields/);
		}
	});

	it('says cancelling the named batch is not supported on 501 from cancel', () => {
		const e = errorFromResponse(ctx({ method: 'POST', path: '/v1/batches/batch-123/cancel', action: 'cancel the batch', operation: 'cancel' }), 501, H, json({ error: { message: 'Not implemented' } }));
		assert.equal(e.summary, 'Cancelling batch batch-123 is not supported by this deployment (501 Not Implemented): Not implemented.');
		assert.equal(e.hint, 'let the batch finish, or ask Impala to upgrade the deployment');
		assert.ok(e.message.startsWith(e.summary));
		assert.equal(e.status, 501);
		assert.equal(e.retryable, false);
	});

	it('keys the cancel wording on the call\'s operation, not on how its action is phrased', () => {
		const body = json({ error: { message: 'Not implemented' } });
		const worded = ctx({ method: 'POST', path: '/v1/batches/batch-123/cancel', action: 'cancel the batch' });
		assert.doesNotMatch(errorFromResponse(worded, 501, H, body).summary, /^Cancelling/);
		assert.doesNotMatch(errorFromResponse(worded, 400, H, '').hint, /nothing to cancel/);
		const flagged = ctx({ method: 'POST', path: '/v1/batches/batch-123/cancel', action: 'stop the batch', operation: 'cancel' });
		assert.match(errorFromResponse(flagged, 501, H, body).summary, /^Cancelling batch batch-123 is not supported/);
		assert.equal(errorFromResponse(flagged, 400, H, '').hint, 'the batch has already finished: there is nothing to cancel');
	});

	it('keeps the plain "not implemented" wording for a 501 from any other call', () => {
		const e = errorFromResponse(ctx({ method: 'GET', path: '/v1/batches/batch-123' }), 501, H, json({ error: { message: 'Not implemented' } }));
		assert.match(e.summary, /^This deployment does not implement GET \/v1\/batches\/batch-123 \(501 Not Implemented\)/);
		assert.doesNotMatch(e.message, /Cancelling/);
	});

	it('explains 429 with the wait Impala asked for, and marks 5xx and 429 retryable', () => {
		const e = errorFromResponse(ctx(), 429, { ...H, 'retry-after': '7' }, json({ error: { message: 'Rate limit exceeded' } }));
		assert.match(e.message, /rate limit/i);
		assert.match(e.message, /Impala asked to wait 7 seconds/);
		assert.match(e.hint, /try again after that, or lower the request rate/);
		assert.equal(e.retryable, true);
		const dated = errorFromResponse(ctx(), 429, { ...H, 'retry-after': new Date(Date.now() + 120_000).toUTCString() }, '');
		assert.match(dated.message, /Impala asked to wait 1(19|20) seconds/);
		const noWait = errorFromResponse(ctx(), 429, H, '');
		assert.doesNotMatch(noWait.message, /asked to wait/);
		assert.match(noWait.hint, /send fewer requests/);
		assert.equal(errorFromResponse(ctx(), 503, H, '').retryable, true);
		assert.match(errorFromResponse(ctx(), 500, H, 'boom').message, /try again in a few minutes/i);
	});

	it('a 5xx to a POST is not retryable: the outcome is unknown and the hint says how to check', () => {
		const create = ctx({ method: 'POST', path: '/v1/batches', action: 'create the batch', resource: undefined, id: undefined, checkBeforeRepeating: 'look at the list of batches (newest first)' });
		for (const status of [500, 502, 503, 504]) {
			const e = errorFromResponse(create, status, H, json({ error: { message: 'Internal error' } }));
			assert.equal(e.retryable, false, String(status));
			assert.doesNotMatch(e.message, /try again in a few minutes/i, String(status));
			assert.match(e.hint, /^the outcome is unknown: it is not known whether Impala received the request to create the batch; nothing was checked yet: look at the list of batches \(newest first\) before trying again, so it is not done twice/, String(status));
			assert.equal(e.outcomeUnknown, true, String(status));
			// Whatever the body: a gateway's web page on a POST is an unknown outcome too, not a wrong base URL.
			const page = errorFromResponse(create, status, { 'content-type': 'text/html' }, '<html><body>Bad gateway</body></html>');
			assert.equal(page.outcomeUnknown, true, String(status));
			assert.match(page.message, /the outcome is unknown/i, String(status));
			assert.doesNotMatch(page.message, /does not look like an Impala API/i, String(status));
			const empty = errorFromResponse(create, status, H, '');
			assert.equal(empty.outcomeUnknown, true, String(status));
		}
		assert.equal(errorFromResponse(create, 429, H, '').retryable, true, '429 is refused before processing');
	});

	it('says an HTML page means the base URL is not an Impala API', () => {
		const page = '<!DOCTYPE html><html><body>Welcome</body></html>';
		for (const [status, headers] of [[200, {}], [404, { 'content-type': 'text/html' }]] as const) {
			const e = errorFromResponse(ctx(), status, headers, page);
			assert.match(e.message, /this base URL does not look like an Impala API: check the Base URL in the credential/i);
		}
		// A 5xx page usually comes from a gateway in front of Impala: retried for reads, and said so.
		const gateway = errorFromResponse(ctx(), 502, {}, page);
		assert.match(gateway.message, /a gateway or proxy between n8n and Impala answered with an error page/i);
		assert.equal(gateway.retryable, true);
		assert.equal(gateway.outcomeUnknown, false);
		const invalid = invalidResponse(ctx(), 'the body is not JSON', '<html><head></head></html>');
		assert.equal(invalid.kind, 'invalid_response');
		assert.match(invalid.message, /does not look like an Impala API/);
	});

	it('a 404 with no id (list endpoint) points at the base URL', () => {
		const e = errorFromResponse(ctx({ path: '/v1/batches', action: 'list the batches', resource: undefined, id: undefined }), 404, H, json({ detail: 'Not Found' }));
		assert.match(e.message, /Not Found/);
		assert.match(e.hint, /check the Base URL/);
	});

	it('quotes a plain-text body, shortened', () => {
		const e = errorFromResponse(ctx(), 500, { 'content-type': 'text/plain' }, 'x'.repeat(1000));
		assert.ok(e.message.length < 600);
		assert.match(e.message, /x{300}…/);
	});

	it('points a redirect at the address to use', () => {
		const e = errorFromResponse(ctx(), 301, { location: 'https://127.0.0.1:9999/v1/batches/batch-123' }, '');
		assert.match(e.message, /redirected .* to https:\/\/127\.0\.0\.1:9999/);
		assert.match(e.hint, /Base URL/);
	});
});

describe('error mapping from network failures', () => {
	it('connection refused names the origin and says to check the base URL', () => {
		const e = errorFromNetwork(ctx(), Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9999'), { code: 'ECONNREFUSED' }));
		assert.equal(e.kind, 'network');
		assert.match(e.message, /could not reach http:\/\/127\.0\.0\.1:9999/i);
		assert.match(e.message, /nothing answers at 127\.0\.0\.1:9999/i);
		assert.match(e.message, /check the host and port in the Base URL, and that the server is running/i);
	});

	it('finds the code inside an AggregateError (dual-stack connect)', () => {
		const inner = Object.assign(new Error('connect ECONNREFUSED ::1:9999'), { code: 'ECONNREFUSED' });
		const e = errorFromNetwork(ctx(), new AggregateError([inner], 'connect failed'));
		assert.match(e.message, /could not reach/i);
	});

	it('a reset during a POST says the outcome is unknown and how to check', () => {
		const e = errorFromNetwork(
			ctx({ method: 'POST', path: '/v1/batches', action: 'create the batch', resource: undefined, id: undefined, checkBeforeRepeating: 'look at the list of batches (newest first)' }),
			Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
		);
		assert.equal(e.kind, 'network');
		assert.equal(e.retryable, false);
		assert.match(e.message, /not known whether Impala received the request to create the batch/);
		assert.match(e.message, /look at the list of batches/);
	});

	it('EHOSTUNREACH, ENETUNREACH or ETIMEDOUT during a POST may come after the body was sent: outcome unknown', () => {
		const create = ctx({ method: 'POST', path: '/v1/batches', action: 'create the batch', resource: undefined, id: undefined, checkBeforeRepeating: 'look at the list of batches (newest first)' });
		for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']) {
			const e = errorFromNetwork(create, Object.assign(new Error(`read ${code}`), { code }));
			assert.equal(e.retryable, false, code);
			assert.match(e.message, /not known whether Impala received the request to create the batch/, code);
			assert.match(e.message, /look at the list of batches/, code);
			assert.equal(errorFromNetwork(ctx(), Object.assign(new Error(`read ${code}`), { code })).retryable, true, `GET ${code}`);
		}
	});

	it('timeouts and aborts have their own kinds', () => {
		const t = errorFromNetwork(ctx({ timeoutMs: 600_000 }), Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }));
		assert.equal(t.kind, 'timeout');
		assert.match(t.message, /within 600 s/);
		assert.match(t.message, /raise the timeout/);
		const a = errorFromNetwork(ctx(), new DOMException('This operation was aborted', 'AbortError'));
		assert.equal(a.kind, 'aborted');
	});
});

describe('the API key never leaks', () => {
	it('is redacted even when the server echoes it', () => {
		const key = 'sk-test-very-secret-0123456789';
		const body = json({ error: { message: `Invalid key ${key}`, type: key, param: key, code: key } });
		const e = errorFromResponse(ctx(), 401, { ...H, 'x-request-id': key }, body, key);
		for (const text of [e.message, e.hint, JSON.stringify(e), inspect(e, { depth: 10, showHidden: true }), e.stack ?? '']) {
			assert.ok(!text.includes(key), text);
		}
		assert.match(e.message, /\[redacted\]/);
	});
});
