import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorFromResponse, type CallContext } from '../../src/client/errorMapping';
import { redactSecret } from '../../src/client/redact';

const KEY = 'sk-CANARY-0123456789abcdef-leak';
const ctx: CallContext = { method: 'GET', path: '/v1/batches', origin: 'http://127.0.0.1:9999', action: 'list the batches', hasApiKey: true };

describe('the API key never reaches a message, even masked', () => {
	it('removes the key and masked echoes that keep 4+ of its first or last characters around *', () => {
		for (const echo of ['sk-CANAR****leak', 'sk-C****************leak', '****leak', 'sk-CANARY-01***', 'sk-CANAR...leak', 'sk-CANAR…leak', KEY]) {
			const text = redactSecret(`Incorrect API key provided: ${echo}. You can find your key at https://example.com.`, KEY);
			assert.ok(!text.includes('CANAR') && !text.includes('leak'), `${echo} -> ${text}`);
			assert.match(text, /Incorrect API key provided: \[redacted\]\. You can find your key/);
		}
	});

	it('leaves other masked text alone', () => {
		for (const text of ['a password like ****', 'sk-OTHER****abcd', '2 * 3 = 6', 'x{300}…']) assert.equal(redactSecret(text, KEY), text);
	});

	it('applies to error messages built from a server answer', () => {
		const body = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-CANAR****leak', type: 'invalid_request_error', code: 'invalid_api_key' } });
		const error = errorFromResponse(ctx, 401, { 'content-type': 'application/json' }, body, KEY);
		assert.match(error.message, /Incorrect API key provided: \[redacted\]/);
		assert.doesNotMatch(`${error.message} ${error.summary} ${error.hint}`, /CANAR|leak/);
	});
});
