import type { OutputLine } from '../schemas';

/**
 * The fast check of an output or error line: the same rules as `OutputLineSchema` (which stays the
 * reference and explains a line that fails here), without building a copy. A test holds the two in step.
 */
export function isOutputLine(value: unknown): value is OutputLine {
	if (!isObject(value)) return false;
	const line = value as Record<string, unknown>;
	if (typeof line.custom_id !== 'string' || !isOptionalString(line.id)) return false;
	const response = line.response;
	if (response != null) {
		if (!isObject(response)) return false;
		const r = response as Record<string, unknown>;
		if (typeof r.status_code !== 'number' || !isOptionalString(r.request_id)) return false;
	}
	const error = line.error;
	if (error != null) {
		if (!isObject(error)) return false;
		const e = error as Record<string, unknown>;
		if (!isOptionalString(e.message) || !isOptionalString(e.type) || !isOptionalString(e.param)) return false;
		const code = e.code;
		if (code != null && typeof code !== 'string' && typeof code !== 'number') return false;
	}
	return true;
}

function isObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptionalString(value: unknown): boolean {
	return value == null || typeof value === 'string';
}
