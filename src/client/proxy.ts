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

/**
 * The proxy (without user name or password) a request to `origin` goes through, with the variable that
 * named it; undefined when it goes direct. Mirrors EnvHttpProxyAgent's rules, so errors can say where
 * the connection failed.
 */
export function proxyFor(settings: ProxySettings | undefined, origin: string): { url: string; variable: string } | undefined {
	if (!settings) return undefined;
	const target = new URL(origin);
	const https = target.protocol === 'https:';
	const chosen = https && settings.httpsProxy ? { raw: settings.httpsProxy, variable: 'HTTPS_PROXY' } : settings.httpProxy ? { raw: settings.httpProxy, variable: 'HTTP_PROXY' } : undefined;
	if (!chosen || bypassed(settings.noProxy, target)) return undefined;
	try {
		const url = new URL(chosen.raw);
		return { url: `${url.protocol}//${url.host}`, variable: chosen.variable };
	} catch {
		return { url: 'the proxy', variable: chosen.variable };
	}
}

function bypassed(noProxy: string, target: URL): boolean {
	const port = target.port || (target.protocol === 'https:' ? '443' : '80');
	for (const raw of noProxy.split(/[,\s]/)) {
		const entry = raw.trim().toLowerCase();
		if (!entry) continue;
		if (entry === '*') return true;
		const [host, entryPort] = entry.split(/:(?=\d+$)/);
		if (entryPort && entryPort !== port) continue;
		const bare = host.replace(/^\*?\./, '');
		if (target.hostname === bare || target.hostname.endsWith(`.${bare}`)) return true;
	}
	return false;
}
