const EXAMPLES = { batch: 'batch-abc123', file: 'file-abc123' } as const;

/**
 * Checks an ID before any request is built. Formats are never checked (Impala's vary), but an ID that is
 * empty, `.` or `..`, or holds `/`, `?`, `#` or whitespace would leave the resource's path (cancel `..`
 * would send `POST /v1/cancel`): it is refused with a message naming the field. Surrounding spaces, as
 * pasted, are trimmed.
 */
export function requireId(id: string, what: 'batch' | 'file', field = `${what === 'batch' ? 'Batch' : 'File'} ID`): string {
	const trimmed = typeof id === 'string' ? id.trim() : '';
	const example = EXAMPLES[what];
	if (!trimmed) {
		throw new Error(`The ${field} is empty: give the ID of the ${what} (it looks like ${example})`);
	}
	if (trimmed === '.' || trimmed === '..') {
		throw new Error(`The ${field} "${trimmed}" is not an ID: give the ID of the ${what} (it looks like ${example})`);
	}
	const bad = /[/?#\s]/.exec(trimmed);
	if (bad) {
		const shown = /\s/.test(bad[0]) ? 'a space or line break' : `"${bad[0]}"`;
		throw new Error(`The ${field} "${trimmed.slice(0, 80)}" contains ${shown}, which an ID never holds: give only the ID of the ${what} (it looks like ${example})`);
	}
	return trimmed;
}

export function idPath(id: string): string {
	return encodeURIComponent(id);
}
