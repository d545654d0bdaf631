import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { Agent, buildConnector } from 'undici';
import { ImpalaApiError } from '../../src/client';
import { useSuiteEmulator } from '../helpers/emulator';
import { captureLogger, clientFor, rejection } from './client-helpers';

const realConnect = buildConnector({});

function osError(code: string): NodeJS.ErrnoException {
	return Object.assign(new Error(`${code} (simulated by the test's connector)`), { code });
}

/**
 * An undici Agent whose connector fails the first `failConnects` connects with `code`, then connects for
 * real; with `failAfterWrite`, the socket dies with `code` right after the request's first bytes are written.
 */
function flakyAgent(code: string, mode: { failConnects?: number; failAfterWrite?: boolean }) {
	const stats = { connects: 0 };
	const agent = new Agent({
		connect: (options, callback) => {
			stats.connects++;
			if (stats.connects <= (mode.failConnects ?? 0)) {
				setImmediate(() => callback(osError(code), null));
				return;
			}
			realConnect(options, (error, socket) => {
				if (error || !socket) return callback(error ?? new Error('no socket'), null);
				if (mode.failAfterWrite) {
					const tcp = socket as Socket;
					const write = tcp.write.bind(tcp) as (...args: unknown[]) => boolean;
					let failed = false;
					(tcp as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => {
						const result = write(...args);
						if (!failed) {
							failed = true;
							setImmediate(() => tcp.destroy(osError(code)));
						}
						return result;
					};
				}
				callback(null, socket);
			});
		},
	});
	return { agent, stats };
}

describe('ImpalaClient: a POST is repeated only when it provably never reached Impala', () => {
	const emu = useSuiteEmulator({ pace: 'manual' });
	const creates = () => emu().requests.filter((r) => r.method === 'POST' && r.path === '/v1/batches').length;

	for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']) {
		it(`${code} after the body was sent: create is not repeated, and the error says the outcome is unknown`, async (t) => {
			const { agent, stats } = flakyAgent(code, { failAfterWrite: true });
			t.after(() => agent.close());
			const logger = captureLogger();
			const client = clientFor(emu(), { dispatcher: agent, logger, maxRetries: 3 });
			const error = await rejection(() => client.batches.create({ input_file_id: 'file-x', endpoint: '/v1/chat/completions' }));
			assert.ok(error instanceof ImpalaApiError, String(error));
			assert.equal(error.code, code);
			assert.equal(error.retryable, false);
			assert.match(error.message, /not known whether Impala received the request to create the batch/);
			assert.equal(stats.connects, 1, 'one attempt only');
			assert.equal(logger.lines.filter((l) => /retry/i.test(l.message)).length, 0);
		});

		it(`${code} while connecting: create is repeated (nothing was sent) and succeeds`, async (t) => {
			const { agent, stats } = flakyAgent(code, { failConnects: 1 });
			t.after(() => agent.close());
			const plain = clientFor(emu());
			const file = await plain.files.upload({ file: Buffer.from('{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[]}}\n'), filename: 'a.jsonl' });
			const before = creates();
			const client = clientFor(emu(), { dispatcher: agent, maxRetries: 3 });
			const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions' });
			assert.equal(batch.input_file_id, file.id);
			assert.equal(stats.connects, 2, 'failed connect, then the real one');
			assert.equal(creates() - before, 1, 'the batch was created once');
		});
	}

	it('GET is still repeated after EHOSTUNREACH on a connected socket', async (t) => {
		const { agent, stats } = flakyAgent('EHOSTUNREACH', { failAfterWrite: true });
		t.after(() => agent.close());
		const logger = captureLogger();
		const client = clientFor(emu(), { dispatcher: agent, logger, maxRetries: 2 });
		const error = await rejection(() => client.batches.listPage({ limit: 1 }));
		assert.equal(error.code, 'EHOSTUNREACH');
		assert.equal(stats.connects, 3, 'first try and two retries, each on a new connection');
		assert.equal(logger.lines.filter((l) => /retry/i.test(l.message)).length, 2);
	});
});
