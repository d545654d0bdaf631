import process from 'node:process';
import type { Dispatcher } from 'undici';
import { undici } from './undici';

/** The proxy variables as n8n's own HTTP helpers read them (lower case first, like curl and undici). */
export interface ProxySettings {
	httpProxy: string;
	httpsProxy: string;
	noProxy: string;
}

/** Reads HTTP_PROXY / HTTPS_PROXY / NO_PROXY (either case); undefined when no proxy is set. */
export function proxySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySettings | undefined {
	const pick = (name: string) => (env[name.toLowerCase()] ?? env[name] ?? '').trim();
	const settings = { httpProxy: pick('HTTP_PROXY'), httpsProxy: pick('HTTPS_PROXY'), noProxy: pick('NO_PROXY') };
	return settings.httpProxy || settings.httpsProxy ? settings : undefined;
}

/** One proxy agent per distinct setting, shared by every client (nodes build a client per execution). */
const agents = new Map<string, Dispatcher>();

/**
 * The dispatcher for a client: undici's global one without proxy variables, otherwise an
 * `EnvHttpProxyAgent` built from the values read when the client was made (so a test can set and
 * restore process.env around one client). Created on the first request, with undici itself.
 */
export async function proxyDispatcher(settings: ProxySettings | undefined): Promise<Dispatcher | undefined> {
	if (!settings) return undefined;
	const key = JSON.stringify(settings);
	const { EnvHttpProxyAgent } = await undici();
	let agent = agents.get(key);
	if (!agent) {
		// Empty strings, not undefined: undici would otherwise read process.env again itself. `proxyTunnel:
		// false` sends plain-http requests to the proxy in absolute form, as curl and n8n's own helpers do
		// (https targets are always tunnelled with CONNECT).
		const options = { httpProxy: settings.httpProxy, httpsProxy: settings.httpsProxy, noProxy: settings.noProxy, proxyTunnel: false };
		agent = new EnvHttpProxyAgent(options);
		agents.set(key, agent);
	}
	return agent;
}
