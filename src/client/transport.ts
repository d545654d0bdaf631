import { PassThrough, type Readable } from 'node:stream';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { anySignal } from './anySignal';
import { apiUrl } from './baseUrl';
import { errorFromNetwork, errorFromResponse, headerValue, invalidResponse, withCheckResult, type CallContext } from './errorMapping';
import type { ImpalaApiError } from './errors';
import type { MultipartBody } from './multipart';
import { proxyDispatcher, proxyFor, type ProxySettings } from './proxy';
import { CALL_DEADLINE_CODE, networkErrorCode, provablyNeverSent } from './repeatSafety';
import { retryDelayMs, shouldRetry, type AttemptOutcome, type RetrySettings } from './retry';
import type { ClientLogger } from './types';
import { undici } from './undici';

export interface TransportSettings extends RetrySettings {
	/** The API root, ending in /v1 (see baseUrl.ts). */
	apiRoot: string;
	apiKey?: string;
	/** Whole-attempt deadline: connect, send, headers and the whole body. */
	timeoutMs: number;
	/** No progress on an answer's body for this long ends the attempt. */
	stallTimeoutMs: number;
	logger?: ClientLogger;
	/** An explicit dispatcher wins over the proxy settings. */
	dispatcher?: Dispatcher;
	/** HTTP_PROXY / HTTPS_PROXY / NO_PROXY as read when the client was made (see proxy.ts). */
	proxy?: ProxySettings;
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
	/** Set when an earlier send of the same request may have been done (a reconciling retry). */
	afterUnknownAttempt?: boolean;
}

/** A 2xx body handed over unread, with what the server said about it. */
export interface Download {
	body: Readable;
	/** Content-Length when the server sent one. */
	contentLength?: number;
	contentType?: string;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;
const USER_AGENT = 'n8n-nodes-impala';

/** A 2xx whose body cannot be used; thrown inside an attempt so the retry rule sees it. */
class AnswerProblem {
	constructor(
		readonly error: ImpalaApiError,
		readonly cut: boolean,
	) {}
}

/** The deadline of one attempt: aborts the request when `timeoutMs` has passed, whatever the server still sends. */
class AttemptGuard {
	readonly signal: AbortSignal;
	expired = false;
	readonly #controller = new AbortController();
	readonly #timer: NodeJS.Timeout;

	constructor(outer: AbortSignal | undefined, ms: number) {
		this.signal = anySignal(outer, this.#controller.signal)!;
		this.#timer = setTimeout(() => {
			this.expired = true;
			this.#controller.abort(deadlineError());
		}, ms);
	}

	clear(): void {
		clearTimeout(this.#timer);
	}
}

/** The deadline passed: before any answer came (no answer in time), or while it was arriving (too slow). */
function deadlineError(answered = true): Error {
	return answered
		? Object.assign(new Error('The answer did not arrive in full before the deadline'), { code: CALL_DEADLINE_CODE })
		: Object.assign(new Error('No answer before the deadline'), { code: 'UND_ERR_HEADERS_TIMEOUT' });
}

/** The one place that talks HTTP: URL, auth header, timeouts, retries, logging and error mapping. */
export class Transport {
	readonly #apiKey: string | undefined;
	readonly #settings: Omit<TransportSettings, 'apiKey'>;
	readonly origin: string;
	/** Server clock minus local clock, from the last answer's Date header. */
	#clockOffsetMs: number | undefined;

	constructor(settings: TransportSettings) {
		const { apiKey, ...rest } = settings;
		// Pasted keys often carry a space or newline; the credential's own test trims too.
		this.#apiKey = apiKey?.trim() || undefined;
		this.#settings = rest;
		this.origin = new URL(settings.apiRoot).origin;
	}

	get logger(): ClientLogger | undefined {
		return this.#settings.logger;
	}

	get settings(): Readonly<Omit<TransportSettings, 'apiKey' | 'dispatcher' | 'logger' | 'proxy'>> {
		const { dispatcher: _d, logger: _l, proxy: _p, ...rest } = this.#settings;
		return rest;
	}

	/** The server's clock now (ms), from the last answer's Date header; undefined before any answer had one. */
	serverNowMs(): number | undefined {
		return this.#clockOffsetMs === undefined ? undefined : Date.now() + this.#clockOffsetMs;
	}

