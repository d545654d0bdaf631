const EXAMPLES = 'it should look like https://api.example.com, https://api.example.com/v1 or http://openai.your-domain';

/**
 * Checks a customer's base URL and returns the API root, always ending in `/v1`.
 * Impala's pages give the base URL in three forms (bare host, `.../v1`, `.../open-ai/v1`); all are accepted,
 * trailing slashes ignored. The value itself is never echoed: users sometimes paste the key in the wrong field.
 */
export function apiRootFromBaseUrl(baseUrl: string): string {
	const trimmed = (baseUrl ?? '').trim();
	if (!trimmed) throw new Error(`The Base URL is empty: set it in the credential (${EXAMPLES})`);
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		throw new Error(`The Base URL is not a valid URL: ${EXAMPLES}`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Error(`The Base URL must start with http:// or https:// (it starts with ${url.protocol}//): ${EXAMPLES}`);
	}
	if (url.username || url.password) {
		throw new Error('The Base URL must not contain a user name or password: put the API key in the API Key field');
	}
	if (url.search || url.hash) {
		throw new Error(`The Base URL must not contain "?" or "#": ${EXAMPLES}`);
	}
	const path = url.pathname.replace(/\/+$/, '');
	const root = path.endsWith('/v1') ? path : `${path}/v1`;
	return `${url.origin}${root}`;
}

/**
 * The full URL of an API path for a base URL: `resolveApiUrl('https://h/open-ai/v1/', '/files')` is
 * `https://h/open-ai/v1/files`, `resolveApiUrl('https://h', 'batches')` is `https://h/v1/batches`.
 */
export function resolveApiUrl(baseUrl: string, path: string): string {
	return apiUrl(apiRootFromBaseUrl(baseUrl), path);
}

/** Joins an API root (from apiRootFromBaseUrl) and a path, adding the query without empty values. */
export function apiUrl(apiRoot: string, path: string, query: Record<string, string | number | undefined> = {}): string {
	const suffix = path.startsWith('/') ? path : `/${path}`;
	const search = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value !== undefined && value !== '') search.set(key, String(value));
	}
	const text = search.toString();
	return `${apiRoot}${suffix}${text ? `?${text}` : ''}`;
}
