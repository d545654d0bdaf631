import type { ZodIssue } from 'zod';
import { REQUEST_LINE_SCHEMAS, fixOf, type BatchEndpoint } from '../schemas';
import type { IssuePath } from './endpoints';

export interface LineIssue {
	/** The node field at fault, e.g. "User Message", or the JSON path when no field owns it. */
	field: string;
	message: string;
	/** What to do, when the schema's rule says it (else the row source's hint applies). */
	fix?: string;
}

/**
 * Checks a request line with the zod schema of its endpoint (the one rule book for what a line may
 * hold) and names the node field behind each issue.
 */
export function validateLine(
	endpoint: BatchEndpoint,
	line: unknown,
	fieldAt: (bodyPath: IssuePath) => string | undefined,
): LineIssue[] {
	const result = REQUEST_LINE_SCHEMAS[endpoint].safeParse(line);
	if (result.success) return [];
	return flatten(result.error.issues).map((issue) => {
		const fix = fixOf(issue);
		return {
			field: fieldFor(issue.path, fieldAt),
			message: withPeriod(issue.message === 'Required' ? `${pathText(issue.path)} is required` : issue.message),
			...(fix && { fix }),
		};
	});
}

function fieldFor(path: IssuePath, fieldAt: (bodyPath: IssuePath) => string | undefined): string {
	if (path[0] === 'custom_id') return 'Custom ID';
	if (path[0] === 'body') return fieldAt(path.slice(1)) ?? 'Additional Body Fields';
	return pathText(path);
}

/** A union reports "Invalid input"; the branch that got furthest says what is really wrong. */
function flatten(issues: ZodIssue[]): ZodIssue[] {
	return issues.flatMap((issue) => {
		if (issue.code !== 'invalid_union') return [issue];
		const branches = issue.unionErrors.map((e) => e.issues);
		const closest = branches.find((b) => b.every((i) => i.code !== 'invalid_type')) ?? branches[0];
		return closest ? flatten(closest) : [issue];
	});
}

function pathText(path: IssuePath): string {
	return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

function withPeriod(text: string): string {
	return /[.!?]$/.test(text) ? text : `${text}.`;
}
