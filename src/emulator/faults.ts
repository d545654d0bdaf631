import { z } from 'zod';

const FaultTargetSchema = z.object({
	/** Only requests with this method (any when absent). */
	method: z.string().toUpperCase().optional(),
	/** Only this path: exact, a prefix when it ends in `*`, or a RegExp (any when absent). */
	path: z.union([z.string(), z.instanceof(RegExp)]).optional(),
	/** How many matching requests it hits before switching itself off; default: until `clear()`. */
	times: z.number().int().positive().optional(),
	/** How many matching requests it lets through untouched before it starts (a later fault may still hit them). */
	skip: z.number().int().nonnegative().optional(),
});

/** A fault the emulator injects into matching requests; one fault (the oldest active) per request. */
export const FaultSchema = z.discriminatedUnion('kind', [
	/** 429 with `Retry-After: <retryAfterSeconds>` (default 1; null sends no header). */
	FaultTargetSchema.extend({
		kind: z.literal('rateLimit'),
		retryAfterSeconds: z.number().nonnegative().nullable().default(1),
	}),
	/** A 5xx `{"error": ...}` answer (default 500); the request is not processed. */
	FaultTargetSchema.extend({
		kind: z.literal('serverError'),
		status: z.number().int().min(500).max(599).default(500),
	}),
	/** Waits `ms` before handling the request normally. */
	FaultTargetSchema.extend({ kind: z.literal('delay'), ms: z.number().nonnegative() }),
	/**
	 * Handles the request (it takes effect), sends the headers and part of the body, then
	 * destroys the connection: the client cannot tell whether its request was processed.
	 * `afterBytes` defaults to half the body (half of the first chunk for streamed bodies).
	 */
	FaultTargetSchema.extend({ kind: z.literal('resetResponse'), afterBytes: z.number().int().nonnegative().optional() }),
	/** Destroys the connection while receiving the request, before it is processed. */
	FaultTargetSchema.extend({ kind: z.literal('resetRequest') }),
]);
export type Fault = z.output<typeof FaultSchema>;
export type FaultInput = z.input<typeof FaultSchema>;

export interface InjectedFault {
	readonly fault: Fault;
	/** How many requests it has hit so far. */
	readonly hits: number;
	remove(): void;
}

interface ActiveFault {
	fault: Fault;
	hits: number;
	skipped: number;
}

function matches(fault: Fault, method: string, path: string): boolean {
	if (fault.method !== undefined && fault.method !== method) return false;
	if (fault.path === undefined) return true;
	if (fault.path instanceof RegExp) return fault.path.test(path);
	if (fault.path.endsWith('*')) return path.startsWith(fault.path.slice(0, -1));
	return fault.path === path;
}

/** The faults a test switched on: `emu.faults.inject(...)` / `emu.faults.clear()`. */
export class FaultRegistry {
	private active: ActiveFault[] = [];

	inject(input: FaultInput): InjectedFault {
		const entry: ActiveFault = { fault: FaultSchema.parse(input), hits: 0, skipped: 0 };
		this.active.push(entry);
		return {
			fault: entry.fault,
			get hits() {
				return entry.hits;
			},
			remove: () => {
				this.active = this.active.filter((e) => e !== entry);
			},
		};
	}

	clear(): void {
		this.active = [];
	}

	/** The fault to apply to this request, counted as a hit; undefined when none matches. */
	take(method: string, path: string): Fault | undefined {
		const entry = this.active.find((e) => {
			if (!matches(e.fault, method, path)) return false;
			if (e.skipped >= (e.fault.skip ?? 0)) return true;
			e.skipped++;
			return false;
		});
		if (!entry) return undefined;
		entry.hits++;
		if (entry.fault.times !== undefined && entry.hits >= entry.fault.times) {
			this.active = this.active.filter((e) => e !== entry);
		}
		return entry.fault;
	}
}
