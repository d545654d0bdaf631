import { randomUUID } from 'node:crypto';

/*
 * One poll of a trigger at a time. n8n starts a poll on schedule without waiting for the previous one,
 * so a poll slowed by Retry-After waits or timeouts can overlap the next, and both would fire the same
 * events. Two guards, both with an expiry so a poll that hangs or died cannot block the trigger forever:
 *  - in this process, a map keyed by workflow and node;
 *  - across processes, a lease in the node's static data (owner token + expiry), for a second process
 *    that sees static data saved while a poll runs (n8n itself saves static data after a poll).
 * A poll that finds either held returns without touching the state. A poll that ran past its expiry
 * may have been taken over (by another process, which cannot tell it), so it must not commit:
 * `stillOwned()` says so before it writes anything.
 */

/** The lease as stored in static data. */
export interface StoredLease {
	/** Owner: a token unique to one poll. */
	o: string;
	/** Expiry, Unix milliseconds. */
	x: number;
}

export const LEASE_KEY = 'lease';

const running = new Map<string, { token: string; expires: number }>();

export interface PollTicket {
	readonly token: string;
	/** True while this poll still holds the in-process guard and the lease, unexpired: only then may it commit. */
	stillOwned(now?: number): boolean;
	/** Releases both (only what this poll still holds). */
	release(): void;
}

/** A lease another poll holds and that has not expired. */
function heldLease(staticData: Record<string, unknown>, now: number): StoredLease | undefined {
	const lease = staticData[LEASE_KEY] as Partial<StoredLease> | undefined;
	if (!lease || typeof lease !== 'object' || typeof lease.o !== 'string' || typeof lease.x !== 'number') return undefined;
	return lease.x > now ? { o: lease.o, x: lease.x } : undefined;
}

/**
 * Starts a poll of the trigger `key` (workflow ID + node ID), or returns undefined when another poll of
 * it is running (in this process, or holding an unexpired lease in `staticData`). `ttlMs`: how long
 * the guard and the lease hold before they count as stale.
 */
export function beginPoll(key: string, staticData: Record<string, unknown>, ttlMs: number, now: number = Date.now()): PollTicket | undefined {
	const current = running.get(key);
	if (current && current.expires > now) return undefined;
	if (heldLease(staticData, now)) return undefined;
	const token = randomUUID();
	const expires = now + ttlMs;
	running.set(key, { token, expires });
	staticData[LEASE_KEY] = { o: token, x: expires } satisfies StoredLease;
	return {
		token,
		stillOwned: (at = Date.now()) =>
			at < expires && running.get(key)?.token === token && (staticData[LEASE_KEY] as StoredLease | undefined)?.o === token,
		release: () => {
			if (running.get(key)?.token === token) running.delete(key);
			if ((staticData[LEASE_KEY] as StoredLease | undefined)?.o === token) delete staticData[LEASE_KEY];
		},
	};
}

/** The guard key of one trigger node in one workflow. */
export function triggerKey(workflowId: string | undefined, nodeId: string | undefined, nodeName: string): string {
	return `${workflowId ?? ''}\u0000${nodeId || nodeName}`;
}
