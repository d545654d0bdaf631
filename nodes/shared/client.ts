import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	Logger,
} from 'n8n-workflow';
import { ImpalaClient } from '../../src/client';
import type { ClientLogger } from '../../src/client/types';

export const IMPALA_CREDENTIAL = 'impalaApi';

type ContextWithCredentials = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** The one way a node gets an ImpalaClient: from the "Impala API" credential, logging to n8n's logger. */
export async function getImpalaClient(ctx: ContextWithCredentials): Promise<ImpalaClient> {
	const credentials = await ctx.getCredentials(IMPALA_CREDENTIAL);
	return new ImpalaClient({
		baseUrl: String(credentials.baseUrl ?? ''),
		apiKey: typeof credentials.apiKey === 'string' ? credentials.apiKey : undefined,
		logger: toClientLogger(ctx.logger),
	});
}

function toClientLogger(logger: Logger): ClientLogger {
	return {
		debug: (message, meta) => logger.debug(message, meta),
		warn: (message, meta) => logger.warn(message, meta),
	};
}
