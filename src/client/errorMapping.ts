import { STATUS_CODES } from 'node:http';
import { ErrorEnvelopeSchema, LIMITS, ValidationErrorEnvelopeSchema } from '../schemas';
import { ImpalaApiError, type ImpalaApiErrorFields } from './errors';
import {
	ABORT_CODES,
	ANSWER_TIMEOUT_CODES,
	CALL_DEADLINE_CODE,
	CONNECT_TIMEOUT_CODES,
	isIdempotent,
	networkErrorCode,
	NO_HOST_CODES,
	provablyNeverSent,
	REFUSED_CODES,
	UNREACHABLE_CODES,
} from './repeatSafety';
import { redactSecret } from './redact';
import { shouldRetry } from './retry';
import { parseRetryAfter } from './retryAfter';

/** What a call was doing, so an error can say it in the user's terms. Never holds the API key. */
export interface CallContext {
	method: string;
	/** The URL's path and query, as shown in messages (`/v1/batches/batch-1`). */
	path: string;
	/** `http://host:port` of the base URL. */
	origin: string;
	/** What the user asked for, as a verb phrase: "create the batch", "download the file's content". */
	action: string;
	/** Set for calls whose refusals need their own wording (cancel: "nothing to cancel", "not supported"). */
	operation?: 'cancel';
	resource?: 'batch' | 'file';
	id?: string;
	hasApiKey: boolean;
	/** For calls that are not safe to repeat: how to find out whether it went through. */
	checkBeforeRepeating?: string;
	timeoutMs?: number;
	/** No progress on a body for this long ends the call. */
	stallTimeoutMs?: number;
	/** The proxy this call went through (HTTP_PROXY / HTTPS_PROXY), so a failure to reach it is named as such. */
	proxy?: { url: string; variable: string };
	/** Set by the transport once an attempt of this call may have been processed (its answer was lost). */
	afterUnknownAttempt?: boolean;
}

const BASE_URL_HINT = 'this base URL does not look like an Impala API: check the Base URL in the credential';

interface ServerDetail {
	message?: string;
	type?: string;
	code?: string;
	param?: string;
	/** True when the server said which input was wrong (`param`, or a `loc` in a 422 `detail`). */
	namesFields?: boolean;
	looksLikeHtml: boolean;
}

