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

/** True for text with nothing but spaces, tabs and line breaks (and not empty). `\s` is trim()'s set. */
export function isBlank(text: string): boolean {
	return text !== '' && !/\S/.test(text);
}

// Plain predicates: the conditions of the rules below, shared by the zod schemas and any fast check
// of whole lines, so both test the same thing.

/** Text that says something: a string with at least one character other than spaces and line breaks. */
export function isSayingText(value: unknown): value is string {
	if (typeof value !== 'string') return false;
	// Almost every text starts with a printable ASCII character (never a space): no regex needed.
	const first = value.charCodeAt(0);
	return (first > 0x20 && first < 0x7f) || /\S/.test(value);
}

/** A finite number from `min` to `max`, both included. */
export function isNumberFrom(value: unknown, min: number, max: number): value is number {
	return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/** A whole number of 1 or more. */
export function isPositiveWholeNumber(value: unknown): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** Text of at most `max` characters; `length` (UTF-16 units) is never less than the character count. */
export function fitsCharacters(text: string, max: number): boolean {
	return text.length <= max || characterCount(text) <= max;
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
		if (!isNumberFrom(n, min, max)) addIssue(ctx, `${name} is ${n}; it must be from ${min} to ${max}`, fix);
	});
}

/** A whole number of 1 or more, e.g. max_tokens, dimensions. */
export function positiveWholeNumber(name: string) {
	const fix = 'Use a whole number of 1 or more.';
	return z.number({ invalid_type_error: `${name} must be a number` }).superRefine((n, ctx) => {
		if (isPositiveWholeNumber(n)) return;
		if (!Number.isInteger(n)) addIssue(ctx, `${name} is ${n}; it must be a whole number`, fix);
		else addIssue(ctx, `${name} is ${n}; it must be at least 1`, fix);
	});
}
