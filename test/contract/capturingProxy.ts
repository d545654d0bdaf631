import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

export interface CapturedRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

export interface CapturingProxy {
	url: string;
	captured: CapturedRequest[];
	close(): Promise<void>;
}

/**
 * A small HTTP server on 127.0.0.1 that records every request exactly as the client sent it, then
 * forwards it to `targetUrl` (the emulator) and relays the answer: the client runs a real round trip
 * while the test reads the wire form of what it sent.
 */
export async function startCapturingProxy(targetUrl: string): Promise<CapturingProxy> {
	const captured: CapturedRequest[] = [];
	const server = createServer(async (req, res) => {
		try {
			const chunks: Buffer[] = [];
			for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
			const body = Buffer.concat(chunks);
			captured.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
			const headers = { ...req.headers };
			delete headers.host;
			delete headers.connection;
			delete headers['transfer-encoding'];
			headers['content-length'] = String(body.length);
			const upstream = await request(`${targetUrl}${req.url}`, {
				method: req.method as 'GET',
				headers,
				body: body.length > 0 ? body : undefined,
			});
			const answer = Buffer.from(await upstream.body.arrayBuffer());
			res.writeHead(upstream.statusCode, {
				'content-type': String(upstream.headers['content-type'] ?? 'application/octet-stream'),
				'content-length': String(answer.length),
			});
			res.end(answer);
		} catch (error) {
			res.writeHead(502, { 'content-type': 'text/plain' });
			res.end(String(error));
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		captured,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
