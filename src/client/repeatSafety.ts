import { failedWhileConnecting } from './connectPhase';

/**
 * What makes a request safe to repeat, in one place: retry.ts decides from it whether to retry, and
 * errorMapping.ts whether an error is `retryable` and whether to warn that the outcome is unknown.
 */

/** Methods that may be sent twice without doing the work twice (POST creates, cancels, uploads). */
export function isIdempotent(method: string): boolean {
	return method === 'GET' || method === 'DELETE' || method === 'HEAD';
}

/** Statuses worth trying again later (rate limit, server trouble); for a POST only 429 is (see retry.ts). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

export const REFUSED_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED']);
export const NO_HOST_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
export const CONNECT_TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT']);
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETDOWN']);
/** The transport's own code for an answer that did not arrive in full within the call's deadline (`timeoutMs`). */
export const CALL_DEADLINE_CODE = 'IMPALA_CALL_DEADLINE';
/** Codes of a request that was sent but not answered in time (no answer, a stalled body, the whole-call deadline). */
export const ANSWER_TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', CALL_DEADLINE_CODE]);
export const ABORT_CODES: ReadonlySet<string> = new Set(['UND_ERR_ABORTED', 'ABORT_ERR']);

/**
 * Network-level codes that prove the request never left this machine (safe to repeat any request).
 * Not ETIMEDOUT, EHOSTUNREACH or ENETUNREACH: Node also raises them on a connected socket, after the
 * body was sent; they count as never sent only when undici raised them while connecting (connectPhase.ts).
 */
export const NEVER_SENT_CODES: ReadonlySet<string> = new Set([...REFUSED_CODES, ...NO_HOST_CODES, ...CONNECT_TIMEOUT_CODES]);

/** True when the failed request provably never reached the server: a never-sent code, or a failed connect. */
export function provablyNeverSent(error: unknown): boolean {
	const code = networkErrorCode(error);
	return (code !== undefined && NEVER_SENT_CODES.has(code)) || failedWhileConnecting(error);
}

/** The code of a network error; undici and Node nest it (`cause`, AggregateError.errors). */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const e = current as { code?: unknown; name?: unknown; errors?: unknown[]; cause?: unknown };
		if (typeof e.code === 'string' && e.code) return e.code;
		if (e.name === 'AbortError') return 'ABORT_ERR';
		if (e.name === 'TimeoutError') return 'UND_ERR_HEADERS_TIMEOUT';
		current = Array.isArray(e.errors) && e.errors.length ? e.errors[0] : e.cause;
	}
	return undefined;
}
