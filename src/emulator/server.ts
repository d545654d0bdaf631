import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Batch } from '../schemas';
import { BatchStore, viewOf, type SeedBatchesOptions } from './batchStore';
import { AnswerFaultSchema, type AnswerFaultInput } from './answerFaults';
import { FaultRegistry, type Fault, type FaultInput, type InjectedFault } from './faults';
import { FileStore } from './fileStore';
import { apiError, errorEnvelope, HttpError, sendJson } from './http';
import { BatchLifecycle } from './lifecycle';
import { resolveOptions, type EmulatorOptions } from './options';
import { cutResponseBody } from './responseCut';
import { matchRoute } from './router';
import type { EmulatorState, RequestLogEntry } from './routes/context';

export type { RequestLogEntry };

export interface Emulator {
	/** `http://127.0.0.1:<port>`: a bare host, the client appends /v1. */
	url: string;
	port: number;
	/** Moves a batch `steps` lifecycle steps (an `in_progress` step answers `requestsPerStep` requests). */
	advance(batchId: string, steps?: number): Promise<Batch>;
	/** Forces `expired`, keeping the partial output. */
	expire(batchId: string): Promise<Batch>;
	/** Test seeding: `count` batches straight into the store, oldest first (see SeedBatchesOptions). */
	seedBatches(count: number, options?: SeedBatchesOptions): Batch[];
	faults: { inject(fault: FaultInput): InjectedFault; clear(): void };
	/** Requests that answer badly (see EmulatorOptions.answerFaults); `add` appends a rule, `clear` removes all. */
	answerFaults: { add(rule: AnswerFaultInput): void; clear(): void };
	requests: RequestLogEntry[];
	/** Where files live; removed on close when the emulator created it. */
	dataDir: string;
	close(): Promise<void>;
}

export async function startEmulator(emulatorOptions: EmulatorOptions = {}): Promise<Emulator> {
	const options = resolveOptions(emulatorOptions);
	const ownsDataDir = emulatorOptions.dataDir === undefined;
	const dataDir = emulatorOptions.dataDir ?? (await mkdtemp(join(tmpdir(), 'impala-emulator-')));
	await mkdir(dataDir, { recursive: true });
	const files = new FileStore(join(dataDir, 'files'));
	await files.init();
	const batches = new BatchStore();
	const lifecycle = new BatchLifecycle(batches, files, options, join(dataDir, 'batches'));
	await lifecycle.init();
	const state: EmulatorState = { files, batches, lifecycle, options };
	const faults = new FaultRegistry();
	const requests: RequestLogEntry[] = [];

	// Sockets with a request in flight. Node can arm a reused connection's keep-alive timer just after the
	// next request started (the client saw the whole answer before the server's 'finish'): a streamed
	// upload slower than keepAliveTimeout was then cut. Only idle sockets are closed on that timer.
	const busy = new WeakSet<object>();
	const server = createServer((req, res) => {
		busy.add(req.socket);
		res.once('close', () => busy.delete(req.socket));
		handle(req, res, state, faults, requests).catch((error) => answerUnexpected(res, error));
	});
	server.keepAliveTimeout = 5_000;
	server.on('timeout', (socket: { destroy(): void }) => {
		if (!busy.has(socket)) socket.destroy();
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const urlHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

	const recordOf = (batchId: string) => {
		const record = batches.get(batchId);
		if (!record) throw new Error(`The emulator has no batch '${batchId}'.`);
		return record;
	};

	return {
		url: `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${port}`,
		port,
		dataDir,
		requests,
		faults: { inject: (fault) => faults.inject(fault), clear: () => faults.clear() },
		answerFaults: {
			add: (rule) => {
				options.answerFaults.push(AnswerFaultSchema.parse(rule));
			},
			clear: () => {
				options.answerFaults.length = 0;
			},
		},
		advance: async (batchId, steps = 1) => lifecycle.advance(recordOf(batchId), steps),
		expire: async (batchId) => lifecycle.expire(recordOf(batchId)),
		seedBatches: (count, seedOptions = {}) => batches.seed(count, seedOptions).map(viewOf),
		close: async () => {
			await lifecycle.close();
			await closeServer(server);
			if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
		},
	};
}

async function handle(
	req: IncomingMessage,
	res: ServerResponse,
	state: EmulatorState,
	faults: FaultRegistry,
	requests: RequestLogEntry[],
): Promise<void> {
	const method = req.method ?? 'GET';
	const url = new URL(req.url ?? '/', 'http://emulator');
	const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
	const entry: RequestLogEntry = { method, path, query: url.search, hasAuthorization: req.headers.authorization !== undefined };
	requests.push(entry);
	// Some Impala deployments serve the API under /open-ai/v1: route it like /v1 (the log keeps the real path).
	const routePath = path.replace(/^\/open-ai(?=\/v1(\/|$))/, '');

	const fault = faults.take(method, routePath);
	if (fault) entry.fault = fault.kind;
	try {
		if (fault && (await applyFault(fault, req, res))) return;
		checkApiKey(req, routePath, state.options.apiKey);
		const route = matchRoute(method, routePath);
		if (route.kind === 'notFound') {
			throw apiError(404, { message: `There is no endpoint ${method} ${path}.`, code: 'not_found' });
		}
		if (route.kind === 'methodNotAllowed') {
			throw apiError(405, { message: `${method} is not allowed on ${path}.`, code: 'method_not_allowed' });
		}
		await route.handler({ req, res, params: route.params, query: url.searchParams, state, log: entry });
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		if (res.headersSent) {
			res.destroy();
			return;
		}
		// Nobody reads the rest of the request body now; drop it instead of buffering it.
		if (!req.complete) req.resume();
		sendJson(res, error.status, error.body, error.headers);
	}
}

/** Applies a fault; true when the request was answered (or dropped) by the fault itself. */
async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
	switch (fault.kind) {
		case 'resetRequest':
			req.socket.destroy();
			return true;
		case 'rateLimit': {
			const headers: Record<string, string> =
				fault.retryAfterSeconds === null ? {} : { 'Retry-After': String(fault.retryAfterSeconds) };
			throw apiError(429, { message: 'Rate limit reached: too many requests or tokens per minute. Retry later.', type: 'rate_limit_error', code: 'rate_limit_exceeded' }, headers);
		}
		case 'serverError':
			throw apiError(fault.status, { message: 'The server had an error while processing your request.', type: 'server_error', code: 'internal_error' });
		case 'delay': {
			// Stop waiting when the client gives up (or the emulator closes), so no timer outlives it.
			const gone = new AbortController();
			res.once('close', () => gone.abort());
			await sleep(fault.ms, undefined, { signal: gone.signal }).catch(() => undefined);
			return res.destroyed;
		}
		case 'resetResponse':
			cutResponseBody(res, fault.afterBytes);
			return false;
	}
}

function checkApiKey(req: IncomingMessage, path: string, apiKey: string | undefined): void {
	if (apiKey === undefined || !path.startsWith('/v1/') && path !== '/v1') return;
	const header = req.headers.authorization;
	if (header === `Bearer ${apiKey}`) return;
	throw apiError(401, {
		message: header === undefined ? 'No API key provided: send Authorization: Bearer <API key>.' : 'Incorrect API key provided.',
		type: 'authentication_error',
		code: 'invalid_api_key',
	});
}

function answerUnexpected(res: ServerResponse, error: unknown): void {
	if (res.headersSent || res.destroyed) {
		res.destroy();
		return;
	}
	sendJson(res, 500, errorEnvelope({ message: `Emulator error: ${(error as Error)?.message ?? String(error)}`, type: 'server_error' }));
}

function closeServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}
