import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { Batch, ExpiresAfter, FileObject, UploadPurpose } from '../schemas';

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
	/**
	 * Deadline of one attempt: connecting, sending, waiting and reading the whole answer (a server that
	 * drips bytes still times out). Default 600 000 ms, as Impala's docs advise.
	 */
	timeoutMs?: number;
	/** No progress on an answer's body for this long ends the attempt. Default 120 000 ms (at most `timeoutMs`). */
	stallTimeoutMs?: number;
	/** Retries of retryable failures (see README). Default 3. */
	maxRetries?: number;
	/** First backoff delay; doubles each retry, with jitter. Default 500 ms. */
	retryBaseDelayMs?: number;
	/** Upper bound for one backoff wait. A longer `Retry-After` is not cut short: the call fails with a 429 saying how long Impala asked to wait. Default 60 000 ms. */
	maxRetryDelayMs?: number;
	logger?: ClientLogger;
	/**
	 * For tests and special setups. By default the client honours HTTP_PROXY / HTTPS_PROXY / NO_PROXY
	 * (either case, read when the client is made) through undici's EnvHttpProxyAgent, and otherwise uses
	 * undici's global dispatcher.
	 */
	dispatcher?: Dispatcher;
	/** Where proxy variables are read from; default `process.env`. */
	env?: NodeJS.ProcessEnv;
	/** Waits between the checks that reconcile an unknown outcome (createOnce, uploadOnce). Default 2 000 ms. */
	reconcileDelayMs?: number;
}

export interface RequestOptions {
	signal?: AbortSignal;
}

/** What an upload reads from: a whole Buffer, a byte stream, or lines (each written as is; add '\n' yourself). */
export type UploadSource = Buffer | Uint8Array | Readable | AsyncIterable<string | Uint8Array>;

export interface UploadFileParams extends RequestOptions {
	/** A factory is called again for each attempt, so a streamed upload can be retried (429, never connected). */
	file: UploadSource | (() => UploadSource);
	filename: string;
	purpose?: UploadPurpose; // default 'batch'
	expiresAfter?: ExpiresAfter;
}

export interface UploadOnceResult {
	file: FileObject;
	/** True when the file was found by looking for it after the answer was lost, not from the answer. */
	recovered: boolean;
}

export interface CreateOnceResult {
	batch: Batch;
	/** True when the batch was found by looking for it after the answer was lost, not from the answer. */
	recovered: boolean;
}

export interface ReadVerifiedOptions extends RequestOptions {
	/** The file's size (its `bytes`); when absent the file's metadata is fetched first. */
	expectedBytes?: number;
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
