import { after, before, type TestContext } from 'node:test';
import { ImpalaClient } from '../../src/client';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator';
import { isTerminalStatus, type Batch, type BatchEndpoint, type CreateBatchBody } from '../../src/schemas';

export type { Emulator, EmulatorOptions };

/** Starts an emulator on 127.0.0.1 port 0 for one test and closes it when the test ends. */
export async function useEmulator(t: TestContext, options: EmulatorOptions = {}): Promise<Emulator> {
	const emu = await startEmulator({ ...options, port: 0 });
	t.after(() => emu.close());
	return emu;
}

/** Starts one emulator (port 0) before the suite and closes it after; the returned function gives it. */
export function useSuiteEmulator(options: EmulatorOptions = {}): () => Emulator {
	let emu: Emulator | undefined;
	before(async () => {
		emu = await startEmulator({ pace: { stepMs: 5 }, ...options, port: 0 });
	});
	after(async () => {
		await emu?.close();
	});
	return () => {
		if (!emu) throw new Error('emulator not started');
		return emu;
	};
}

// Raw-HTTP helpers for tests of the emulator itself (client tests use ImpalaClient instead).

/** A response as it came over the wire; `body` is parsed JSON when the content type says so, text otherwise. */
export interface RawResponse<T = any> {
	method: string;
	path: string;
	status: number;
	headers: Headers;
	contentType: string;
	body: T;
}

/** A fetch against the emulator (bypassing ImpalaClient), so tests see exactly what the server sent. */
export async function call<T = any>(emu: Emulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse<T>> {
	const init: RequestInit = { method, headers: { ...headers } };
	if (body instanceof FormData) init.body = body;
	else if (body !== undefined) {
		init.body = typeof body === 'string' ? body : JSON.stringify(body);
		(init.headers as Record<string, string>)['content-type'] = 'application/json';
	}
	const response = await fetch(`${emu.url}${path}`, init);
	const text = await response.text();
	const contentType = response.headers.get('content-type') ?? '';
	const parsed: unknown = contentType.includes('application/json') ? JSON.parse(text) : text;
	return { method, path, status: response.status, headers: response.headers, contentType, body: parsed as T };
}

/** Uploads `content` (JSONL text, or lines each ended with \n) as a file; extra form fields allowed. */
export async function uploadText(emu: Emulator, content: string | string[], fields: Record<string, string> = { purpose: 'batch' }, headers?: Record<string, string>) {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.set(name, value);
	form.set('file', new Blob([Array.isArray(content) ? jsonl(content) : content]), 'input.jsonl');
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

/**
 * A request line asking for JSON that follows `schema` (chat: `response_format` json_schema; responses:
 * `text.format`). The emulator answers with JSON built from the schema; see EmulatorOptions.answerFaults
 * (or `[[invalid]]` / `[[notjson]]` in the text) to make some answers break it.
 */
export function jsonSchemaLine(
	customId: string,
	text: string,
	schema: Record<string, unknown>,
	endpoint: '/v1/chat/completions' | '/v1/responses' = '/v1/chat/completions',
	model = 'm',
): string {
	const format =
		endpoint === '/v1/responses'
			? { text: { format: { type: 'json_schema', name: 'answer', schema, strict: true } } }
			: { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } } };
	return requestLine(customId, text, endpoint, model, format);
}

/** A chat request line (user message only) ended with \n; `[[fail]]` in the text or model 'impala-fail' fails that request. */
export function chatLine(customId: string, text: string, model = 'impala-test'): string {
	return jsonl([JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model, messages: [{ role: 'user', content: text }] } })]);
}

/** JSONL text: each line ended with \n (lines that already end with one are kept as they are). */
function jsonl(lines: string[]): string {
	return lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('');
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

/**
 * Polls the batch until it reaches a terminal status; fails after `timeoutMs`. With an ImpalaClient the
 * batch is read (and parsed) through the client, with an emulator through a raw GET.
 */
export async function waitForTerminal(source: ImpalaClient, batchId: string, timeoutMs?: number): Promise<Batch>;
export async function waitForTerminal(source: Emulator, batchId: string, timeoutMs?: number): Promise<any>;
export async function waitForTerminal(source: Emulator | ImpalaClient, batchId: string, timeoutMs = 15_000): Promise<any> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const batch = source instanceof ImpalaClient ? await source.batches.get(batchId) : (await call(source, 'GET', `/v1/batches/${batchId}`)).body;
		if (isTerminalStatus(batch.status)) return batch;
		if (Date.now() > deadline) throw new Error(`batch ${batchId} is still "${batch.status}" after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

/** With a manual-pace emulator: uploads one chat line per text (custom_id row-1, row-2, ...) through `client`, creates a batch and advances it to completed. */
export async function completedBatch(
	emu: Emulator,
	client: ImpalaClient,
	texts: string[],
	body: Partial<CreateBatchBody> = {},
): Promise<Batch> {
	const lines = texts.map((text, i) => chatLine(`row-${i + 1}`, text));
	const file = await client.files.upload({ file: Buffer.from(lines.join('')), filename: 'input.jsonl' });
	const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', ...body });
	return emu.advance(batch.id, 3); // validating -> in_progress -> finalizing -> completed
}

/** The parsed lines of JSONL text (blank lines skipped). */
export function jsonLines(text: string): any[] {
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line));
}

/** The JSON lines of a file's content ([] for a missing id). */
export async function fileLines(emu: Emulator, fileId: string | null | undefined): Promise<any[]> {
	if (!fileId) return [];
	const { status, body } = await call<string>(emu, 'GET', `/v1/files/${fileId}/content`);
	if (status !== 200) throw new Error(`content of ${fileId}: ${status}`);
	return jsonLines(body);
}
