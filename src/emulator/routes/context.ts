import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodIssue } from 'zod';
import type { BatchStore } from '../batchStore';
import type { Fault } from '../faults';
import type { FileStore } from '../fileStore';
import { validationError, type DetailItem } from '../http';
import type { BatchLifecycle } from '../lifecycle';
import type { ResolvedOptions } from '../options';

export interface EmulatorState {
	files: FileStore;
	batches: BatchStore;
	lifecycle: BatchLifecycle;
	options: ResolvedOptions;
}

export interface RequestLogEntry {
	method: string;
	/** Path without the query string. */
	path: string;
	/** Query string, `?` included ('' when none). */
	query: string;
	/** Whether an Authorization header was sent (its value is never recorded). */
	hasAuthorization: boolean;
	/** The fault injected into this request, if any. */
	fault?: Fault['kind'];
	/** The parsed JSON body of POST /v1/batches (whether `job_id` was sent at all, ...); never headers. */
	jsonBody?: unknown;
}

export interface RouteContext {
	req: IncomingMessage;
	res: ServerResponse;
	/** Path parameters in pattern order. */
	params: string[];
	query: URLSearchParams;
	state: EmulatorState;
	/** This request's entry in `emu.requests`. */
	log: RequestLogEntry;
}

export type RouteHandler = (ctx: RouteContext) => Promise<void>;

export function detailFromZod(issues: ZodIssue[], locPrefix: Array<string | number>, input?: unknown): DetailItem[] {
	return issues.map((issue) => ({
		loc: [...locPrefix, ...issue.path],
		msg: issue.message,
		type: issue.code,
		input,
	}));
}

/** An integer query parameter in [min, max]; 422 `{"detail": ...}` otherwise. */
export function intQuery(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
	const raw = query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	const fail = (msg: string, type: string) => validationError([{ loc: ['query', name], msg, type, input: raw }]);
	if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) throw fail('Input should be a valid integer', 'int_parsing');
	if (value < min) throw fail(`Input should be greater than or equal to ${min}`, 'greater_than_equal');
	if (value > max) throw fail(`Input should be less than or equal to ${max}`, 'less_than_equal');
	return value;
}

/** A query parameter that must be one of `allowed` (or absent). */
export function enumQuery<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
	const raw = query.get(name);
	if (raw === null || raw === '') return undefined;
	if (!(allowed as readonly string[]).includes(raw)) {
		throw validationError([
			{ loc: ['query', name], msg: `Input should be ${allowed.map((a) => `'${a}'`).join(', ')}`, type: 'enum', input: raw },
		]);
	}
	return raw as T;
}
