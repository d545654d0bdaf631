import { FormData, request } from 'undici';
import type { Emulator } from '../../src/emulator';

/** A response as it came over the wire: status, content type and the JSON body (text when not JSON). */
export interface WireResponse {
	method: string;
	path: string;
	status: number;
	contentType: string;
	body: any;
}

export interface RawOptions {
	json?: unknown;
	form?: FormData;
	headers?: Record<string, string>;
}

/** One request with undici, bypassing ImpalaClient, so tests see exactly what the server sent. */
export async function raw(emu: Emulator, method: string, path: string, options: RawOptions = {}): Promise<WireResponse> {
	const headers: Record<string, string> = { ...options.headers };
	let body: string | FormData | undefined;
	if (options.form) body = options.form;
	else if (options.json !== undefined) {
		body = JSON.stringify(options.json);
		headers['content-type'] = 'application/json';
	}
	const response = await request(`${emu.url}${path}`, { method: method as 'GET', headers, body });
	const text = await response.body.text();
	const contentType = String(response.headers['content-type'] ?? '');
	return {
		method,
		path,
		status: response.statusCode,
		contentType,
		body: contentType.includes('application/json') ? JSON.parse(text) : text,
	};
}

/** Uploads `lines` as a JSONL file through multipart, with `fields` as extra form fields. */
export async function rawUpload(
	emu: Emulator,
	lines: string[],
	fields: Record<string, string> = { purpose: 'batch' },
	headers?: Record<string, string>,
): Promise<WireResponse> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.set(name, value);
	form.set('file', new Blob([`${lines.join('\n')}\n`]), 'input.jsonl');
	return raw(emu, 'POST', '/v1/files', { form, headers });
}

/** A chat request line for `custom_id`; `[[fail]]` in the text makes the emulator fail that request. */
export function chatLine(customId: string, text: string, model = 'm'): string {
	return JSON.stringify({
		custom_id: customId,
		method: 'POST',
		url: '/v1/chat/completions',
		body: { model, messages: [{ role: 'user', content: text }] },
	});
}

/** Uploads `lines` and creates a chat batch from them; both wire responses are returned. */
export async function rawCreateBatch(emu: Emulator, lines: string[], extra: Record<string, unknown> = {}) {
	const upload = await rawUpload(emu, lines);
	if (upload.status !== 200) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.body)}`);
	const created = await raw(emu, 'POST', '/v1/batches', {
		json: { input_file_id: upload.body.id, endpoint: '/v1/chat/completions', completion_window: 'unlimited', ...extra },
	});
	return { upload, created };
}
