import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A misbehaving network between the client and the emulator: an HTTP proxy on 127.0.0.1 that forwards
 * to `target` (or, for absolute-form requests as undici sends them to an HTTP proxy, to the URL's own
 * host) and, for matching requests, injects a fault. It counts what passed and what it forwarded.
 */
export type ChaosFault =
	/** Answers with `status` without forwarding (unless `forward`: then after the emulator processed it). */
	| { kind: 'status'; status: number; body?: 'json' | 'html' | 'empty'; retryAfterSeconds?: number; forward?: boolean }
	/** Destroys the connection before reading the request body; nothing is forwarded. */
	| { kind: 'resetBeforeBody' }
	/** Reads the whole request, forwards nothing, destroys the connection. */
	| { kind: 'resetAfterRead' }
	/** Forwards the request (the emulator processes it), then destroys the connection without answering. */
	| { kind: 'resetAfterForward' }
	/** Forwards, sends the headers and `afterBytes` of the body (default half), then destroys the connection. */
	| { kind: 'resetMidAnswer'; afterBytes?: number }
	/** Forwards, then answers 200 with the body cut (mid-JSON, or at a line end), Content-Length matching the cut: it looks complete. */
	| { kind: 'cut200'; at: 'midJson' | 'lineEnd' }
	/** Forwards, then answers 200 with a web page instead of the emulator's answer. */
	| { kind: 'webPage' }
	/** Forwards, then sends the answer `bytes` (default 1) at a time every `intervalMs`. */
	| { kind: 'drip'; intervalMs: number; bytes?: number }
	/** Reads the request and never answers (nothing forwarded). */
	| { kind: 'hang' }
	/** Forwards the request twice and answers with the first answer. */
	| { kind: 'duplicate' };

export interface ChaosRule {
	/** Only this method (any when absent). */
	method?: string;
	/** Only paths (query included) this matches: a RegExp, or an exact path without the query. */
	path?: RegExp | string;
	/** How many matching requests it hits; default: all ("always"). */
	times?: number;
	/** How many matching requests it lets through first. */
	skip?: number;
	/** Holds a matching request until this settles, then applies the fault (to order a fault after another event). */
	waitFor?: () => Promise<unknown>;
	fault: ChaosFault;
}

export interface ChaosRuleHandle {
	readonly hits: number;
	remove(): void;
}

export interface PassedRequest {
	method: string;
	/** Path and query as the client sent it (absolute-form requests: the URL's path). */
	path: string;
	/** True when the client sent an absolute-form URL (it used the proxy as a forward proxy). */
	absolute: boolean;
	/** The fault applied, if any. */
	fault?: ChaosFault['kind'];
	/** How many times it reached the upstream server. */
	forwarded: number;
	/** Bytes of the request body read. */
	bodyBytes: number;
	/** True once the connection closed before the answer was sent whole: the client gave up, or a reset fault closed it. */
	closedUnanswered: boolean;
}

export interface ChaosProxy {
	/** `http://127.0.0.1:<port>`: use it as the client's base URL, or as HTTP_PROXY. */
	readonly url: string;
	/** Every request that reached the proxy, in order. */
	readonly requests: PassedRequest[];
	add(rule: ChaosRule): ChaosRuleHandle;
	clear(): void;
	/** Requests that reached the proxy with this method and a path matching `path` (query ignored for strings). */
	count(method: string, path: RegExp | string): number;
	/** How many of them reached the upstream server. */
	forwarded(method: string, path: RegExp | string): number;
	close(): Promise<void>;
}

export const HTML_PAGE = '<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Something went wrong</h1><p>Please try again later.</p></body></html>';

interface ActiveRule {
	rule: ChaosRule;
	hits: number;
	skipped: number;
}