/** Builds the error for a non-2xx answer from its status, headers and (already read) body text. */
export function errorFromResponse(
	ctx: CallContext,
	status: number,
	headers: Record<string, string | string[] | undefined>,
	bodyText: string,
	secret?: string,
): ImpalaApiError {
	const detail = readServerDetail(bodyText, headerValue(headers, 'content-type'));
	const requestId = headerValue(headers, 'x-request-id') ?? headerValue(headers, 'request-id');
	const statusText = `${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
	const said = detail.message ? `: ${detail.message}` : '';
	const { headline, hint } = describeStatus(ctx, status, statusText, said, detail, headers);
	return buildError(
		headline,
		{
			kind: 'http',
			hint,
			// The retry rule's own answer: a 5xx to a POST is not worth repeating blindly (it may have been done).
			retryable: shouldRetry(ctx.method, { type: 'status', status }, true),
			// 501 is a refusal (the deployment has no such operation); any other 5xx may come after the work was done.
			outcomeUnknown: status >= 500 && status !== 501 && !isIdempotent(ctx.method),
			afterUnknownAttempt: ctx.afterUnknownAttempt,
			status,
			type: detail.type,
			code: detail.code,
			param: detail.param,
			requestId,
			method: ctx.method,
			path: ctx.path,
		},
		secret,
	);
}

function describeStatus(
	ctx: CallContext,
	status: number,
	statusText: string,
	said: string,
	detail: ServerDetail,
	headers: Record<string, string | string[] | undefined>,
): { headline: string; hint: string } {
	const where = `${ctx.method} ${ctx.path}`;
	const location = headerValue(headers, 'location');
	if (status >= 300 && status < 400 && location) {
		return {
			headline: `${ctx.origin} redirected ${where} to ${location} (${statusText})`,
			hint: 'use the address it redirects to in the Base URL of the credential (for example https:// instead of http://)',
		};
	}
	if (detail.looksLikeHtml) {
		const headline = `${ctx.origin} answered ${where} with a web page (${statusText}) instead of Impala's JSON`;
		// A 5xx page usually comes from a gateway or proxy in front of Impala, not from a wrong address.
		if (status >= 500 && !isIdempotent(ctx.method)) {
			return { headline, hint: `${outcomeUnknown(ctx)}; if it keeps happening, a gateway or proxy between n8n and Impala is failing` };
		}
		if (status >= 500) {
			return { headline, hint: 'a gateway or proxy between n8n and Impala answered with an error page: try again in a few minutes; if it keeps happening, check the Base URL in the credential' };
		}
		return { headline, hint: BASE_URL_HINT };
	}
	switch (status) {
		case 401:
			return {
				headline: `Impala did not accept the credentials when trying to ${ctx.action} (${statusText})${said}`,
				hint: ctx.hasApiKey
					? 'check the API key in the credential: Impala did not accept it'
					: 'this deployment needs an API key: check the API key in the credential',
			};
		case 403:
			return {
				headline: `Impala refused to ${ctx.action} (${statusText})${said}`,
				hint: 'check the API key in the credential: it is not allowed to do this',
			};
		case 404:
			if (ctx.id && ctx.resource) {
				return {
					headline: `The ${ctx.resource} "${ctx.id}" was not found (${statusText})${said}`,
					hint: `check the ${ctx.resource} ID "${ctx.id}", and that the Base URL points at the deployment that holds it`,
				};
			}
			return { headline: `${ctx.origin} has no ${where} (${statusText})${said}`, hint: BASE_URL_HINT };
		case 405:
			return { headline: `${ctx.origin} does not accept ${where} (${statusText})${said}`, hint: BASE_URL_HINT };
		case 413:
			return {
				headline: `The request to ${ctx.action} is larger than this deployment accepts (${statusText})${said}`,
				hint: `split the batch into smaller files (at most ${LIMITS.maxBatchFileBytes / 1_000_000} MB and ${LIMITS.maxRequestsPerBatch.toLocaleString('en-US')} requests each)`,
			};
		case 422:
		case 400: {
			const field = detail.param && !said.includes(detail.param) ? `, field ${detail.param}` : '';
			const headline = `Impala rejected the request to ${ctx.action} (${statusText}${field})${said}`;
			// Cancel sends no body: Impala refuses it only for a batch that can no longer be cancelled.
			if (isCancel(ctx) && status !== 422) return { headline, hint: 'the batch has already finished: there is nothing to cancel' };
			return {
				headline,
				hint: detail.namesFields
					? 'fix the fields named in the message and try again'
					: 'check the values you entered for this operation and try again',
			};
		}
		case 429: {
			const waitMs = parseRetryAfter(headerValue(headers, 'retry-after'));
			if (waitMs === undefined) {
				return {
					headline: `Impala's rate limit was reached when trying to ${ctx.action} (${statusText})${said}`,
					hint: "wait a minute and try again, or send fewer requests: your team's requests- or tokens-per-minute limit was exceeded",
				};
			}
			const seconds = Math.ceil(waitMs / 1000);
			return {
				headline: `Impala's rate limit was reached when trying to ${ctx.action} (${statusText})${said}; Impala asked to wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`,
				hint: "try again after that, or lower the request rate: your team's requests- or tokens-per-minute limit was exceeded",
			};
		}
		case 501:
			if (isCancel(ctx)) {
				const batch = ctx.id ? `batch ${ctx.id}` : 'a batch';
				return {
					headline: `Cancelling ${batch} is not supported by this deployment (${statusText})${said}`,
					hint: 'let the batch finish, or ask Impala to upgrade the deployment',
				};
			}
			return {
				headline: `This deployment does not implement ${where} (${statusText})${said}`,
				hint: 'ask Impala whether this deployment supports it, and check the Base URL in the credential',
			};
		default:
			if (status >= 500) {
				const headline = `Impala had a problem when trying to ${ctx.action} (${statusText})${said}`;
				if (!isIdempotent(ctx.method)) {
					return { headline, hint: `${outcomeUnknown(ctx)}; if it keeps failing, contact Impala and give them the request ID` };
				}
				return { headline, hint: 'try again in a few minutes; if it keeps failing, contact Impala and give them the request ID' };
			}
			return {
				headline: `Impala answered ${where} with ${statusText}${said}`,
				hint: 'check the request and the Base URL in the credential',
			};
	}
}

