/** One row of the demo's results table. */
export interface ResultRow {
	id: string;
	status: string;
	text: string;
	/** The answer of a succeeded row, or the error of a failed one. */
	outcome: string;
}

const HEADERS: ResultRow = { id: 'id', status: 'status', text: 'text sent', outcome: 'answer (or error)' };

/** Cuts `text` to `width` characters on one line, marking the cut with "...". */
export function shorten(text: string, width: number): string {
	const line = text.replace(/\s+/g, ' ').trim();
	return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 3))}...`;
}

/** A plain-text table that fits `totalWidth` columns: the two text columns share what is left. */
export function formatTable(rows: ResultRow[], totalWidth: number): string {
	const idWidth = Math.max(HEADERS.id.length, ...rows.map((r) => r.id.length));
	const statusWidth = Math.max(HEADERS.status.length, ...rows.map((r) => r.status.length));
	const rest = Math.max(40, totalWidth - idWidth - statusWidth - 6);
	const textWidth = Math.floor(rest * 0.45);
	const outcomeWidth = rest - textWidth;
	const line = (r: ResultRow) =>
		[
			r.id.padEnd(idWidth),
			r.status.padEnd(statusWidth),
			shorten(r.text, textWidth).padEnd(textWidth),
			shorten(r.outcome, outcomeWidth),
		]
			.join('  ')
			.trimEnd();
	const rule = [idWidth, statusWidth, textWidth, outcomeWidth].map((w) => '-'.repeat(w)).join('  ');
	return [line(HEADERS), rule, ...rows.map(line)].join('\n') + '\n';
}
