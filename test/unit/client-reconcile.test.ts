import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proxyFor, proxySettingsFromEnv } from '../../src/client/proxy';
import { uniqueFileName } from '../../src/client/reconcile';
import { shouldRetry } from '../../src/client/retry';

describe('reconciling helpers, the retry rule for unusable answers, proxy settings', () => {
	it('gives every upload a unique name that keeps the extension', () => {
		assert.match(uniqueFileName('batch.jsonl'), /^batch\.[0-9a-f]{8}\.jsonl$/);
		assert.match(uniqueFileName('rows.part-2.jsonl'), /^rows\.part-2\.[0-9a-f]{8}\.jsonl$/);
		assert.match(uniqueFileName('README'), /^README\.[0-9a-f]{8}$/);
		assert.match(uniqueFileName('.hidden'), /^\.hidden\.[0-9a-f]{8}$/);
		assert.notEqual(uniqueFileName('a.jsonl'), uniqueFileName('a.jsonl'));
	});

	it('reads an unusable 2xx again for GET and DELETE, never for POST', () => {
		assert.equal(shouldRetry('GET', { type: 'invalid', cut: true }, true), true);
		assert.equal(shouldRetry('DELETE', { type: 'invalid', cut: true }, true), true);
		assert.equal(shouldRetry('GET', { type: 'invalid', cut: false }, true), false, 'valid JSON of another shape is not a glitch');
		assert.equal(shouldRetry('POST', { type: 'invalid', cut: true }, true), false);
	});

	it('reads proxy variables in either case and says which proxy a host goes through', () => {
		assert.equal(proxySettingsFromEnv({}), undefined);
		assert.equal(proxySettingsFromEnv({ NO_PROXY: 'x' }), undefined, 'NO_PROXY alone sets no proxy');
		const settings = proxySettingsFromEnv({ http_proxy: 'http://user:pw@proxy:3128', HTTPS_PROXY: 'http://secure:3129', NO_PROXY: 'localhost, .internal.example, 10.0.0.1:8080' });
		assert.deepEqual(settings, { httpProxy: 'http://user:pw@proxy:3128', httpsProxy: 'http://secure:3129', noProxy: 'localhost, .internal.example, 10.0.0.1:8080' });
		assert.deepEqual(proxyFor(settings, 'http://api.example.com'), { url: 'http://proxy:3128', variable: 'HTTP_PROXY' }, 'no password in messages');
		assert.deepEqual(proxyFor(settings, 'https://api.example.com'), { url: 'http://secure:3129', variable: 'HTTPS_PROXY' });
		assert.equal(proxyFor(settings, 'http://localhost:5000'), undefined);
		assert.equal(proxyFor(settings, 'https://impala.internal.example'), undefined);
		assert.equal(proxyFor(settings, 'http://10.0.0.1:8080'), undefined);
		assert.deepEqual(proxyFor(settings, 'http://10.0.0.1:9090'), { url: 'http://proxy:3128', variable: 'HTTP_PROXY' });
		assert.equal(proxyFor({ httpProxy: '', httpsProxy: 'http://s:1', noProxy: '' }, 'http://plain.example'), undefined, 'HTTPS_PROXY is for https targets');
		assert.equal(proxyFor({ httpProxy: 'http://p:1', httpsProxy: '', noProxy: '*' }, 'http://any.example'), undefined);
	});
});