	/** The same error, saying what was checked after its outcome became unknown and what to do (see errorMapping). */
	checked(error: ImpalaApiError, action: string, checked: string, advice: string): ImpalaApiError {
		return withCheckResult(error, action, checked, advice, this.#apiKey);
	}

	/** An error for a failure found by the client itself after a request (a cut download), built like the others. */
	failure(call: ApiCall, build: (ctx: CallContext, secret: string | undefined) => ImpalaApiError): ImpalaApiError {
		return build(this.#context(call), this.#apiKey);
	}

	/** Sends a call and parses the 2xx JSON answer with `schema` (an `invalid_response` error when it does not fit). */
	async json<S extends z.ZodTypeAny>(call: ApiCall, schema: S): Promise<z.output<S>> {
		const { value } = await this.#send(call, 'application/json', async (response, ctx) => {
			const text = await response.body.text();
			return this.#parse(ctx, text, schema);
		});
		return value;
	}

	/** Sends a call and hands back the 2xx body unread; non-2xx answers are read and thrown first. */
	async stream(call: ApiCall): Promise<Readable> {
		return (await this.download(call)).body;
	}

	/**
	 * Like `stream`, with Content-Length and Content-Type. The call's deadline keeps running while the
	 * body is read; a cut, stalled or late body surfaces as an ImpalaApiError on the stream.
	 */
	async download(call: ApiCall): Promise<Download> {
		const { value } = await this.#send(
			call,
			'*/*',
			async (response, ctx, guard) => {
				const body = response.body;
				const out = new PassThrough();
				body.on('error', (error) => out.destroy(errorFromNetwork(ctx, guard.expired ? deadlineError() : error, this.#apiKey)));
				body.on('end', () => guard.clear());
				out.on('close', () => {
					guard.clear();
					if (!body.destroyed) body.destroy();
				});
				body.pipe(out);
				const length = Number(headerValue(response.headers, 'content-length'));
				return {
					body: out as Readable,
					contentLength: Number.isInteger(length) && length >= 0 ? length : undefined,
					contentType: headerValue(response.headers, 'content-type'),
				};
			},
			true,
		);
		return value;
	}

	#parse<S extends z.ZodTypeAny>(ctx: CallContext, text: string, schema: S): z.output<S> {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			const empty = !text.trim();
			const problem = empty ? 'the body is empty' : 'the body is not JSON (it may have been cut short)';
			// Unreadable (cut, empty, or replaced by a page on the way): a read may simply be read again.
			throw new AnswerProblem(invalidResponse(ctx, problem, text, this.#apiKey), true);
		}
		const result = schema.safeParse(parsed);
		if (!result.success) {
			const problems = result.error.issues
				.slice(0, 5)
				.map((issue) => `${issue.path.length ? issue.path.join('.') : 'the body'}: ${issue.message}`)
				.join('; ');
			throw new AnswerProblem(invalidResponse(ctx, problems, text, this.#apiKey), false);
		}
		return result.data;
	}

	/**
	 * The attempt loop. `take` turns a 2xx answer into the result inside the attempt, so a connection
	 * cut while reading a body, or a body that arrived cut, counts as a failed attempt (retried for GET
	 * and DELETE, reported as "outcome unknown" for POST). `keepGuard`: the deadline keeps running after
	 * `take` (a stream read later), and `take` clears it.
	 */
	async #send<T>(
		call: ApiCall,
		accept: string,
		take: (response: Dispatcher.ResponseData, ctx: CallContext, guard: AttemptGuard) => Promise<T>,
		keepGuard = false,
	): Promise<{ value: T; ctx: CallContext }> {
		const { maxRetries, timeoutMs, stallTimeoutMs, logger } = this.#settings;
		const dispatcher = this.#settings.dispatcher ?? (await proxyDispatcher(this.#settings.proxy));
		const { request } = await undici();
		const url = this.#url(call);
		const ctx = this.#context(call);
		const logMeta = { method: ctx.method, path: ctx.path };

		for (let attempt = 1; ; attempt++) {
			const started = Date.now();
			logger?.debug(`Impala request ${ctx.method} ${ctx.path} (attempt ${attempt})`, { ...logMeta, attempt });
			let outcome: AttemptOutcome;
			let failure: () => ImpalaApiError;
			const guard = new AttemptGuard(call.signal, timeoutMs);
			let answered = false;
			try {
				const response = await request(url, {
					method: call.method,
					headers: this.#headers(call, accept),
					// undici streams async iterables with backpressure; its typings only list Readable.
					body: this.#body(call) as string | Readable | undefined,
					signal: guard.signal,
					headersTimeout: timeoutMs,
					bodyTimeout: stallTimeoutMs,
					dispatcher,
				});
				const status = response.statusCode;
				answered = true;
				this.#noteServerClock(response.headers);
				logger?.debug(`Impala response ${status} to ${ctx.method} ${ctx.path} (attempt ${attempt}, ${Date.now() - started} ms)`, {
					...logMeta,
					status,
					attempt,
				});
				if (status >= 200 && status < 300) {
					const value = await take(response, ctx, guard);
					if (!keepGuard) guard.clear();
					return { value, ctx };
				}
				const retryAfter = headerValue(response.headers, 'retry-after');
				outcome = { type: 'status', status, retryAfter };
				const bodyText = await readCapped(response.body).catch(() => '(the connection was cut while reading the answer)');
				guard.clear();
				failure = () => errorFromResponse(ctx, status, response.headers, bodyText, this.#apiKey);
			} catch (error) {
				guard.clear();
				if (call.signal?.aborted) throw errorFromNetwork(ctx, { code: 'ABORT_ERR' }, this.#apiKey);
				if (error instanceof AnswerProblem) {
					logger?.debug(`Impala answer to ${ctx.method} ${ctx.path} could not be used (attempt ${attempt})`, { ...logMeta, attempt });
					outcome = { type: 'invalid', cut: error.cut };
					failure = () => error.error;
				} else {
					const cause = guard.expired ? deadlineError(answered) : error;
					const code = networkErrorCode(cause);
					logger?.debug(`Impala request ${ctx.method} ${ctx.path} failed: ${code ?? 'network error'} (attempt ${attempt})`, {
						...logMeta,
						code,
						attempt,
					});
					outcome = { type: 'network', code, neverSent: provablyNeverSent(cause) };
					failure = () => errorFromNetwork(ctx, cause, this.#apiKey);
				}
			}

			const replayable = call.multipart ? call.multipart.replayable() : true;
			if (attempt > maxRetries || !shouldRetry(call.method, outcome, replayable)) throw failure();
			const delayMs = retryDelayMs(attempt, this.#settings, outcome.type === 'status' ? outcome.retryAfter : undefined);
			if (delayMs === undefined) throw failure();
			// From now on an error of this call may follow an attempt that was done (a DELETE's 404 then means "already deleted").
			if (mayHaveBeenProcessed(outcome)) ctx.afterUnknownAttempt = true;
			const why = outcome.type === 'status' ? `status ${outcome.status}` : outcome.type === 'invalid' ? 'an unusable answer' : (outcome.code ?? 'network error');
			logger?.debug(`Impala retry of ${ctx.method} ${ctx.path} after ${why} in ${delayMs} ms (attempt ${attempt + 1} of ${maxRetries + 1})`, {
				...logMeta,
				...(outcome.type === 'status' ? { status: outcome.status } : outcome.type === 'network' ? { code: outcome.code } : {}),
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

	#noteServerClock(headers: Record<string, string | string[] | undefined>): void {
		const date = headerValue(headers, 'date');
		const at = date ? Date.parse(date) : NaN;
		if (Number.isFinite(at)) this.#clockOffsetMs = at - Date.now();
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
			stallTimeoutMs: this.#settings.stallTimeoutMs,
			afterUnknownAttempt: call.afterUnknownAttempt,
			proxy: this.#settings.dispatcher ? undefined : proxyFor(this.#settings.proxy, this.origin),
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

/** An attempt whose request reached the server and may have been carried out although no usable answer came. */
function mayHaveBeenProcessed(outcome: AttemptOutcome): boolean {
	if (outcome.type === 'status') return outcome.status >= 500 && outcome.status !== 501;
	if (outcome.type === 'invalid') return true;
	return !outcome.neverSent;
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
