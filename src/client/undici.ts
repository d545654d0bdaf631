import type * as Undici from 'undici';

let loading: Promise<typeof Undici> | undefined;

/**
 * undici, loaded on the first request rather than when n8n loads the nodes (issue 12: lazy undici).
 * Only types are imported at the top of the client's files; this is the one place that loads it.
 */
export function undici(): Promise<typeof Undici> {
	loading ??= import('undici');
	return loading;
}
