import type { ServerResponse } from 'node:http';

function toBuffer(chunk: unknown, encoding?: unknown): Buffer {
	if (Buffer.isBuffer(chunk)) return chunk;
	if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	return Buffer.from(String(chunk ?? ''), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

/**
 * Lets the handler answer normally, but only `afterBytes` of the body reach the client (default:
 * half the Content-Length, or half the first chunk); then the connection is destroyed.
 */
export function cutResponseBody(res: ServerResponse, afterBytes: number | undefined): void {
	const write = res.write.bind(res) as (chunk: Buffer, cb?: () => void) => boolean;
	let sent = 0;
	let cut = false;
	const destroy = () => res.socket?.destroy();

	/** Passes on what fits; true when the body was cut here. */
	const pass = (chunk: Buffer): boolean => {
		const length = Number(res.getHeader('content-length'));
		const limit = afterBytes ?? (Number.isFinite(length) && length > 0 ? Math.floor(length / 2) : Math.floor(chunk.length / 2));
		const room = limit - sent;
		if (chunk.length < room) {
			sent += chunk.length;
			write(chunk);
			return false;
		}
		cut = true;
		if (!res.headersSent) res.flushHeaders();
		if (room > 0) write(chunk.subarray(0, room), destroy);
		else setImmediate(destroy);
		return true;
	};

	res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
		if (cut) return false;
		pass(toBuffer(chunk, encoding));
		if (typeof encoding === 'function') (encoding as () => void)();
		else if (typeof cb === 'function') (cb as () => void)();
		return true;
	}) as ServerResponse['write'];

	res.end = ((chunk?: unknown, encoding?: unknown) => {
		if (cut) return res;
		if (chunk !== undefined && typeof chunk !== 'function' && pass(toBuffer(chunk, encoding))) return res;
		// The whole body fit under the limit: cut right after it, before the response completes.
		cut = true;
		if (!res.headersSent) res.flushHeaders();
		setImmediate(destroy);
		return res;
	}) as ServerResponse['end'];
}
