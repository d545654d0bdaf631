import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { apiUrl } from './baseUrl';
import { errorFromNetwork, errorFromResponse, headerValue, invalidResponse, type CallContext } from './errorMapping';
import type { ImpalaApiError } from './errors';
import type { MultipartBody } from './multipart';
import { networkErrorCode, provablyNeverSent } from './repeatSafety';
import { retryDelayMs, shouldRetry, type AttemptOutcome, type RetrySettings } from './retry';
import type { ClientLogger } from './types';

export interface TransportSettings extends RetrySettings {
	/** The API root, ending in /v1 (see baseUrl.ts). */
	apiRoot: string;
	apiKey?: string;
	timeoutMs: number;
	logger?: ClientLogger;
	dispatcher?: Dispatcher;
}

/** One call as the resource classes describe it. */
export interface ApiCall {
	method: 'GET' | 'POST' | 'DELETE';
	/** Relative to the API root: `/batches/batch-1/cancel`. */
	path: string;
	query?: Record<string, string | number | undefined>;
	json?: unknown;
	multipart?: MultipartBody;
	signal?: AbortSignal;
	/** Verb phrase for messages: "create the batch". */
	action: string;
	/** Set by `batches.cancel`, so its refusals get cancel's own wording. */
	operation?: CallContext['operation'];
	resource?: 'batch' | 'file';
	id?: string;
	/** For POSTs: how the user can find out whether it went through. */
	checkBeforeRepeating?: string;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;
const USER_AGENT = 'n8n-nodes-impala';

/** The one place that talks HTTP: URL, auth header, timeouts, retries, logging and error mapping. */
export class Transport {
	readonly #apiKey: string | undefined;
	readonly #settings: Omit<TransportSettings, 'apiKey'>;
	readonly origin: string;

	constructor(settings: TransportSettings) {
		const { apiKey, ...rest } = settings;
		// Pasted keys often carry a space or newline; the credential's own test trims too.
		this.#apiKey = apiKey?.trim() || undefined;
		this.#settings = rest;
		this.origin = new URL(settings.apiRoot).origin;
	}

