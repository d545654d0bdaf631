// Shared by the client tests: an emulator per suite, a client on it, and small readers.
import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { after, before } from 'node:test';
import { ImpalaClient, type ClientLogger, type ImpalaClientOptions } from '../../src/client';
import { startEmulator } from '../../src/emulator';
import { isTerminalStatus, type Batch } from '../../src/schemas';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;
export type EmulatorOptions = NonNullable<Parameters<typeof startEmulator>[0]>;

/** Starts an emulator before the suite and closes it after; `get()` returns it. */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
	let emu: Emulator | undefined;
	before(async () => {
		emu = await startEmulator({ pace: { stepMs: 5 }, ...options });
	});
	after(async () => {
		await emu?.close();
	});
	return () => {
		if (!emu) throw new Error('emulator not started');
		return emu;
	};
}

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

export function chatLine(customId: string, text: string, model = 'impala-test'): string {
	return `${JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model, messages: [{ role: 'user', content: text }] } })}\n`;
}

export async function readText(stream: Readable): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks).toString('utf8');
}

export function jsonLines(text: string): Array<Record<string, unknown>> {
	return text
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Polls until the batch is terminal; bounded by a count, never by a clock. */
export async function waitForTerminal(client: ImpalaClient, id: string, maxPolls = 2000): Promise<Batch> {
	for (let i = 0; i < maxPolls; i++) {
		const batch = await client.batches.get(id);
		if (isTerminalStatus(batch.status)) return batch;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`batch ${id} did not finish after ${maxPolls} polls`);
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
