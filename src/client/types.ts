import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ExpiresAfter, UploadPurpose } from '../schemas';

/** Where log lines go; nodes pass `this.logger`, the core never uses `console`. Never given the API key. */
export interface ClientLogger {
	debug(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
}

export interface ImpalaClientOptions {
	/** The customer's base URL, in any documented form (bare host, `.../v1`, `.../open-ai/v1`). */
	baseUrl: string;
	/** Optional: keyless private deployments send no Authorization header. Trimmed; blank means no key. */
	apiKey?: string;
	/** Per-request timeout for headers and body inactivity. Default 600 000 ms, as Impala's docs advise. */
	timeoutMs?: number;
	/** Retries of retryable failures (see README). Default 3. */
	maxRetries?: number;
	/** First backoff delay; doubles each retry, with jitter. Default 500 ms. */
	retryBaseDelayMs?: number;
	/** Upper bound for one backoff wait. A longer `Retry-After` is not cut short: the call fails with a 429 saying how long Impala asked to wait. Default 60 000 ms. */
	maxRetryDelayMs?: number;
	logger?: ClientLogger;
	/** For tests and proxies; defaults to undici's global dispatcher. */
	dispatcher?: Dispatcher;
}

export interface RequestOptions {
	signal?: AbortSignal;
}

/** What an upload reads from: a whole Buffer, a byte stream, or lines (each written as is; add '\n' yourself). */
export type UploadSource = Buffer | Uint8Array | Readable | AsyncIterable<string | Uint8Array>;

export interface UploadFileParams extends RequestOptions {
	file: UploadSource;
	filename: string;
	purpose?: UploadPurpose; // default 'batch'
	expiresAfter?: ExpiresAfter;
}

export interface ListFilesParams extends RequestOptions {
	purpose?: string;
	order?: 'asc' | 'desc';
	/** Page size sent to the API (1–10000). */
	limit?: number;
	after?: string;
}

export interface ListBatchesParams extends RequestOptions {
	/** Page size sent to the API (1–100). */
	limit?: number;
	after?: string;
}