interface Upstream {
	status: number;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

function pathMatches(pattern: RegExp | string | undefined, path: string): boolean {
	if (pattern === undefined) return true;
	if (typeof pattern === 'string') return path.split('?')[0] === pattern;
	return pattern.test(path);
}

/** Starts the proxy on 127.0.0.1 (any free port) in front of `target` (`http://127.0.0.1:<port>`). */
export async function startChaosProxy(options: { target: string }): Promise<ChaosProxy> {
	const target = new URL(options.target);
	let rules: ActiveRule[] = [];
	const requests: PassedRequest[] = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();

	const take = (method: string, path: string): ChaosRule | undefined => {
		const entry = rules.find((e) => {
			if (e.rule.method && e.rule.method.toUpperCase() !== method) return false;
			if (!pathMatches(e.rule.path, path)) return false;
			if (e.skipped < (e.rule.skip ?? 0)) {
				e.skipped++;
				return false;
			}
			return true;
		});
		if (!entry) return undefined;
		entry.hits++;
		if (entry.rule.times !== undefined && entry.hits >= entry.rule.times) rules = rules.filter((e) => e !== entry);
		return entry.rule;
	};

	const server = createServer((req, res) => {
		void handle(req, res).catch(() => req.socket.destroy());
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const absolute = /^https?:\/\//i.test(req.url ?? '');
		const url = absolute ? new URL(req.url ?? '/') : new URL(req.url ?? '/', target);
		const path = `${url.pathname}${url.search}`;
		const method = (req.method ?? 'GET').toUpperCase();
		const rule = take(method, path);
		const fault = rule?.fault;
		const entry: PassedRequest = { method, path, absolute, fault: fault?.kind, forwarded: 0, bodyBytes: 0, closedUnanswered: false };
		requests.push(entry);
		res.on('close', () => (entry.closedUnanswered = !res.writableFinished));
		if (rule?.waitFor) await rule.waitFor();

		if (fault?.kind === 'resetBeforeBody') {
			req.socket.destroy();
			return;
		}
		const body = await readAll(req);
		entry.bodyBytes = body.length;
		const forward = async (): Promise<Upstream> => {
			entry.forwarded++;
			return send(absolute ? new URL(url.origin) : target, method, path, req.headers, body);
		};

		switch (fault?.kind) {
			case undefined:
				return answer(res, await forward());
			case 'resetAfterRead':
				req.socket.destroy();
				return;
			case 'hang':
				return; // the socket stays open until the client gives up or the proxy closes
			case 'status': {
				if (fault.forward) await forward();
				const headers: Record<string, string> = {};
				if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
				const kind = fault.body ?? 'json';
				let text = '';
				if (kind === 'json') {
					headers['content-type'] = 'application/json';
					text = JSON.stringify({ error: { message: fault.status === 429 ? 'Rate limit exceeded' : 'The server had an error', type: fault.status === 429 ? 'rate_limit_error' : 'server_error', param: null, code: null } });
				} else if (kind === 'html') {
					headers['content-type'] = 'text/html; charset=utf-8';
					text = HTML_PAGE.replace('Error', `${fault.status} Error`);
				}
				return answer(res, { status: fault.status, headers, body: Buffer.from(text) });
			}
			case 'resetAfterForward':
				await forward();
				req.socket.destroy();
				return;
			case 'resetMidAnswer': {
				const upstream = await forward();
				const keep = fault.afterBytes ?? Math.floor(upstream.body.length / 2);
				res.writeHead(upstream.status, { ...plainHeaders(upstream.headers), 'content-length': String(upstream.body.length) });
				res.write(upstream.body.subarray(0, keep), () => req.socket.destroy());
				return;
			}
			case 'cut200': {
				const upstream = await forward();
				return answer(res, { ...upstream, status: 200, body: cutBody(upstream.body, fault.at) });
			}
			case 'webPage':
				await forward();
				return answer(res, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: Buffer.from(HTML_PAGE) });
			case 'drip': {
				const upstream = await forward();
				res.writeHead(upstream.status, { ...plainHeaders(upstream.headers), 'content-length': String(upstream.body.length) });
				const step = fault.bytes ?? 1;
				let offset = 0;
				const tick = () => {
					if (res.destroyed || offset >= upstream.body.length) {
						if (!res.destroyed) res.end();
						return;
					}
					res.write(upstream.body.subarray(offset, offset + step));
					offset += step;
					const timer = setTimeout(() => {
						timers.delete(timer);
						tick();
					}, fault.intervalMs);
					timers.add(timer);
				};
				tick();
				return;
			}
			case 'duplicate': {
				const first = await forward();
				await forward();
				return answer(res, first);
			}
		}
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const countWhere = (method: string, path: RegExp | string, pick: (r: PassedRequest) => number) =>
		requests.filter((r) => r.method === method.toUpperCase() && pathMatches(path, r.path)).reduce((sum, r) => sum + pick(r), 0);

	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		add(rule) {
			const entry: ActiveRule = { rule, hits: 0, skipped: 0 };
			rules.push(entry);
			return {
				get hits() {
					return entry.hits;
				},
				remove: () => {
					rules = rules.filter((e) => e !== entry);
				},
			};
		},
		clear() {
			rules = [];
		},
		count: (method, path) => countWhere(method, path, () => 1),
		forwarded: (method, path) => countWhere(method, path, (r) => r.forwarded),
		async close() {
			for (const timer of timers) clearTimeout(timer);
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** Sends the request upstream on a fresh connection and reads the whole answer. */
function send(origin: URL, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer): Promise<Upstream> {
	const outgoing: IncomingHttpHeaders = { ...headers, host: origin.host, 'content-length': String(body.length) };
	delete outgoing['transfer-encoding'];
	delete outgoing['proxy-connection'];
	delete outgoing.connection;
	return new Promise((resolve, reject) => {
		const upstream = httpRequest(
			{ hostname: origin.hostname, port: origin.port, method, path, headers: outgoing, agent: false },
			(response) => {
				readAll(response).then((data) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: data }), reject);
			},
		);
		upstream.on('error', reject);
		upstream.end(body);
	});
}

/** Headers to pass on, without the ones this proxy recomputes. */
function plainHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || ['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) continue;
		out[name] = value;
	}
	return out;
}

function answer(res: ServerResponse, upstream: Upstream): void {
	res.writeHead(upstream.status, { ...plainHeaders(upstream.headers), 'content-length': String(upstream.body.length) });
	res.end(upstream.body);
}

/** The body cut in its middle, or at the last line end in its first half (empty when there is none). */
function cutBody(body: Buffer, at: 'midJson' | 'lineEnd'): Buffer {
	const half = Math.floor(body.length / 2);
	if (at === 'midJson') return body.subarray(0, Math.max(1, half));
	const end = body.lastIndexOf(0x0a, Math.max(0, half - 1));
	return end < 0 ? Buffer.alloc(0) : body.subarray(0, end + 1);
}