/** Reads either error shape, a FastAPI `{detail: "..."}`, a `{message}` or plain text, and spots HTML pages. */
function readServerDetail(bodyText: string, contentType?: string): ServerDetail {
	const text = bodyText.trim();
	if (looksLikeHtml(text, contentType)) return { looksLikeHtml: true };
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { looksLikeHtml: false, message: text ? snippet(text) : undefined };
	}
	const envelope = ErrorEnvelopeSchema.safeParse(json);
	if (envelope.success) {
		const e = envelope.data.error;
		return {
			looksLikeHtml: false,
			message: e.message ?? undefined,
			type: e.type ?? undefined,
			param: e.param ?? undefined,
			namesFields: Boolean(e.param),
			code: e.code === null || e.code === undefined ? undefined : String(e.code),
		};
	}
	const validation = ValidationErrorEnvelopeSchema.safeParse(json);
	if (validation.success) {
		const items = validation.data.detail;
		const message = items
			.map((d) => (d.loc && d.loc.length ? `${d.loc.join('.')}: ${d.msg}` : d.msg))
			.join('; ');
		const params = items.map((d) => (d.loc ? d.loc.filter((p) => p !== 'body' && p !== 'query').join('.') : ''));
		return {
			looksLikeHtml: false,
			message: message || undefined,
			type: items[0]?.type,
			param: params.filter(Boolean).join(', ') || undefined,
			namesFields: items.some((d) => d.loc && d.loc.length > 0),
		};
	}
	if (json && typeof json === 'object') {
		const obj = json as Record<string, unknown>;
		for (const key of ['detail', 'message', 'error']) {
			if (typeof obj[key] === 'string' && obj[key]) return { looksLikeHtml: false, message: obj[key] as string };
		}
	}
	return { looksLikeHtml: false, message: snippet(text) };
}

export function looksLikeHtml(text: string, contentType?: string): boolean {
	if (contentType && /text\/html/i.test(contentType)) return true;
	return /^<(!doctype\s+html|html|head|body)\b/i.test(text.trimStart());
}

function snippet(text: string): string {
	const oneLine = text.replace(/\s+/g, ' ').trim();
	return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}

