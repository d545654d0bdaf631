export type ImpalaErrorKind = 'http' | 'network' | 'timeout' | 'invalid_response' | 'aborted';

export interface ImpalaApiErrorFields {
	kind: ImpalaErrorKind;
	/** What happened, without the hint (for UIs that show the hint separately, like n8n's description). */
	summary: string;
	/** What the user should do, in plain English. */
	hint: string;
	/** True when trying the same call again later may succeed. */
	retryable: boolean;
	/**
	 * True for a request that is not safe to repeat (a POST) whose bytes were sent and for which no
	 * trustworthy answer came back (reset after sending, timeout, 5xx with any body, a cut, empty or
	 * unreadable 2xx): Impala may or may not have done it. The message says so and what was checked.
	 */
	outcomeUnknown?: boolean;
	/** True when an earlier attempt of the same call may have been processed (its answer was lost). */
	afterUnknownAttempt?: boolean;
	status?: number;
	type?: string;
	code?: string;
	param?: string;
	requestId?: string;
	method?: string;
	/** Path relative to the base URL, query included (never the key: it only travels in a header). */
	path?: string;
}

/**
 * Every failure of an Impala call. Built only by the client's error mapper, which never gives it the
 * API key; `message` already ends with the hint so it reads well on its own.
 */
export class ImpalaApiError extends Error {
	readonly kind: ImpalaErrorKind;
	readonly summary: string;
	readonly hint: string;
	readonly retryable: boolean;
	readonly outcomeUnknown: boolean;
	readonly afterUnknownAttempt: boolean;
	readonly status?: number;
	readonly type?: string;
	readonly code?: string;
	readonly param?: string;
	readonly requestId?: string;
	readonly method?: string;
	readonly path?: string;

	constructor(message: string, fields: ImpalaApiErrorFields) {
		super(message);
		this.name = 'ImpalaApiError';
		this.kind = fields.kind;
		this.summary = fields.summary;
		this.hint = fields.hint;
		this.retryable = fields.retryable;
		this.outcomeUnknown = fields.outcomeUnknown ?? false;
		this.afterUnknownAttempt = fields.afterUnknownAttempt ?? false;
		if (fields.status !== undefined) this.status = fields.status;
		if (fields.type !== undefined) this.type = fields.type;
		if (fields.code !== undefined) this.code = fields.code;
		if (fields.param !== undefined) this.param = fields.param;
		if (fields.requestId !== undefined) this.requestId = fields.requestId;
		if (fields.method !== undefined) this.method = fields.method;
		if (fields.path !== undefined) this.path = fields.path;
	}
}

export function isImpalaApiError(error: unknown): error is ImpalaApiError {
	return error instanceof ImpalaApiError;
}
