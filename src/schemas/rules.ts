import { z, type RefinementCtx, type ZodIssue } from 'zod';

/**
 * Building blocks of the rules on what we send. A rule may carry its own fix (what to do) on the zod
 * issue, in `params.fix`; an issue without one is about a missing or blank value, where the caller
 * knows best what to fill in (a column, an expression).
 */
export interface RuleParams {
	fix: string;
}

/** Adds one custom issue, with the fix when the rule has one. */
export function addIssue(ctx: RefinementCtx, message: string, fix?: string): void {
	const params: RuleParams | undefined = fix === undefined ? undefined : { fix };
	ctx.addIssue({ code: z.ZodIssueCode.custom, message, ...(params && { params }) });
}

/** The fix a rule gave with its issue, if any. */
export function fixOf(issue: ZodIssue): string | undefined {
	if (issue.code !== z.ZodIssueCode.custom) return undefined;
	const fix = (issue.params as Partial<RuleParams> | undefined)?.fix;
	return typeof fix === 'string' ? fix : undefined;
}

/** Lengths are counted in characters (Unicode code points), as the Python servers behind the API count them. */
export function characterCount(text: string): number {
	let count = 0;
	for (const _ of text) count++;
	return count;
}

/** A value shown inside a message: JSON, cut to a readable length. */
export function shown(value: unknown, max = 40): string {
	const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
	return characterCount(text) <= max ? text : `${Array.from(text).slice(0, max - 1).join('')}…`;
}

/** True for text with nothing but spaces, tabs and line breaks (and not empty). */
export function isBlank(text: string): boolean {
	return text !== '' && text.trim() === '';
}

/**
 * Text that must say something: not empty, not only spaces or line breaks. `name` is how the API
 * calls the field ("model", "prompt"); the caller adds where the value came from.
 */
export function requiredText(name: string) {
	return z
		.string({ required_error: `${name} is required`, invalid_type_error: `${name} must be text` })
		.superRefine((text, ctx) => {
			if (text === '') addIssue(ctx, `${name} must not be empty`);
			else if (isBlank(text)) addIssue(ctx, `${name} has only spaces or line breaks`);
		});
}

/** A number from `min` to `max` (both included), e.g. temperature 0-2. */
export function numberFrom(name: string, min: number, max: number, fix: string) {
	return z.number({ invalid_type_error: `${name} must be a number` }).superRefine((n, ctx) => {
		if (!Number.isFinite(n) || n < min || n > max) addIssue(ctx, `${name} is ${n}; it must be from ${min} to ${max}`, fix);
	});
}

/** A whole number of 1 or more, e.g. max_tokens, dimensions. */
export function positiveWholeNumber(name: string) {
	const fix = 'Use a whole number of 1 or more.';
	return z.number({ invalid_type_error: `${name} must be a number` }).superRefine((n, ctx) => {
		if (!Number.isInteger(n)) addIssue(ctx, `${name} is ${n}; it must be a whole number`, fix);
		else if (n < 1) addIssue(ctx, `${name} is ${n}; it must be at least 1`, fix);
	});
}