/** Builds the error for a failure below HTTP: refused, unknown host, reset, timeout, abort, TLS. */
export function errorFromNetwork(ctx: CallContext, error: unknown, secret?: string): ImpalaApiError {
	const code = networkErrorCode(error);
	const where = `${ctx.method} ${ctx.path}`;
	const host = safeHost(ctx.origin);
	const repeatSafe = isIdempotent(ctx.method);
	const neverSent = provablyNeverSent(error);
	const unknown = !repeatSafe && !neverSent;
	const uncertain = unknown ? `; ${outcomeUnknown(ctx)}` : '';
	const base = { method: ctx.method, path: ctx.path, code, outcomeUnknown: unknown, afterUnknownAttempt: ctx.afterUnknownAttempt };

	if (code && ABORT_CODES.has(code)) {
		return buildError(`The request to ${ctx.action} was cancelled`, { ...base, kind: 'aborted', hint: `the call was stopped before Impala answered${uncertain}`, retryable: false }, secret);
	}
	if (code && ctx.proxy && (REFUSED_CODES.has(code) || NO_HOST_CODES.has(code) || CONNECT_TIMEOUT_CODES.has(code)) && neverSent) {
		return buildError(`could not reach the proxy ${ctx.proxy.url} (set in ${ctx.proxy.variable}) to ${ctx.action} (${code})`, { ...base, kind: 'network', hint: `check the ${ctx.proxy.variable} and NO_PROXY settings of n8n, and that the proxy is running`, retryable: true }, secret);
	}
	if (code && REFUSED_CODES.has(code)) {
		return buildError(`could not reach ${ctx.origin} to ${ctx.action}: nothing answers at ${host} (connection refused)`, { ...base, kind: 'network', hint: 'check the host and port in the Base URL, and that the server is running', retryable: true }, secret);
	}
	if (code && NO_HOST_CODES.has(code)) {
		return buildError(`could not find the host ${host} to ${ctx.action} (${code})`, { ...base, kind: 'network', hint: 'check the Base URL in the credential and the DNS or private link to the deployment', retryable: code === 'EAI_AGAIN' }, secret);
	}
	if (code && UNREACHABLE_CODES.has(code)) {
		return buildError(`could not reach ${ctx.origin} to ${ctx.action} (${code})`, { ...base, kind: 'network', hint: `check the Base URL and the network (VPN, private link) between n8n and the server${uncertain}`, retryable: repeatSafe || neverSent }, secret);
	}
	if (code && (CONNECT_TIMEOUT_CODES.has(code) || (code === 'ETIMEDOUT' && neverSent))) {
		return buildError(`could not connect to ${ctx.origin} in time to ${ctx.action}`, { ...base, kind: 'timeout', hint: 'check the Base URL and that the server is running and reachable from n8n', retryable: true }, secret);
	}
	if (code && ANSWER_TIMEOUT_CODES.has(code)) {
		const span = duration(ctx.timeoutMs);
		const stall = duration(ctx.stallTimeoutMs ?? ctx.timeoutMs);
		const headline =
			code === 'UND_ERR_BODY_TIMEOUT'
				? `Impala stopped sending its answer to ${where} for ${stall ? `more than ${stall}` : 'too long'}`
				: code === CALL_DEADLINE_CODE
					? `Impala's answer to ${where} did not arrive in full${span ? ` within ${span}` : ' in time'}`
					: `Impala did not answer ${where}${span ? ` within ${span}` : ' in time'}`;
		return buildError(headline, { ...base, kind: 'timeout', hint: `Impala can be slow under load: try again later or raise the timeout${uncertain}`, retryable: repeatSafe }, secret);
	}
	if (code && (/^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code) || code === 'EPROTO')) {
		return buildError(`could not open a secure connection to ${ctx.origin} (${code})`, { ...base, kind: 'network', hint: "check whether the Base URL should start with http:// or https://, and the server's certificate", retryable: false }, secret);
	}
	const reason = error instanceof Error && error.message ? error.message : String(error);
	return buildError(
		`the connection to ${ctx.origin} failed before Impala's answer to ${where} was complete (${code ? `${code}: ` : ''}${reason})`,
		{ ...base, kind: 'network', hint: `try again; if it keeps happening, check the network or proxy between n8n and the server${uncertain}`, retryable: repeatSafe },
		secret,
	);
}

/** For a call that is not safe to repeat and may have gone through: the outcome is unknown, and how to check. */
function outcomeUnknown(ctx: CallContext): string {
	return `${unknownOutcomeLead(ctx.action)}; nothing was checked yet: ${ctx.checkBeforeRepeating ?? 'check its result'} before trying again, so it is not done twice`;
}

/** The words every "outcome unknown" hint starts with. */
export function unknownOutcomeLead(action: string): string {
	return `the outcome is unknown: it is not known whether Impala received the request to ${action}`;
}

