import type { TestContext } from 'node:test';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { TERMINAL_BATCH_STATUSES, type BatchEndpoint } from '../../src/schemas';

/** Starts an emulator on 127.0.0.1 port 0 for one test and closes it when the test ends. */
export async function useEmulator(t: TestContext, options: EmulatorOptions = {}): Promise<Emulator> {
	const emu = await startEmulator({ ...options, port: 0 });
	t.after(() => emu.close());
	return emu;
}

// Raw-HTTP helpers for tests of the emulator itself (client tests use ImpalaClient instead).

export interface RawResponse<T = any> {
	status: number;
	headers: Headers;
	body: T;
}

/** A fetch against the emulator that parses JSON answers (raw text otherwise). */
export async function call<T = any>(emu: Emulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse<T>> {
	const init: RequestInit = { method, headers: { ...headers } };
	if (body instanceof FormData) init.body = body;
	else if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		(init.headers as Record<string, string>)['content-type'] = 'application/json';
	}
	const response = await fetch(`${emu.url}${path}`, init);
	const text = await response.text();
	let parsed: unknown = text;
	if ((response.headers.get('content-type') ?? '').includes('application/json')) parsed = JSON.parse(text);
	return { status: response.status, headers: response.headers, body: parsed as T };
}

/** Uploads `content` (JSONL text, or lines joined with \n) as a file; extra form fields allowed. */
export async function uploadText(emu: Emulator, content: string | string[], fields: Record<string, string> = { purpose: 'batch' }, headers?: Record<string, string>) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.set(name, value);
	form.set('file', new Blob([Array.isArray(content) ? content.join('\n') : content]), 'input.jsonl');
	return call(emu, 'POST', '/v1/files', form, headers);
}

export type Endpoint = BatchEndpoint;

/** A request line for `endpoint` with a body of that endpoint built from `text`. */
export function requestLine(customId: string, text: string, endpoint: Endpoint = '/v1/chat/completions', model = 'm', extra: Record<string, unknown> = {}): string {
	const bodies: Record<Endpoint, Record<string, unknown>> = {
		'/v1/chat/completions': { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: text }] },
		'/v1/responses': { input: text, instructions: 'Be brief.' },
		'/v1/embeddings': { input: text },
		'/v1/completions': { prompt: text },
	};
	return JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body: { model, ...bodies[endpoint], ...extra } });
}

/** Uploads the lines and creates a batch; returns the created batch (HTTP status asserted by the caller). */
export async function createBatchFrom(emu: Emulator, lines: string[], body: Record<string, unknown> = {}) {
	const file = await uploadText(emu, lines);
	if (file.status !== 200) throw new Error(`upload failed: ${file.status} ${JSON.stringify(file.body)}`);
	return call(emu, 'POST', '/v1/batches', {
		input_file_id: file.body.id,
		endpoint: '/v1/chat/completions',
		completion_window: 'unlimited',
		...body,
	});
}

/** Polls GET /v1/batches/{id} until the batch reaches a terminal status; fails after `timeoutMs`. */
export async function waitForTerminal(emu: Emulator, batchId: string, timeoutMs = 15_000): Promise<any> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { body } = await call(emu, 'GET', `/v1/batches/${batchId}`);
		if ((TERMINAL_BATCH_STATUSES as readonly string[]).includes(body.status)) return body;
		if (Date.now() > deadline) throw new Error(`batch ${batchId} is still "${body.status}" after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** The JSON lines of a file's content ([] for a missing id). */
export async function fileLines(emu: Emulator, fileId: string | null | undefined): Promise<any[]> {
	if (!fileId) return [];
	const { status, body } = await call<string>(emu, 'GET', `/v1/files/${fileId}/content`);
	if (status !== 200) throw new Error(`content of ${fileId}: ${status}`);
	return body.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}
