import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	Logger,
} from 'n8n-workflow';
import { ImpalaClient, type ImpalaClientOptions } from '../../src/client';
import type { ClientLogger } from '../../src/client/types';

export const IMPALA_CREDENTIAL = 'impalaApi';

type ContextWithCredentials = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/**
 * The one way a node gets an ImpalaClient: from the "Impala API" credential, logging to n8n's logger.
 * Throws (a bad Base URL, for example) like any other call: callers keep it inside their per-item handling.
 */
export async function getImpalaClient(ctx: ContextWithCredentials): Promise<ImpalaClient> {
	const credentials = await ctx.getCredentials(IMPALA_CREDENTIAL);
	return new ImpalaClient(clientOptionsFromCredential(credentials, toClientLogger(ctx.logger)));
}

/** The client's options from the credential's fields: Base URL, API key and the optional timeout in seconds. */
export function clientOptionsFromCredential(credentials: ICredentialDataDecryptedObject, logger?: ClientLogger): ImpalaClientOptions {
	const seconds = Number(credentials.timeout);
	return {
		baseUrl: String(credentials.baseUrl ?? ''),
		apiKey: typeof credentials.apiKey === 'string' ? credentials.apiKey : undefined,
		...(credentials.timeout !== undefined && credentials.timeout !== '' && Number.isFinite(seconds) && seconds > 0 && { timeoutMs: Math.round(seconds * 1000) }),
		logger,
	};
}

export function toClientLogger(logger: Logger): ClientLogger {
	return {
		debug: (message, meta) => logger.debug(message, meta),
		warn: (message, meta) => logger.warn(message, meta),
	};
}