function duration(ms: number | undefined): string | undefined {
	if (!ms) return undefined;
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** A 2xx answer whose body is not what the API documents. */
export function invalidResponse(ctx: CallContext, problem: string, bodyText: string, secret?: string): ImpalaApiError {
	const html = looksLikeHtml(bodyText);
	// A POST that got an unusable 2xx was most likely done: the answer was lost on the way (cut, emptied, replaced).
	const unknown = !isIdempotent(ctx.method);
	let hint = html ? BASE_URL_HINT : 'check the Base URL in the credential; if it is right, report this answer to Impala';
	if (unknown) hint = `${outcomeUnknown(ctx)}; if it keeps happening, check the network or proxy between n8n and Impala`;
	return buildError(
		html ? `${ctx.origin} answered ${ctx.method} ${ctx.path} with a web page instead of Impala's JSON` : `Impala's answer to ${ctx.method} ${ctx.path} is not what the API documents: ${problem}`,
		{
			kind: 'invalid_response',
			hint,
			retryable: false,
			outcomeUnknown: unknown,
			afterUnknownAttempt: ctx.afterUnknownAttempt,
			method: ctx.method,
			path: ctx.path,
		},
		secret,
	);
}

export interface TransferCutFacts {
	fileId: string;
	/** The file's size (its `bytes`). */
	expected: number;
	/** Bytes that arrived on the last read. */
	received: number;
	/** Content-Length of the last read, when sent. */
	announced?: number;
	attempts: number;
	cause?: unknown;
}

/** A download that never arrived whole, however often it was read. */
export function transferCut(ctx: CallContext, facts: TransferCutFacts, secret?: string): ImpalaApiError {
	const { fileId, expected, received, announced, attempts } = facts;
	const replaced = announced !== undefined && announced !== expected;
	const what = replaced
		? `an answer of ${announced} bytes arrived instead of the file's ${expected} bytes`
		: `${received} of the file's ${expected} bytes arrived`;
	return buildError(
		`The transfer of file ${fileId} was cut: ${what} (read ${attempts} ${attempts === 1 ? 'time' : 'times'}); nothing from it was used`,
		{
			kind: 'network',
			hint: 'try again later; if it keeps happening, check the network or proxy between n8n and Impala',
			retryable: true,
			code: 'TRANSFER_CUT',
			method: ctx.method,
			path: ctx.path,
		},
		secret,
	);
}

/**
 * The same error with what the package checked after the outcome became unknown, and the advice that
 * follows from it (replacing the generic "check before trying again").
 */
export function withCheckResult(error: ImpalaApiError, action: string, checked: string, advice: string, secret?: string): ImpalaApiError {
	return buildError(
		error.summary,
		{ ...errorFields(error), hint: `${unknownOutcomeLead(action)}; ${checked}; ${advice}`, retryable: false, outcomeUnknown: true },
		secret,
	);
}

/** The fields of an error, for building a new one from it (the fields are already redacted). */
export function errorFields(error: ImpalaApiError): Omit<ImpalaApiErrorFields, 'summary'> {
	return {
		kind: error.kind,
		hint: error.hint,
		retryable: error.retryable,
		outcomeUnknown: error.outcomeUnknown,
		afterUnknownAttempt: error.afterUnknownAttempt,
		status: error.status,
		type: error.type,
		code: error.code,
		param: error.param,
		requestId: error.requestId,
		method: error.method,
		path: error.path,
	};
}

/** Composes summary and hint into the message every ImpalaApiError carries ("Summary. Hint."). */
export function composeError(headline: string, fields: Omit<ImpalaApiErrorFields, 'summary'>, secret?: string): ImpalaApiError {
	return buildError(headline, fields, secret);
}

function buildError(headline: string, fields: Omit<ImpalaApiErrorFields, 'summary'>, secret?: string): ImpalaApiError {
	const sentence = (text: string) => capitalize(text.trim().replace(/[.\s]+$/, ''));
	const clean: ImpalaApiErrorFields = { ...fields, summary: redactSecret(`${sentence(headline)}.`, secret) };
	for (const key of ['hint', 'type', 'code', 'param', 'requestId', 'path'] as const) {
		const value = clean[key];
		if (typeof value === 'string') (clean as unknown as Record<string, string>)[key] = redactSecret(value, secret);
		else if (value === undefined) delete clean[key];
	}
	return new ImpalaApiError(`${clean.summary} ${sentence(clean.hint)}.`, clean);
}



/** Capitalises a sentence, except one that starts with an address ("http://host answered ..."). */
function capitalize(text: string): string {
	if (!text || /^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
	return text[0].toUpperCase() + text.slice(1);
}

function isCancel(ctx: CallContext): boolean {
	return ctx.operation === 'cancel';
}

function safeHost(origin: string): string {
	try {
		return new URL(origin).host;
	} catch {
		return origin;
	}
}

/** A response header's value (the first one when it was sent several times). */
export function headerValue(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}
