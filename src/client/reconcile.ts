import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isImpalaApiError, type ImpalaApiError } from './errors';
import type { Transport } from './transport';

/** How reconciling an unknown outcome waits between its two looks. */
export interface ReconcileSettings {
	delayMs: number;
}

/** Newest-first lists are read at most this many items deep when looking for a lost answer. */
export const RECONCILE_MAX_ITEMS = 2_000;

/**
 * Margins when telling "created before the attempt" from "created by it": created_at has one-second
 * resolution and clocks drift. With the server's clock known (the Date header of an answer) a minute
 * is generous; without it, a quarter of an hour.
 */
const MARGIN_KNOWN_CLOCK_S = 60;
const MARGIN_UNKNOWN_CLOCK_S = 900;

/** An error whose outcome is unknown, worth reconciling (a stopped call is not: the user asked to stop). */
export function isUnknownOutcome(error: unknown, signal?: AbortSignal): error is ImpalaApiError {
	return isImpalaApiError(error) && error.outcomeUnknown && error.kind !== 'aborted' && !signal?.aborted;
}

/**
 * The oldest `created_at` (Unix seconds, server clock) an item made by an attempt that started at
 * `startedLocalMs` (local clock) can have. Call it after a list answer arrived, so the server clock is known.
 */
export function createdAtFloor(transport: Transport, startedLocalMs: number): number {
	const serverNow = transport.serverNowMs();
	const offsetMs = serverNow === undefined ? 0 : serverNow - Date.now();
	const margin = serverNow === undefined ? MARGIN_UNKNOWN_CLOCK_S : MARGIN_KNOWN_CLOCK_S;
	return Math.floor((startedLocalMs + offsetMs) / 1000) - margin;
}

/** Looks twice, `delayMs` apart (an answer can lag behind the work): the first thing `find` returns. */
export async function lookTwice<T>(find: () => Promise<T | undefined>, settings: ReconcileSettings, signal?: AbortSignal): Promise<T | undefined> {
	const first = await find();
	if (first !== undefined) return first;
	await sleep(settings.delayMs, undefined, { signal });
	return find();
}

/** `batch.jsonl` -> `batch.3f9a1c2e.jsonl`: a name no other upload has, keeping the extension. */
export function uniqueFileName(filename: string): string {
	const tag = randomBytes(4).toString('hex');
	const dot = filename.lastIndexOf('.');
	if (dot <= 0 || dot === filename.length - 1) return `${filename}.${tag}`;
	return `${filename.slice(0, dot)}.${tag}${filename.slice(dot)}`;
}
