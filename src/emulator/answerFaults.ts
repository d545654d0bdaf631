import { z } from 'zod';

/**
 * What a matching request gets instead of its normal answer:
 * - `breakSchema`: JSON that breaks the request's JSON schema (a number out of range, a required field
 *   missing, a choice not in the enum, a wrong type); a request without a schema gets text that is not JSON;
 * - `notJson`: text that is not JSON (a refusal-like sentence);
 * - `fail`: the request fails (a line in the error file, as `[[fail]]` does).
 */
export const AnswerFaultKindSchema = z.enum(['breakSchema', 'notJson', 'fail']);
export type AnswerFaultKind = z.infer<typeof AnswerFaultKindSchema>;

/**
 * A rule of the emulator option `answerFaults` (or `emu.answerFaults.add(...)`, or the CLI's
 * `--answer-fault`): which requests answer badly, and how. With neither `customId` nor `every`, every
 * request matches; with both, a request must match both.
 */
export const AnswerFaultSchema = z.object({
	answer: AnswerFaultKindSchema,
	/** custom_id: exact, a prefix when it ends in `*`, or a RegExp. */
	customId: z.union([z.string().min(1), z.instanceof(RegExp)]).optional(),
	/** Every Nth request of the batch's input file (lines N, 2N, 3N, ... counted from 1). */
	every: z.number().int().positive().optional(),
	/**
	 * Default false: batches whose metadata has `retry_of` (retries made by Retry Failed Requests) are
	 * answered normally, so a retry recovers what the first round broke. True: retries are hit too.
	 */
	inRetries: z.boolean().default(false),
});
export type AnswerFault = z.output<typeof AnswerFaultSchema>;
export type AnswerFaultInput = z.input<typeof AnswerFaultSchema>;

/** Text markers with the same effect, for one request: `[[invalid]]` (breakSchema), `[[notjson]]`, `[[fail]]`. */
export const ANSWER_MARKERS: ReadonlyArray<[string, AnswerFaultKind]> = [
	['[[fail]]', 'fail'],
	['[[invalid]]', 'breakSchema'],
	['[[notjson]]', 'notJson'],
];

export interface RequestPlace {
	customId: string;
	/** 1-based line number of the request in the batch's input file. */
	lineNumber: number;
	/** Whether the batch is a retry (its metadata has `retry_of`). */
	isRetry: boolean;
}

function idMatches(pattern: string | RegExp, customId: string): boolean {
	if (pattern instanceof RegExp) {
		pattern.lastIndex = 0;
		return pattern.test(customId);
	}
	return pattern.endsWith('*') ? customId.startsWith(pattern.slice(0, -1)) : customId === pattern;
}

/** The first rule that matches this request, or undefined. */
export function answerFaultFor(rules: readonly AnswerFault[], place: RequestPlace): AnswerFaultKind | undefined {
	const rule = rules.find(
		(r) =>
			(r.inRetries || !place.isRetry) &&
			(r.customId === undefined || idMatches(r.customId, place.customId)) &&
			(r.every === undefined || place.lineNumber % r.every === 0),
	);
	return rule?.answer;
}

/**
 * The CLI form: `KIND[:id=PATTERN][:every=N][:retries]`, e.g. `breakSchema:every=5`,
 * `notJson:id=review-7`, `fail:id=/^review-1[0-2]$/:retries` (a PATTERN in slashes is a RegExp).
 */
export function parseAnswerFault(spec: string): AnswerFault {
	const [kind, ...parts] = spec.split(':');
	const input: Record<string, unknown> = { answer: kind };
	for (const part of parts) {
		const [name, ...valueParts] = part.split('=');
		const value = valueParts.join('=');
		if (name === 'id') input.customId = /^\/.+\/$/.test(value) ? new RegExp(value.slice(1, -1)) : value;
		else if (name === 'every') input.every = Number(value);
		else if (name === 'retries' && value === '') input.inRetries = true;
		else throw new Error(`--answer-fault: unknown part '${part}' in '${spec}'.`);
	}
	const parsed = AnswerFaultSchema.safeParse(input);
	if (!parsed.success) {
		throw new Error(
			`--answer-fault must look like breakSchema|notJson|fail[:id=PATTERN][:every=N][:retries] (got '${spec}').`,
		);
	}
	return parsed.data;
}
