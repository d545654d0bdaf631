import { ABORT_CODES, ANSWER_TIMEOUT_CODES, isIdempotent, RETRYABLE_STATUSES } from './repeatSafety';
import { parseRetryAfter } from './retryAfter';

export interface RetrySettings {
	maxRetries: number;
	retryBaseDelayMs: number;
	maxRetryDelayMs: number;
}

/** What happened on one attempt, as far as the retry rule cares. */
export type AttemptOutcome =
	| { type: 'status'; status: number; retryAfter?: string }
	/** `neverSent`: the request provably never reached the server (`provablyNeverSent` in repeatSafety.ts). */
	| { type: 'network'; code?: string; neverSent: boolean }
	/** A 2xx whose body could not be used; `cut`: it was not JSON at all (cut, empty, or a page put in its place on the way). */
	| { type: 'invalid'; cut: boolean };

/**
 * Whether an attempt may be repeated. The rule, in one place:
 * - GET and DELETE are idempotent: repeat on 429, 500, 502, 503, 504 and on network failures (timeouts
 *   excluded: they already waited the long timeout Impala's docs advise, and repeating multiplies it).
 * - POST (upload, create, cancel) is repeated only when the request provably never reached Impala, or
 *   Impala answered 429 (a rate-limit refusal happens before any processing). "Never reached" means
 *   refused (ECONNREFUSED), unknown host (ENOTFOUND, EAI_AGAIN...), undici's connect timeout, or any error
 *   undici raised while connecting; the transport works that out once (`provablyNeverSent`) and passes it
 *   as `neverSent`. ETIMEDOUT, EHOSTUNREACH and ENETUNREACH alone prove nothing: Node also raises them on
 *   a connected socket after the body was sent. A reset, a 5xx or a timeout after sending may have created
 *   the batch, so it is never repeated.
 * - A 2xx whose body is not JSON (cut, empty, a page) is read again for GET and DELETE, never repeated for a POST.
 * - `replayable` is false once a streamed upload source has been read: those bytes cannot be sent again.
 */
export function shouldRetry(method: string, outcome: AttemptOutcome, replayable: boolean): boolean {
	if (!replayable) return false;
	const idempotent = isIdempotent(method);
	// A cut 2xx to a read is read again; to a POST it means the work was probably done: never repeated.
	if (outcome.type === 'invalid') return idempotent && outcome.cut;
	if (outcome.type === 'status') {
		if (idempotent) return RETRYABLE_STATUSES.has(outcome.status);
		return outcome.status === 429;
	}
	if (outcome.neverSent) return true;
	if (!idempotent) return false;
	const code = outcome.code;
	return !code || (!ANSWER_TIMEOUT_CODES.has(code) && !ABORT_CODES.has(code));
}

/**
 * Milliseconds to wait before retry number `retry` (1 for the first retry), or undefined when the answer's
 * `Retry-After` (seconds or an HTTP date) asks for longer than maxRetryDelayMs: waiting less would not
 * honour it, so the caller gives up and reports the wait instead. Without `Retry-After`: exponential
 * backoff with "equal jitter" (half fixed, half random), capped by maxRetryDelayMs.
 */
export function retryDelayMs(
	retry: number,
	settings: Pick<RetrySettings, 'retryBaseDelayMs' | 'maxRetryDelayMs'>,
	retryAfter?: string,
	now: number = Date.now(),
	random: () => number = Math.random,
): number | undefined {
	const asked = parseRetryAfter(retryAfter, now);
	if (asked !== undefined) return asked <= settings.maxRetryDelayMs ? asked : undefined;
	const exponential = settings.retryBaseDelayMs * 2 ** Math.max(0, retry - 1);
	const capped = Math.min(exponential, settings.maxRetryDelayMs);
	return Math.round(capped / 2 + random() * (capped / 2));
}
