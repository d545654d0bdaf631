import type { OutputLine } from '../schemas';
import type { ResultError } from './types';

/** A line failed when `error` is non-null, `response` is null, or `response.status_code >= 400`. */
export function isFailedLine(line: OutputLine): boolean {
	return line.error != null || line.response == null || line.response.status_code >= 400;
}

/** The error of a failed line: `error`, else `response.body.error`, else a description of what is wrong. */
export function lineError(line: OutputLine): ResultError {
	const statusCode = line.response?.status_code;
	const fromBody = isRecord(line.response?.body) && isRecord(line.response.body.error) ? line.response.body.error : undefined;
	const source = line.error ?? fromBody;
	const error: ResultError = {
		code: source?.code != null ? String(source.code) : null,
		message:
			typeof source?.message === 'string' && source.message
				? source.message
				: line.response == null
					? 'The request has no response and no error message'
					: `The request failed with HTTP status ${statusCode}`,
	};
	if (source?.type != null) error.type = String(source.type);
	if (source?.param != null) error.param = String(source.param);
	if (statusCode !== undefined) error.status_code = statusCode;
	return error;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
