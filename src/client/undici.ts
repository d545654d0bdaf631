import type * as Undici from 'undici';

let loaded: typeof Undici | undefined;

/**
 * undici, loaded on the first request rather than when n8n loads the nodes (issue 12: lazy undici).
 * Only types are imported at the top of the client's files; this is the one place that requires it.
 */
export function undici(): typeof Undici {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	loaded ??= require('undici') as typeof Undici;
	return loaded;
}
