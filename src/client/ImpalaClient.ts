import process from 'node:process';
import { apiRootFromBaseUrl } from './baseUrl';
import { Batches } from './batches';
import { Files } from './files';
import { proxySettingsFromEnv } from './proxy';
import { Transport } from './transport';
import type { ImpalaClientOptions } from './types';

export const CLIENT_DEFAULTS = {
	timeoutMs: 600_000,
	stallTimeoutMs: 120_000,
	reconcileDelayMs: 2_000,
	maxRetries: 3,
	retryBaseDelayMs: 500,
	maxRetryDelayMs: 60_000,
} as const;

/** Impala's Batch API over undici. The API key lives only inside the transport (a private field). */
export class ImpalaClient {
	readonly files: Files;
	readonly batches: Batches;
	/** The API root every path is appended to, always ending in `/v1`. */
	readonly apiRoot: string;

	constructor(options: ImpalaClientOptions) {
		this.apiRoot = apiRootFromBaseUrl(options.baseUrl);
		const timeoutMs = positive(options.timeoutMs, 'timeoutMs') ?? CLIENT_DEFAULTS.timeoutMs;
		const transport = new Transport({
			apiRoot: this.apiRoot,
			apiKey: options.apiKey,
			timeoutMs,
			stallTimeoutMs: Math.min(positive(options.stallTimeoutMs, 'stallTimeoutMs') ?? CLIENT_DEFAULTS.stallTimeoutMs, timeoutMs),
			maxRetries: nonNegative(options.maxRetries, 'maxRetries') ?? CLIENT_DEFAULTS.maxRetries,
			retryBaseDelayMs: nonNegative(options.retryBaseDelayMs, 'retryBaseDelayMs') ?? CLIENT_DEFAULTS.retryBaseDelayMs,
			maxRetryDelayMs: nonNegative(options.maxRetryDelayMs, 'maxRetryDelayMs') ?? CLIENT_DEFAULTS.maxRetryDelayMs,
			logger: options.logger,
			dispatcher: options.dispatcher,
			proxy: options.dispatcher ? undefined : proxySettingsFromEnv(options.env ?? process.env),
		});
		const reconcile = { delayMs: nonNegative(options.reconcileDelayMs, 'reconcileDelayMs') ?? CLIENT_DEFAULTS.reconcileDelayMs };
		this.files = new Files(transport, reconcile);
		this.batches = new Batches(transport, reconcile);
	}
}

function positive(value: number | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of milliseconds`);
	return value;
}

function nonNegative(value: number | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be zero or a positive number`);
	return Math.floor(value);
}
