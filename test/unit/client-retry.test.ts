import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isIdempotent, provablyNeverSent } from '../../src/client/repeatSafety';
import { retryDelayMs, shouldRetry } from '../../src/client/retry';
import { parseRetryAfter } from '../../src/client/retryAfter';

describe('retry rule', () => {
	it('repeats GET and DELETE on 429, 500, 502, 503, 504 only', () => {
		for (const method of ['GET', 'DELETE']) {
			for (const status of [429, 500, 502, 503, 504]) {
				assert.equal(shouldRetry(method, { type: 'status', status }, true), true, `${method} ${status}`);
			}
			for (const status of [400, 401, 403, 404, 409, 413, 422, 501]) {
				assert.equal(shouldRetry(method, { type: 'status', status }, true), false, `${method} ${status}`);
			}
		}
	});

	it('repeats GET on resets but not after a long timeout or an abort', () => {
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']) {
			assert.equal(shouldRetry('GET', { type: 'network', code, neverSent: false }, true), true, code);
			assert.equal(shouldRetry('DELETE', { type: 'network', code, neverSent: false }, true), true, code);
		}
		assert.equal(shouldRetry('GET', { type: 'network', code: 'UND_ERR_SOCKET', neverSent: false }, true), true);
		assert.equal(shouldRetry('GET', { type: 'network', code: undefined, neverSent: false }, true), true);
		assert.equal(shouldRetry('GET', { type: 'network', code: 'UND_ERR_HEADERS_TIMEOUT', neverSent: false }, true), false);
		assert.equal(shouldRetry('GET', { type: 'network', code: 'UND_ERR_BODY_TIMEOUT', neverSent: false }, true), false);
		assert.equal(shouldRetry('GET', { type: 'network', code: 'ABORT_ERR', neverSent: false }, true), false);
	});

	it('repeats POST only when it provably never reached the server, or on 429', () => {
		// The transport passes `neverSent` from provablyNeverSent, as here.
		for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']) {
			assert.equal(provablyNeverSent({ code }), true, code);
			assert.equal(shouldRetry('POST', { type: 'network', code, neverSent: provablyNeverSent({ code }) }, true), true, code);
		}
		// Node also raises these on a connected socket after the body was sent: a batch could be created twice.
		for (const code of ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_HEADERS_TIMEOUT', undefined]) {
			assert.equal(provablyNeverSent({ code }), false, String(code));
			assert.equal(shouldRetry('POST', { type: 'network', code, neverSent: provablyNeverSent({ code }) }, true), false, String(code));
		}
		// ...unless undici raised them while connecting, before writing a byte.
		for (const code of ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']) {
			assert.equal(shouldRetry('POST', { type: 'network', code, neverSent: true }, true), true, `${code} while connecting`);
		}
		assert.equal(shouldRetry('POST', { type: 'status', status: 429 }, true), true);
		for (const status of [500, 502, 503, 504]) {
			assert.equal(shouldRetry('POST', { type: 'status', status }, true), false, String(status));
		}
	});

	it('has one notion of "safe to repeat": GET, DELETE and HEAD, never POST', () => {
		assert.deepEqual(
			['GET', 'DELETE', 'HEAD', 'POST', 'PUT', 'PATCH'].map((m) => [m, isIdempotent(m)]),
			[['GET', true], ['DELETE', true], ['HEAD', true], ['POST', false], ['PUT', false], ['PATCH', false]],
		);
	});

	it('never repeats a request whose streamed body was already read', () => {
		assert.equal(shouldRetry('POST', { type: 'network', code: 'ECONNREFUSED', neverSent: true }, false), false);
		assert.equal(shouldRetry('POST', { type: 'status', status: 429 }, false), false);
	});
});

describe('retry delay', () => {
	const settings = { retryBaseDelayMs: 500, maxRetryDelayMs: 60_000 };

	it('doubles per retry with jitter between half and the full step', () => {
		assert.equal(retryDelayMs(1, settings, undefined, 0, () => 0), 250);
		assert.equal(retryDelayMs(1, settings, undefined, 0, () => 1), 500);
		assert.equal(retryDelayMs(2, settings, undefined, 0, () => 0), 500);
		assert.equal(retryDelayMs(3, settings, undefined, 0, () => 1), 2000);
		const jittered = retryDelayMs(4, settings, undefined, 0, () => 0.5);
		assert.equal(jittered, 3000);
	});

	it('caps the backoff by maxRetryDelayMs', () => {
		assert.equal(retryDelayMs(20, settings, undefined, 0, () => 1), 60_000);
		assert.ok((retryDelayMs(20, settings, undefined, 0, () => 0) ?? Infinity) <= 60_000);
	});

	it('honours Retry-After in seconds and as an HTTP date', () => {
		assert.equal(retryDelayMs(1, settings, '2', 0, () => 0), 2000);
		assert.equal(retryDelayMs(1, settings, '0', 0, () => 0), 0);
		const now = Date.parse('2025-01-01T00:00:00Z');
		assert.equal(retryDelayMs(1, settings, 'Wed, 01 Jan 2025 00:00:07 GMT', now, () => 0), 7000);
		assert.equal(retryDelayMs(1, settings, '60', 0, () => 0), 60_000);
	});

	it('never cuts a Retry-After short: longer than maxRetryDelayMs means no retry (undefined)', () => {
		assert.equal(retryDelayMs(1, settings, '120', 0, () => 0), undefined);
		assert.equal(retryDelayMs(1, settings, '3600', 0, () => 0), undefined);
		const now = Date.parse('2025-01-01T00:00:00Z');
		assert.equal(retryDelayMs(1, settings, 'Wed, 01 Jan 2025 00:02:00 GMT', now, () => 0), undefined);
	});

	it('ignores an unreadable Retry-After and a date in the past', () => {
		assert.equal(parseRetryAfter('soon'), undefined);
		assert.equal(parseRetryAfter(''), undefined);
		assert.equal(parseRetryAfter(undefined), undefined);
		assert.equal(parseRetryAfter('Wed, 01 Jan 2020 00:00:00 GMT', Date.parse('2025-01-01T00:00:00Z')), 0);
		assert.equal(retryDelayMs(1, settings, 'soon', 0, () => 1), 500);
	});
});
