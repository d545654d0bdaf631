import { isTerminalStatus } from '../schemas';

/*
 * What the trigger remembers between polls (n8n keeps it in the node's static data, as JSON), in a compact
 * form: at MAX_WATCHED unfinished batches it stays a few hundred kB (see test/unit/trigger-state.test.ts).
 *
 *  - `floor`: a creation-time line. An untracked batch created before it is history (already handled, or
 *    older than the first activation); one created at or after it is new. It trails the newest creation
 *    time seen (`top`) by GRACE_SECONDS, so a batch whose creation shows in the list a little late (same
 *    second, slow write) is still taken for new.
 *  - `w`, the watch list: every unfinished in-scope batch, with the last status seen and a depth key, in
 *    check order (the batch checked longest ago first, so direct fetches go round-robin, oldest first).
 *  - `r`: the finished batches created at or after `floor` (so a re-listed recent batch is not new again).
 *  - `n`, the depth counter: how many batches newer than `top` the trigger has listed, over all polls.
 *    A watched batch listed at position p (0 = newest) when the counter was n' gets key = n' − p, so its
 *    depth in the list now is about `n − key` (exact unless batches were deleted or listed out of order).
 *    That tells a poll whether listing down to its oldest watched batches or fetching them one by one is
 *    cheaper.
 */

export const STATE_VERSION = 2;
export const GRACE_SECONDS = 300;
export const MAX_RECENT_TERMINAL = 300;
/** Unfinished batches the trigger watches at most; beyond it, it emits an item naming the ones it gives up. */
export const MAX_WATCHED = 10_000;

/** The state as stored: short keys, the two lists as plain text. */
export interface StoredState {
	v: typeof STATE_VERSION;
	/** Fingerprint of the scope the state was built for; another scope starts over. */
	scope: string;
	floor: number;
	top: number;
	n: number;
	/** Watch list: `id token id token …`, token = status code + base-36 key (see encodeWatched). */
	w: string;
	/** Recent finished batches: `id created_at …` (created_at in base 36). */
	r: string;
}

/** One unfinished batch the trigger watches. */
export interface WatchedBatch {
	/** Last status seen. */
	status: string;
	/** Depth key: the batch sits about `n − key` deep in the list (0 = newest). */
	key: number;
}

/** The state as the tracker works on it. */
export interface TriggerState {
	scope: string;
	floor: number;
	top: number;
	n: number;
	/** In check order: the one checked longest ago first. */
	watched: Map<string, WatchedBatch>;
	/** Finished batches created at or after `floor`: id → created_at. */
	recent: Map<string, number>;
}

/** One letter for each status a batch can wait in; another status is written out (`=status=`). */
const STATUS_CODES: Record<string, string> = { validating: 'v', in_progress: 'i', finalizing: 'f', cancelling: 'c' };
const CODE_STATUSES: Record<string, string> = Object.fromEntries(Object.entries(STATUS_CODES).map(([status, code]) => [code, status]));

/** `id token` pairs separated by spaces: batch IDs never hold whitespace (the client refuses such IDs). */
function pairs(text: string): Array<[string, string]> {
	const parts = text === '' ? [] : text.split(' ');
	const result: Array<[string, string]> = [];
	for (let i = 0; i + 1 < parts.length; i += 2) result.push([parts[i], parts[i + 1]]);
	return result;
}

const usableId = (id: string) => id !== '' && !/\s/.test(id);

function encodeToken({ status, key }: WatchedBatch): string {
	const code = STATUS_CODES[status];
	return `${code ?? `=${status}=`}${key.toString(36)}`;
}

function decodeToken(token: string): WatchedBatch | undefined {
	let status: string | undefined;
	let rest: string;
	if (token.startsWith('=')) {
		const end = token.indexOf('=', 1);
		if (end < 0) return undefined;
		status = token.slice(1, end);
		rest = token.slice(end + 1);
	} else {
		status = CODE_STATUSES[token[0]];
		rest = token.slice(1);
	}
	const key = parseInt(rest, 36);
	if (!status || isTerminalStatus(status) || !Number.isFinite(key)) return undefined;
	return { status, key };
}

export function encodeState(state: TriggerState): StoredState {
	const w: string[] = [];
	for (const [id, watched] of state.watched) if (usableId(id)) w.push(id, encodeToken(watched));
	const r: string[] = [];
	for (const [id, createdAt] of state.recent) if (usableId(id)) r.push(id, createdAt.toString(36));
	return { v: STATE_VERSION, scope: state.scope, floor: state.floor, top: state.top, n: state.n, w: w.join(' '), r: r.join(' ') };
}

/**
 * Reads a stored state (a plain copy: n8n's static data may be a Proxy). Anything unreadable or of
 * another scope counts as none; malformed entries are dropped. A state of version 1 (one entry per
 * batch: last status and created_at) is carried over, so an upgrade loses no event.
 */
export function readState(stored: unknown, scope: string): TriggerState | undefined {
	if (!stored || typeof stored !== 'object') return undefined;
	const raw = stored as Record<string, unknown>;
	if (raw.scope !== scope || typeof raw.floor !== 'number') return undefined;
	if (raw.v === 1) return fromVersion1(raw, scope);
	if (raw.v !== STATE_VERSION || typeof raw.top !== 'number' || typeof raw.n !== 'number') return undefined;
	if (typeof raw.w !== 'string' || typeof raw.r !== 'string') return undefined;
	const watched = new Map<string, WatchedBatch>();
	for (const [id, token] of pairs(raw.w)) {
		const entry = decodeToken(token);
		if (entry) watched.set(id, entry);
	}
	const recent = new Map<string, number>();
	for (const [id, created] of pairs(raw.r)) {
		const createdAt = parseInt(created, 36);
		if (Number.isFinite(createdAt)) recent.set(id, createdAt);
	}
	return { scope, floor: raw.floor, top: raw.top, n: raw.n, watched, recent };
}

/**
 * Version 1: `tracked: { id: { s: status, c: created_at } }`. A watched batch's depth is at least its rank
 * among the tracked ones (newest first); the first poll that lists or fetches it sets it right.
 */
function fromVersion1(raw: Record<string, unknown>, scope: string): TriggerState | undefined {
	const tracked = raw.tracked;
	if (!tracked || typeof tracked !== 'object') return undefined;
	const entries = Object.entries(tracked as Record<string, { s?: unknown; c?: unknown }>).filter(
		(entry): entry is [string, { s: string; c: number }] => typeof entry[1]?.s === 'string' && typeof entry[1]?.c === 'number',
	);
	const floor = raw.floor as number;
	const watched = new Map<string, WatchedBatch>();
	const recent = new Map<string, number>();
	let top = floor + GRACE_SECONDS;
	const oldestFirst = entries.sort(([, a], [, b]) => a.c - b.c);
	oldestFirst.forEach(([id, { s, c }], index) => {
		if (isTerminalStatus(s)) recent.set(id, c);
		else watched.set(id, { status: s, key: index - oldestFirst.length + 1 });
		top = Math.max(top, c);
	});
	return { scope, floor, top, n: 0, watched, recent };
}
