import type { IncomingMessage, ServerResponse } from 'node:http';

/** A problem answered to the caller; thrown by handlers, turned into a response by the server. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(typeof body === 'object' && body !== null ? JSON.stringify(body) : String(body));
	}
}

export interface ErrorFields {
	message: string;
	type?: string;
	param?: string | null;
	code?: string | null;
}

/** `{"error": {message, type, param, code}}`: 404 everywhere, 422 on create batch, 401, 429, 5xx, 501 on cancel. */
export function errorEnvelope(fields: ErrorFields) {
	return {
		error: {
			message: fields.message,
			type: fields.type ?? 'invalid_request_error',
			param: fields.param ?? null,
			code: fields.code ?? null,
		},
	};
}

export function apiError(status: number, fields: ErrorFields, headers?: Record<string, string>): HttpError {
	return new HttpError(status, errorEnvelope(fields), headers);
}

export interface DetailItem {
	loc: Array<string | number>;
	msg: string;
	type: string;
	input?: unknown;
}

/** `{"detail": [{loc, msg, type}]}`: FastAPI-style 422 on every endpoint but create batch. */
export function validationError(items: DetailItem[]): HttpError {
	return new HttpError(422, { detail: items });
}

export function notFound(kind: 'File' | 'Batch', id: string): HttpError {
	const param = kind === 'File' ? 'file_id' : 'batch_id';
	return apiError(404, {
		message: `No ${kind.toLowerCase()} found with id '${id}'.`,
		param,
		code: `${kind.toLowerCase()}_not_found`,
	});
}

/** JSON with an explicit Content-Length, so a reset mid-body is detectable by the client. */
export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = Buffer.from(JSON.stringify(body));
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(text.length), ...headers });
	res.end(text);
}

/** A JSON object (not null, not an array): what a request body and a request line must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_JSON_BODY_BYTES = 1_000_000;

/** Reads a small JSON request body; undefined when it is not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_JSON_BODY_BYTES) {
			throw apiError(413, { message: 'The request body is larger than 1 MB.', code: 'request_too_large' });
		}
		chunks.push(chunk);
	}
	try {
		return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
	} catch {
		return { ok: false };
	}
}
