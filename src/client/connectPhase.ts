import { subscribe } from 'node:diagnostics_channel';

/**
 * Errors undici raised while opening a connection, before it wrote any byte of a request. undici hands
 * the very same error object to the waiting requests, so membership proves a POST never reached the
 * server even for codes (EHOSTUNREACH, ETIMEDOUT) that Node also raises on a connected socket.
 */
const connectFailures = new WeakSet<object>();

subscribe('undici:client:connectError', (message) => {
	const error = (message as { error?: unknown } | undefined)?.error;
	if (error && typeof error === 'object') connectFailures.add(error);
});

/** True when `error` (or an error it wraps) is one undici reported as a failure to connect. */
export function failedWhileConnecting(error: unknown): boolean {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		if (connectFailures.has(current)) return true;
		current = (current as { cause?: unknown }).cause;
	}
	return false;
}
