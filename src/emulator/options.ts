import { AnswerFaultSchema, type AnswerFault, type AnswerFaultInput } from './answerFaults';

/**
 * Timers (`stepMs` between lifecycle steps), or manual: only `emu.advance()` moves batches.
 * `requestsPerStep` (default: all) is how many requests one `in_progress` step answers.
 */
export type EmulatorPace =
	| { stepMs: number; requestsPerStep?: number }
	| 'manual'
	| { manual: true; requestsPerStep?: number };

/** Milliseconds between steps, undefined when the pace is manual. */
export function stepMsOf(pace: EmulatorPace): number | undefined {
	return pace === 'manual' || 'manual' in pace ? undefined : pace.stepMs;
}

export function requestsPerStep(pace: EmulatorPace): number {
	const perStep = pace === 'manual' ? undefined : pace.requestsPerStep;
	return perStep !== undefined && perStep > 0 ? perStep : Infinity;
}

export interface EmulatorOptions {
	/** 0 (default) = any free port. */
	port?: number;
	/** Interface to listen on; default 127.0.0.1. */
	host?: string;
	/** Files on disk; default a temp dir removed on close. */
	dataDir?: string;
	/** When set, /v1/* needs `Authorization: Bearer <apiKey>` (401 otherwise). */
	apiKey?: string;
	/** Create without job_id -> 422. */
	requireJobId?: boolean;
	/** Default true; false -> cancel answers 501 like older deployments. */
	cancelSupported?: boolean;
	/** Default 'impala-fail': lines with this body.model go to the error file. */
	failingModel?: string;
	/** job_id -> model; a line whose model differs fails (error file); an unknown job_id is a 422. */
	jobs?: Record<string, string>;
	/** Default { stepMs: 50 } (all requests in one step); 'manual' = only emu.advance() moves batches. */
	pace?: EmulatorPace;
	/** Largest accepted upload; bigger uploads get 413. Default 500 MB (batches over 200 MB fail later). */
	maxUploadBytes?: number;
	/**
	 * Requests that answer badly: JSON that breaks the request's schema, text that is not JSON, or a failure
	 * (see AnswerFaultSchema in answerFaults.ts): e.g. `[{ answer: 'breakSchema', every: 5 },
	 * { answer: 'fail', customId: /^row-(3|8)$/ }]`. First matching rule wins; batches that retry another
	 * (metadata `retry_of`) are skipped unless the rule says `inRetries: true`. Rules can be added later
	 * with `emu.answerFaults.add(...)`. The text markers `[[invalid]]`, `[[notjson]]` and `[[fail]]` in a
	 * request's prompt do the same for that request, in every round (retries included).
	 * CLI: `--answer-fault KIND[:id=PATTERN][:every=N][:retries]` (see cli.ts).
	 */
	answerFaults?: AnswerFaultInput[];
}

export interface ResolvedOptions {
	port: number;
	host: string;
	apiKey?: string;
	requireJobId: boolean;
	cancelSupported: boolean;
	failingModel: string;
	jobs?: Record<string, string>;
	pace: EmulatorPace;
	maxUploadBytes: number;
	/** Mutable: `emu.answerFaults.add/clear` change it while the emulator runs. */
	answerFaults: AnswerFault[];
}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
	return {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		apiKey: options.apiKey || undefined,
		requireJobId: options.requireJobId ?? false,
		cancelSupported: options.cancelSupported ?? true,
		failingModel: options.failingModel ?? 'impala-fail',
		jobs: options.jobs,
		pace: options.pace ?? { stepMs: 50 },
		maxUploadBytes: options.maxUploadBytes ?? 500_000_000,
		answerFaults: (options.answerFaults ?? []).map((rule) => AnswerFaultSchema.parse(rule)),
	};
}
