import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImpalaClient, resolveApiUrl } from '../../src/client';

describe('base URL rule', () => {
	const cases: Array<[string, string, string]> = [
		['https://api.impala.ai', '/files', 'https://api.impala.ai/v1/files'],
		['https://api.impala.ai/', '/files', 'https://api.impala.ai/v1/files'],
		['https://api.impala.ai/v1', '/files', 'https://api.impala.ai/v1/files'],
		['https://api.impala.ai/v1///', '/batches', 'https://api.impala.ai/v1/batches'],
		['https://host.example/open-ai/v1', '/files', 'https://host.example/open-ai/v1/files'],
		['https://host.example/open-ai/v1/', 'batches/b-1', 'https://host.example/open-ai/v1/batches/b-1'],
		['https://host.example/open-ai', '/files', 'https://host.example/open-ai/v1/files'],
		['  http://openai.corp.internal  ', '/batches', 'http://openai.corp.internal/v1/batches'],
		['http://127.0.0.1:8080', '/files', 'http://127.0.0.1:8080/v1/files'],
		['http://127.0.0.1:8080/v1/', '/files', 'http://127.0.0.1:8080/v1/files'],
		['https://host.example/v10', '/files', 'https://host.example/v10/v1/files'],
	];
	for (const [base, path, expected] of cases) {
		it(`${JSON.stringify(base)} + ${path} -> ${expected}`, () => {
			assert.equal(resolveApiUrl(base, path), expected);
		});
	}

	it('exposes the API root on the client', () => {
		assert.equal(new ImpalaClient({ baseUrl: 'https://h.example/open-ai/v1/' }).apiRoot, 'https://h.example/open-ai/v1');
	});

	const bad: Array<[string, RegExp]> = [
		['', /Base URL is empty/],
		['   ', /Base URL is empty/],
		['api.impala.ai', /not a valid URL|must start with http/],
		['not a url', /not a valid URL/],
		['ftp://host.example', /must start with http:\/\/ or https:\/\//],
		['https://host.example/v1?x=1', /must not contain "\?" or "#"/],
		['https://user:secret-key-123@host.example', /must not contain a user name or password/],
	];
	for (const [base, message] of bad) {
		it(`rejects ${JSON.stringify(base)} with a clear error`, () => {
			assert.throws(() => new ImpalaClient({ baseUrl: base }), message);
		});
	}

	it('never echoes the base URL (a key pasted in the wrong field stays secret)', () => {
		const pasted = 'sk-live-0123456789abcdef';
		assert.throws(
			() => new ImpalaClient({ baseUrl: pasted }),
			(error: Error) => !error.message.includes(pasted) && /Base URL/.test(error.message),
		);
		assert.throws(
			() => new ImpalaClient({ baseUrl: `https://u:${pasted}@h.example` }),
			(error: Error) => !error.message.includes(pasted),
		);
	});
});
