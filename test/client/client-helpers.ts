// Shared by the client tests: a client on the emulator, a log catcher and small readers.
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { ImpalaClient, type ClientLogger, type ImpalaClientOptions } from '../../src/client';
import type { Emulator } from '../../src/emulator';

/** A client on the emulator with fast retries (delays are checked through the log, never timed). */
export function clientFor(emu: Emulator, options: Partial<ImpalaClientOptions> = {}): ImpalaClient {
	return new ImpalaClient({ baseUrl: emu.url, retryBaseDelayMs: 1, maxRetryDelayMs: 20, ...options });
}

export interface LogLine {
	level: 'debug' | 'warn';
	message: string;
	meta?: Record<string, unknown>;
}

export function captureLogger(): ClientLogger & { lines: LogLine[] } {
	const lines: LogLine[] = [];
	return {
		lines,
		debug: (message, meta) => lines.push({ level: 'debug', message, meta }),
		warn: (message, meta) => lines.push({ level: 'warn', message, meta }),
	};
}

export async function readText(stream: Readable): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}

/** Runs `fn`, expects an ImpalaApiError-like rejection and returns it. */
export async function rejection(fn: () => Promise<unknown>): Promise<import('../../src/client').ImpalaApiError> {
	try {
		await fn();
	} catch (error) {
		return error as import('../../src/client').ImpalaApiError;
	}
	assert.fail('expected the call to fail');
}

/** The key must appear nowhere a user or a log could see it. */
export function assertKeyAbsent(key: string, ...things: unknown[]): void {
	for (const thing of things) {
		const texts = [
			JSON.stringify(thing, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
			inspect(thing, { depth: 20, showHidden: true, getters: true }),
			thing instanceof Error ? `${thing.message}\n${thing.stack}` : '',
		];
		for (const text of texts) assert.ok(!text?.includes(key), `the API key leaked into: ${text?.slice(0, 500)}`);
	}
}