	/** Sends a call and parses the 2xx JSON answer with `schema` (an `invalid_response` error when it does not fit). */
	async json<S extends z.ZodTypeAny>(call: ApiCall, schema: S): Promise<z.output<S>> {
		const { value: text, ctx } = await this.#send(call, 'application/json', (response) => response.body.text());
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			throw invalidResponse(ctx, text.trim() ? 'the body is not JSON' : 'the body is empty', text, this.#apiKey);
		}
		const result = schema.safeParse(parsed);
		if (!result.success) {
			const problems = result.error.issues
				.slice(0, 5)
				.map((issue) => `${issue.path.length ? issue.path.join('.') : 'the body'}: ${issue.message}`)
				.join('; ');
			throw invalidResponse(ctx, problems, text, this.#apiKey);
		}
		return result.data;
	}

	/** Sends a call and hands back the 2xx body unread; non-2xx answers are read and thrown first. */
	async stream(call: ApiCall): Promise<Readable> {
		const { value: body, ctx } = await this.#send(call, '*/*', async (response) => response.body);
		// A cut or stalled download then surfaces as an ImpalaApiError on the returned stream, not a bare socket error.
		const out = new PassThrough();
		body.on('error', (error) => out.destroy(errorFromNetwork(ctx, error, this.#apiKey)));
		out.on('close', () => {
			if (!body.destroyed) body.destroy();
		});
		body.pipe(out);
		return out;
	}

	/**
	 * The attempt loop. `take` turns a 2xx answer into the result inside the attempt, so a connection
	 * cut while reading a JSON body counts as a failed attempt (retried for GET, reported for POST).
	 */
	async #send<T>(
		call: ApiCall,
		accept: string,
		take: (response: Dispatcher.ResponseData) => Promise<T>,
	): Promise<{ value: T; ctx: CallContext }> {
		const { maxRetries, timeoutMs, logger, dispatcher } = this.#settings;
		const url = this.#url(call);
		const ctx = this.#context(call);
		const logMeta = { method: ctx.method, path: ctx.path };

		for (let attempt = 1; ; attempt++) {
			const started = Date.now();
			logger?.debug(`Impala request ${ctx.method} ${ctx.path} (attempt ${attempt})`, { ...logMeta, attempt });
			let outcome: AttemptOutcome;
			let failure: () => ImpalaApiError;
			try {
				const response = await request(url, {
					method: call.method,
					headers: this.#headers(call, accept),
					// undici streams async iterables with backpressure; its typings only list Readable.
					body: this.#body(call) as string | Readable | undefined,
					signal: call.signal,
					headersTimeout: timeoutMs,
					bodyTimeout: timeoutMs,
					dispatcher,
				});
				const status = response.statusCode;
				logger?.debug(`Impala response ${status} to ${ctx.method} ${ctx.path} (attempt ${attempt}, ${Date.now() - started} ms)`, {
					...logMeta,
					status,
					attempt,
				});
				if (status >= 200 && status < 300) return { value: await take(response), ctx };
				const retryAfter = headerValue(response.headers, 'retry-after');
				outcome = { type: 'status', status, retryAfter };
				const bodyText = await readCapped(response.body).catch(() => '(the connection was cut while reading the answer)');
				failure = () => errorFromResponse(ctx, status, response.headers, bodyText, this.#apiKey);
			} catch (error) {
				if (call.signal?.aborted) throw errorFromNetwork(ctx, { code: 'ABORT_ERR' }, this.#apiKey);
				const code = networkErrorCode(error);
				logger?.debug(`Impala request ${ctx.method} ${ctx.path} failed: ${code ?? 'network error'} (attempt ${attempt})`, {
					...logMeta,
					code,
					attempt,
				});
				outcome = { type: 'network', code, neverSent: provablyNeverSent(error) };
				failure = () => errorFromNetwork(ctx, error, this.#apiKey);
			}

			const replayable = call.multipart ? call.multipart.replayable() : true;
			if (attempt > maxRetries || !shouldRetry(call.method, outcome, replayable)) throw failure();
			const delayMs = retryDelayMs(attempt, this.#settings, outcome.type === 'status' ? outcome.retryAfter : undefined);
			if (delayMs === undefined) throw failure();
			const why = outcome.type === 'status' ? `status ${outcome.status}` : (outcome.code ?? 'network error');
			logger?.debug(`Impala retry of ${ctx.method} ${ctx.path} after ${why} in ${delayMs} ms (attempt ${attempt + 1} of ${maxRetries + 1})`, {
				...logMeta,
				...(outcome.type === 'status' ? { status: outcome.status } : { code: outcome.code }),
				attempt: attempt + 1,
				delayMs,
			});
			try {
				await sleep(delayMs, undefined, { signal: call.signal });
			} catch {
				throw errorFromNetwork(ctx, { code: 'ABORT_ERR' }, this.#apiKey);
			}
		}
	}

	/** The error for an answer that parsed but cannot be used (for example a list that never ends). */
	invalid(call: ApiCall, problem: string): ImpalaApiError {
		return invalidResponse(this.#context(call), problem, '', this.#apiKey);
	}

	#context(call: ApiCall): CallContext {
		return {
			method: call.method,
			path: this.#url(call).slice(this.origin.length),
			origin: this.origin,
			action: call.action,
			operation: call.operation,
			resource: call.resource,
			id: call.id,
			hasApiKey: this.#apiKey !== undefined,
			checkBeforeRepeating: call.checkBeforeRepeating,
			timeoutMs: this.#settings.timeoutMs,
		};
	}

	#url(call: ApiCall): string {
		return apiUrl(this.#settings.apiRoot, call.path, call.query);
	}

	#headers(call: ApiCall, accept: string): Record<string, string> {
		const headers: Record<string, string> = { accept, 'user-agent': USER_AGENT };
		if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
		if (call.json !== undefined) headers['content-type'] = 'application/json';
		if (call.multipart) {
			headers['content-type'] = call.multipart.contentType;
			if (call.multipart.contentLength !== undefined) headers['content-length'] = String(call.multipart.contentLength);
		}
		return headers;
	}

	#body(call: ApiCall): string | AsyncIterable<Uint8Array> | undefined {
		if (call.multipart) return call.multipart.open();
		if (call.json !== undefined) return JSON.stringify(call.json);
		return undefined;
	}
}

/** Reads an error body up to a cap (an error page can be large) and drops the rest. */
async function readCapped(body: Readable): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of body) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(bytes);
		size += bytes.length;
		if (size >= MAX_ERROR_BODY_BYTES) {
			body.destroy();
			break;
		}
	}
	return Buffer.concat(chunks).toString('utf8');
}
