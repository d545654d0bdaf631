/** A column of a demo table: its header and, optionally, a largest width (longer cells are cut with "..."). */
export interface Column {
	key: string;
	header: string;
	maxWidth?: number;
}

/** Cuts `text` to `width` characters on one line, marking the cut with "...". */
export function shorten(text: string, width: number): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 3))}...`;
}

/**
 * A plain-text table that fits `totalWidth` characters: each column as wide as its widest cell (up to its
 * maxWidth); the last column gets what is left.
 */
export function formatTable(columns: Column[], rows: Array<Record<string, string>>, totalWidth: number): string {
	const widths = columns.map((column) =>
		Math.min(column.maxWidth ?? Infinity, Math.max(column.header.length, ...rows.map((row) => (row[column.key] ?? '').length))),
	);
	const fixed = widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0);
	widths[widths.length - 1] = Math.max(20, Math.min(widths[widths.length - 1], totalWidth - fixed));
	const line = (cells: string[]) =>
		cells
			.map((cell, i) => shorten(cell, widths[i]).padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	const rule = widths.map((w) => '-'.repeat(w)).join('  ');
	return [line(columns.map((c) => c.header)), rule, ...rows.map((row) => line(columns.map((c) => row[c.key] ?? '')))].join('\n') + '\n';
}
