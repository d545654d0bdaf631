/** Ids are never format-checked (Impala's formats vary); an empty one is a caller mistake worth naming. */
export function requireId(id: string, what: 'batch' | 'file'): string {
	const trimmed = typeof id === 'string' ? id.trim() : '';
	if (!trimmed) {
		const example = what === 'batch' ? 'batch-abc123' : 'file-abc123';
		throw new Error(`The ${what} ID is empty: give the ID of the ${what} (it looks like ${example})`);
	}
	return trimmed;
}

export function idPath(id: string): string {
	return encodeURIComponent(id);
}
